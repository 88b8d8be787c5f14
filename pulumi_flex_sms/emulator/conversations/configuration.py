"""Conversations v1 Configuration (``/v1/Configuration``): the account's defaults. No HTTP here.

One per account; until an update it answers ``null`` for every default. Rules:

* ``DefaultChatServiceSid`` must be a service of the account (404 otherwise),
  ``DefaultMessagingServiceSid`` an ``MG`` SID; ``""`` clears either;
* the timers are ISO 8601 durations of at least 1 minute (inactive, 50375)
  and 10 minutes (closed); ``PT0S`` or ``""`` turns one off (see :mod:`.timers`);
* the defaults apply to conversations created afterwards: the timers are
  copied at creation, so changing them later changes no existing conversation
  (notes on Twilio's Console "global timers ... for all Conversations created
  in your account", https://www.twilio.com/docs/conversations/states-timers).
"""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..params import Form
from ..store import CONVERSATIONS_CONFIGURATION
from .base import ConversationsBase
from .timers import closed_timer, inactive_timer

__all__ = ["Configuration"]


class Configuration(ConversationsBase):
    """The account's Conversations defaults (row ``conversations_configuration``)."""

    def fetch_configuration(self, account: str) -> dict[str, Any]:
        with self.store.transaction() as tx:
            return self._configuration(tx, account)

    def update_configuration(self, account: str, form: Form) -> dict[str, Any]:
        now = self._now()
        with self.store.transaction() as tx:
            record = self._configuration(tx, account)
            value = form.one("DefaultChatServiceSid")
            if value is not None:
                service = value and p.sid(value, "DefaultChatServiceSid", "IS")
                record["default_chat_service_sid"] = (
                    service and self._service(tx, account, service)["sid"]
                )
            value = form.one("DefaultMessagingServiceSid")
            if value is not None:
                record["default_messaging_service_sid"] = value and p.sid(
                    value, "DefaultMessagingServiceSid", "MG"
                )
            value = form.one("DefaultInactiveTimer")
            if value is not None:
                record["default_inactive_timer"] = inactive_timer(
                    value, "DefaultInactiveTimer", now
                )
            value = form.one("DefaultClosedTimer")
            if value is not None:
                record["default_closed_timer"] = closed_timer(value, "DefaultClosedTimer", now)
            for cleared in ("default_chat_service_sid", "default_messaging_service_sid"):
                record[cleared] = record[cleared] or None
            row = {"sid": account, **record}
            if tx.get(CONVERSATIONS_CONFIGURATION, account) is None:
                tx.insert(CONVERSATIONS_CONFIGURATION, account, account, row, key=None)
            else:
                tx.update(CONVERSATIONS_CONFIGURATION, account, row, key=None)
        return record
