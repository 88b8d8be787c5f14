"""What Twilio sends to your endpoints, as data: requests, signatures, the delivery policy,
TwiML replies. No HTTP here (:mod:`.deliveries` sends them).

* :class:`WebhookRequest` is one request Twilio would make (the number's SMS
  webhook, a Messaging Service's, a conversation-scoped webhook's event), with
  its fallback and its timeout. :meth:`WebhookRequest.prepare` turns it into
  the exact URL, body and headers on the wire, signed.
* :func:`twilio_signature` is Twilio's ``X-Twilio-Signature``: HMAC-SHA1, keyed
  with the account's auth token, over the URL as configured (user info dropped,
  port kept) followed by each POST parameter's name and value, sorted by name;
  base64. A GET carries its parameters in the query and signs only the URL
  (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
* :func:`refusal` is the delivery policy (``deliver_to``): ``loopback`` (the
  default: only ``localhost`` and loopback IP literals, never a name that a
  resolver could point elsewhere), ``any``, or ``none``.
* :func:`twiml_messages` reads the ``<Message>`` verbs of a TwiML reply.
* :class:`Delivery` is what happened: each attempt's status or error and
  duration, whether the fallback was used, and the replies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXml
from defusedxml import DefusedXmlException

from ..urls import mask_credentials

__all__ = [
    "DELIVER_TO",
    "MAX_REPLY_BYTES",
    "USER_AGENT",
    "Attempt",
    "DeliverTo",
    "Delivery",
    "PreparedRequest",
    "ReplyMessage",
    "WebhookRequest",
    "refusal",
    "twilio_signature",
    "twiml_messages",
]

DeliverTo = Literal["loopback", "any", "none"]
#: Where the emulator may send webhooks: loopback hosts only (the default, so a
#: test never reaches the internet), anywhere, or nowhere.
DELIVER_TO: tuple[DeliverTo, ...] = ("loopback", "any", "none")
#: What Twilio's webhook requests call themselves.
USER_AGENT = "TwilioProxy/1.1"
#: A reply is read up to this size (TwiML answers are small; Twilio caps them at 64 KB).
MAX_REPLY_BYTES = 64 * 1024


def twilio_signature(auth_token: str, url: str, params: Sequence[tuple[str, str]] = ()) -> str:
    """``X-Twilio-Signature`` for a request to ``url`` (as signed) with POST ``params``."""
    payload = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _without_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL Twilio requests and signs (user info dropped, port kept), and that user info."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=host)), (parts.username or "", parts.password or "")


def _is_loopback_host(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: whatever it resolves to, it is not known to be loopback
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def refusal(url: str, deliver_to: DeliverTo) -> str | None:
    """Why the policy keeps the emulator from requesting ``url``, or None."""
    if deliver_to == "none":
        return "deliveries are off (deliver_to: none)"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "not a URL the emulator can request"
    if parts.scheme not in ("http", "https") or not host:
        return "not an http(s) URL"
    if deliver_to == "loopback" and not _is_loopback_host(host):
        return (
            f"{host} is not a loopback host; the emulator delivers only to localhost and "
            "loopback addresses unless started with --deliver-to any"
        )
    return None


@dataclass(frozen=True, kw_only=True)
class PreparedRequest:
    """One request exactly as it goes on the wire."""

    method: str
    url: str
    """The URL requested and signed: user info dropped, a GET's parameters in the query."""
    body: bytes
    headers: dict[str, str]
    auth: tuple[str, str] | None
    """HTTP Basic credentials from the configured URL's user info (Twilio sends them)."""


@dataclass(frozen=True, kw_only=True)
class WebhookRequest:
    """A request Twilio makes for an inbound message, with its fallback."""

    kind: str
    """``number-sms-url``, ``twiml-app``, ``messaging-service-webhook`` or
    ``conversation-webhook``."""
    sid: str | None
    """The resource it belongs to (PN, AP, MG, or the conversation's scoped webhook WH)."""
    url: str
    method: str = "POST"
    params: tuple[tuple[str, str], ...] = ()
    fallback_url: str | None = None
    fallback_method: str | None = None
    timeout: float = 15.0
    """Seconds for the whole exchange (Twilio: 15 s for SMS webhooks, 5 s for Conversations)."""
    event: str | None = None
    """The Conversations event (``onMessageAdded``...); None for an SMS webhook."""
    expects_twiml: bool = False
    """True for SMS webhooks, whose answer may hold ``<Message>`` replies."""
    lane: str = "sms"
    """Requests of one lane go one after another, in order; lanes run in parallel."""

    def prepare(self, auth_token: str, *, fallback: bool = False) -> PreparedRequest:
        """The signed request to the URL (or, with ``fallback``, to the fallback URL)."""
        configured = (self.fallback_url if fallback else self.url) or ""
        method = ((self.fallback_method if fallback else self.method) or "POST").upper()
        url, auth = _without_userinfo(configured)
        headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
        if method == "GET":
            query = urlencode(self.params)
            if query:
                url += ("&" if urlsplit(url).query else "?") + query
            body = b""
            signed: Sequence[tuple[str, str]] = ()
        else:
            body = urlencode(self.params).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
            signed = self.params
        headers["X-Twilio-Signature"] = twilio_signature(auth_token, url, signed)
        return PreparedRequest(method=method, url=url, body=body, headers=headers, auth=auth)


