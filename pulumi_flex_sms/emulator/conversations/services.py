"""Conversations v1 Services (``/v1/Services``). No HTTP here.

A service holds its conversations: deleting it deletes them (with their
participants, messages and webhooks), so the pairs they bound are free again.
Twilio does not document this cascade; a service's conversations cannot
outlive it in any path of the API (they are only reachable under it).
"""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..domain import new_sid
from ..params import Form, PageResult
from ..store import CONVERSATION_V1, SERVICE, Row
from .base import ConversationsBase

__all__ = ["Services"]


class Services(ConversationsBase):
    """Conversation Services (rows ``conversation_service``)."""

    def create_service(self, account: str, form: Form, *, sid: str | None = None) -> dict[str, Any]:
        now = self._now()
        record = {
            "sid": sid or new_sid("IS"),
            "account_sid": account,
            "friendly_name": p.text(form.required("FriendlyName"), "FriendlyName", 256),
            "date_created": now,
            "date_updated": now,
        }
        with self.store.transaction() as tx:
            self._insert_new(tx, SERVICE, record)
        return record

    def list_services(self, account: str, query: Form) -> PageResult:
        # PageSize 1..100: the list operation of /v1/Services in twilio_conversations_v1.json.
        return self._list_page(SERVICE, account, query, 100)

    def fetch_service(self, account: str, sid: str) -> Row:
        return self._fetch_owned(SERVICE, account, sid, f"/Services/{sid}")

    def delete_service(self, account: str, sid: str) -> None:
        with self.store.transaction() as tx:
            service = self._service(tx, account, sid)
            for conversation in tx.list_by_key_prefix(CONVERSATION_V1, account, f"{sid}/"):
                self._purge(tx, conversation)
            tx.delete(SERVICE, service["sid"])
