"""The parameters Twilio sends with each webhook of an inbound SMS. Pure: records in, pairs out.

Names and values as Twilio's documents give them (the routing notes' §3.1-3.3):

* the number's or Messaging Service's SMS webhook
  (https://www.twilio.com/docs/messaging/guides/webhook-request): ``MessageSid``
  and its deprecated copies ``SmsSid``/``SmsMessageSid``, ``AccountSid``,
  ``MessagingServiceSid`` (only when a service applies), ``From``, ``To``,
  ``Body``, ``NumMedia``, ``NumSegments``, plus ``SmsStatus=received`` and
  ``ApiVersion=2010-04-01``, which real payloads carry;
* Conversations post-event webhooks
  (https://www.twilio.com/docs/conversations/conversations-webhooks):
  ``AccountSid``, ``EventType``, ``Source`` (``SMS`` for a carrier-sourced
  event), ``RetryCount`` and the event's own fields, plus the legacy names
  Flex's examples use (``ChannelSid`` = ``ConversationSid``, ``InstanceSid`` =
  ``ChatServiceSid``, ``From`` = ``Author``): the notes' §5 Q12 default.

A form cannot say null: a field whose value is null is left out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

__all__ = [
    "Params",
    "conversation_state_updated",
    "iso_ms",
    "message_added",
    "num_segments",
    "participant_added",
    "sms_webhook",
]

Params = tuple[tuple[str, str], ...]

#: GSM 03.38's basic character set (and the escapes' extension), in which a segment is
#: 160 characters (153 when concatenated); anything else is UCS-2: 70 (67).
_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    "^{}\\[~]|€\f"
)


def num_segments(body: str) -> int:
    """How many SMS segments ``body`` takes (``NumSegments``)."""
    single, multi = (160, 153) if set(body) <= _GSM7 else (70, 67)
    return 1 if len(body) <= single else math.ceil(len(body) / multi)


def iso_ms(ts: float | int) -> str:
    """ISO 8601 with milliseconds, as Conversations webhooks carry dates."""
    whole = int(ts)
    millis = int((ts - whole) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{millis:03d}Z"


def _pairs(fields: Mapping[str, Any]) -> Params:
    return tuple((name, str(value)) for name, value in fields.items() if value is not None)


def sms_webhook(
    *,
    account_sid: str,
    message_sid: str,
    sender: str,
    to: str,
    body: str,
    messaging_service_sid: str | None,
) -> Params:
    """What the number's (or its TwiML app's, or its Messaging Service's) SMS webhook gets."""
    return _pairs(
        {
            "SmsMessageSid": message_sid,
            "NumMedia": 0,
            "SmsSid": message_sid,
            "SmsStatus": "received",
            "Body": body,
            "To": to,
            "NumSegments": num_segments(body),
            "MessageSid": message_sid,
            "AccountSid": account_sid,
            "MessagingServiceSid": messaging_service_sid,
            "From": sender,
            "ApiVersion": "2010-04-01",
        }
    )


def _common(account_sid: str, event: str, conversation: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "AccountSid": account_sid,
        "EventType": event,
        "Source": "SMS",
        "RetryCount": 0,
        "ConversationSid": conversation["sid"],
        "ChannelSid": conversation["sid"],
        "ChatServiceSid": conversation.get("chat_service_sid"),
        "InstanceSid": conversation.get("chat_service_sid"),
        "MessagingServiceSid": conversation.get("messaging_service_sid"),
    }


def participant_added(
    *, account_sid: str, conversation: Mapping[str, Any], participant: Mapping[str, Any]
) -> Params:
    """``onParticipantAdded`` for an SMS participant (Identity is null, so left out)."""
    binding = participant.get("messaging_binding") or {}
    return _pairs(
        {
            **_common(account_sid, "onParticipantAdded", conversation),
            "ParticipantSid": participant["sid"],
            "DateCreated": iso_ms(participant["date_created"]),
            "Identity": participant.get("identity"),
            "RoleSid": participant.get("role_sid"),
            "Attributes": participant.get("attributes") or "{}",
            "MessagingBinding.Type": str(binding.get("type") or "sms").upper(),
            "MessagingBinding.Address": binding.get("address"),
            "MessagingBinding.ProxyAddress": binding.get("proxy_address"),
        }
    )


def message_added(
    *, account_sid: str, conversation: Mapping[str, Any], message: Mapping[str, Any]
) -> Params:
    """``onMessageAdded`` for the inbound text (``Author`` is the sender's address)."""
    return _pairs(
        {
            **_common(account_sid, "onMessageAdded", conversation),
            "MessageSid": message["sid"],
            "Index": message.get("index"),
            "DateCreated": iso_ms(message["date_created"]),
            "Body": message.get("body"),
            "Author": message.get("author"),
            "From": message.get("author"),
            "ParticipantSid": message.get("participant_sid"),
            "Attributes": message.get("attributes") or "{}",
        }
    )


def conversation_state_updated(
    *,
    account_sid: str,
    conversation: Mapping[str, Any],
    state_from: str,
    state_to: str,
    at: float | int,
) -> Params:
    """``onConversationStateUpdated``: an inbound message reactivates an inactive
    conversation (``Reason`` ``EVENT``; the notes' §5 Q6)."""
    return _pairs(
        {
            **_common(account_sid, "onConversationStateUpdated", conversation),
            "StateUpdated": iso_ms(at),
            "StateFrom": state_from,
            "StateTo": state_to,
            "Reason": "EVENT",
        }
    )