@dataclass(frozen=True, kw_only=True)
class Attempt:
    """One HTTP request made (or refused by the policy)."""

    url: str
    method: str
    status_code: int | None = None
    error: str | None = None
    """``timeout``, ``connection failed: ...``, ``HTTP 500``, or the policy's refusal."""
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": mask_credentials(self.url),
            "method": self.method,
            "status_code": self.status_code,
            "error": self.error,
            "duration_ms": round(self.duration_ms, 1),
        }


@dataclass(frozen=True, kw_only=True)
class ReplyMessage:
    """A ``<Message>`` of a TwiML reply: an outbound SMS Twilio sends."""

    body: str
    to: str | None = None
    """The ``to`` attribute; None means back to the sender."""
    from_: str | None = None
    """The ``from`` attribute; None means from the number the message came to."""
    media: tuple[str, ...] = ()
    sid: str | None = None
    """The SM SID it is recorded under (set when the emulator records it)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "sid": self.sid,
            "from": self.from_,
            "to": self.to,
            "body": self.body,
            "media": list(self.media),
        }


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """What became of one :class:`WebhookRequest` (or of a Studio hand-off)."""

    kind: str
    sid: str | None = None
    event: str | None = None
    url: str | None = None
    """The URL configured (the primary one)."""
    method: str | None = None
    attempts: tuple[Attempt, ...] = ()
    skipped: str | None = None
    """Why nothing was sent (the delivery policy); None when it was."""
    fallback_used: bool = False
    replies: tuple[ReplyMessage, ...] = ()
    """The TwiML ``<Message>`` replies of the answer (SMS webhooks)."""
    execution_sid: str | None = None
    """A Studio hand-off: the execution (FN...) it started."""
    flow_sid: str | None = None
    detail: str | None = None
    """Anything else worth saying (a Studio flow that does not run, a reply not read)."""

    @property
    def delivered(self) -> bool:
        if self.kind == "studio-execution":
            return self.execution_sid is not None
        return bool(self.attempts) and self.attempts[-1].ok

    @property
    def failed(self) -> bool:
        """Sent, and no attempt (fallback included) was answered with a 2xx."""
        return self.skipped is None and bool(self.attempts) and not self.delivered

    def to_dict(self) -> dict[str, Any]:
        """One entry of the trace's ``deliveries``: the last attempt's outcome, and each."""
        last = self.attempts[-1] if self.attempts else None
        data: dict[str, Any] = {
            "kind": self.kind,
            "sid": self.sid,
            "event": self.event,
            "url": mask_credentials(last.url if last else self.url),
            "method": last.method if last else self.method,
            "status_code": last.status_code if last else None,
            "error": last.error if last else None,
            "duration_ms": round(sum(a.duration_ms for a in self.attempts), 1),
            "fallback_used": self.fallback_used,
            "delivered": self.delivered,
            "skipped": self.skipped,
            "attempts": [a.to_dict() for a in self.attempts],
        }
        if self.kind == "studio-execution":
            data.update(flow_sid=self.flow_sid, execution_sid=self.execution_sid)
        if self.replies:
            data["replies"] = [reply.to_dict() for reply in self.replies]
        if self.detail:
            data["detail"] = self.detail
        return data


def _local(tag: Any) -> str:
    return str(tag).rpartition("}")[2]


def _text(element: Element) -> str:
    return "".join(element.itertext()).strip()


def twiml_messages(content: bytes) -> tuple[ReplyMessage, ...]:
    """The ``<Message>`` verbs of a TwiML ``<Response>``; () for anything else.

    ``<Message>text</Message>`` or ``<Message><Body>..</Body><Media>..</Media></Message>``
    with optional ``to`` and ``from`` attributes. DTDs and entities are refused
    (defusedxml): the document comes from an endpoint the emulator does not trust.
    Raises ValueError when the content is not XML.
    """
    if not content.strip():
        return ()
    try:
        root = SafeXml.fromstring(content, forbid_dtd=True)
    except (SafeXml.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"the reply is not TwiML ({exc})") from None
    if _local(root.tag) != "Response":
        raise ValueError(f"the reply's root element is <{_local(root.tag)}>, not <Response>")
    replies = []
    for verb in root:
        if _local(verb.tag) != "Message":
            continue
        children = list(verb)
        bodies = [_text(c) for c in children if _local(c.tag) == "Body"]
        media = tuple(_text(c) for c in children if _local(c.tag) == "Media")
        body = " ".join(bodies) if bodies else (verb.text or "").strip()
        replies.append(
            ReplyMessage(body=body, to=verb.get("to"), from_=verb.get("from"), media=media)
        )
    return tuple(replies)
