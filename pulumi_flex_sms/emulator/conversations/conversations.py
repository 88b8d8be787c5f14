"""Conversations v1 Conversations, at ``/v1/Conversations`` (the default service's)
and ``/v1/Services/{IS}/Conversations``. No HTTP here.

The lifecycle rules are in :mod:`.base`. Kept here:

* list filters ``State``, ``StartDate`` and ``EndDate`` (creation dates, whole
  days when given as dates); with a date filter the list runs newest first, as
  the parameters' descriptions in ``twilio_conversations_v1.json`` say;
* at creation ``messaging_service_sid`` defaults to the account's
  ``default_messaging_service_sid`` and the timers to its default timers,
  copied (not linked); timers given without ``State`` at creation are 50382;
* an update of a closed conversation is 50377, whatever it changes; ``State``
  may be ``active``, ``inactive`` or ``closed`` (``initializing`` is Twilio's
  own, transient state); new ``Timers.*`` restart the timers;
* ``unique_name`` is unique within a service (Twilio's error code for a
  duplicate is not documented: 400, 20001).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import params as p
from ..domain import new_sid
from ..errors import BadRequest, InvalidParameter
from ..form_fields import ParamTable, checked_fields
from ..params import Form, PageRequest, PageResult
from ..store import CONVERSATION_V1, Conflict, Row, Transaction
from .base import CONVERSATION_STATES, ConversationsBase, Scope, conversation_key
from .errors import TimersWithoutState
from .fields import attributes, newest_first
from .timers import closed_timer, inactive_timer

__all__ = ["UPDATABLE_STATES", "Conversations"]

#: The states an update may set.
UPDATABLE_STATES = ("active", "inactive", "closed")
#: The plain fields a create or update form sets: parameter -> (field, check).
_FIELD_PARAMS: ParamTable = {
    "FriendlyName": ("friendly_name", lambda value, name: p.text(value, name, 256) or None),
    "UniqueName": ("unique_name", lambda value, name: p.text(value, name, 256) or None),
    "Attributes": ("attributes", attributes),
    "MessagingServiceSid": ("messaging_service_sid", lambda value, name: p.sid(value, name, "MG")),
    "DateCreated": ("date_created", p.date_time),
    "DateUpdated": ("date_updated", p.date_time),
}


class Conversations(ConversationsBase):
    """Conversations (rows ``conversation``, keyed ``{IS}/{CH}``)."""

    # -- what the simulation (and seeds) call ------------------------------------------

    def create_conversation(
        self,
        account: str,
        chat_service_sid: str,
        *,
        messaging_service_sid: str | None = None,
        friendly_name: str | None = None,
        unique_name: str | None = None,
        attributes: str = "{}",
        state: str = "active",
        timers: Mapping[str, str | None] | None = None,
        sid: str | None = None,
        date_created: int | None = None,
        date_updated: int | None = None,
        timers_started: int | None = None,
    ) -> dict[str, Any]:
        """A new conversation in service ``chat_service_sid`` (which must be the account's).

        ``messaging_service_sid`` None takes the account's default; ``timers``
        (``{"inactive": "PT5M", "closed": "PT1H"}``, durations checked as the
        API checks them) None copies the account's default timers, which run
        from ``timers_started`` (default: now, even for a ``date_created`` in the past).
        """
        p.enum(state, "State", CONVERSATION_STATES)
        now = self._now()
        created = now if date_created is None else date_created
        with self.store.transaction() as tx:
            self._service(tx, account, chat_service_sid)
            defaults = self._configuration(tx, account)
            if timers is None:
                timers = {
                    "inactive": defaults["default_inactive_timer"],
                    "closed": defaults["default_closed_timer"],
                }
            record: dict[str, Any] = {
                "sid": sid or new_sid("CH"),
                "account_sid": account,
                "chat_service_sid": chat_service_sid,
                "messaging_service_sid": messaging_service_sid
                or defaults["default_messaging_service_sid"],
                "friendly_name": friendly_name,
                "unique_name": unique_name,
                "attributes": attributes,
                "state": state,
                "timers": _checked_timers(timers, now),
                "timers_started": now if timers_started is None else timers_started,
                "bindings": {},
                "last_message_index": -1,
                "date_created": created,
                "date_updated": created if date_updated is None else date_updated,
            }
            if unique_name is not None:
                self._check_unique_name(tx, record)
            try:
                tx.insert(CONVERSATION_V1, record["sid"], account, record, conversation_key(record))
            except Conflict:
                raise BadRequest(f"{record['sid']} already exists") from None
        return record

    def get_conversation(self, account: str, sid: str) -> Row:
        """The account's conversation ``sid``, in whichever service (timers applied)."""
        with self.store.transaction() as tx:
            return self._conversation_by_sid(tx, account, sid)

    def set_conversation_state(self, account: str, sid: str, state: str) -> dict[str, Any]:
        """Move conversation ``sid`` to ``state`` now (``inactive`` -> ``active``
        reactivates it; a closed conversation stays closed: 50377)."""
        p.enum(state, "State", UPDATABLE_STATES)
        with self.store.transaction() as tx:
            row = self._conversation_by_sid(tx, account, sid)
            self._writable(row)
            return self._set_state(tx, row, state, at=self._now())

    # -- the API ---------------------------------------------------------------------

    def list_conversations(self, account: str, service: str | None, query: Form) -> PageResult:
        state = query.one("State")
        if state is not None:
            p.enum(state, "State", CONVERSATION_STATES)
        start, end = query.one("StartDate"), query.one("EndDate")
        after = None if start is None else p.date_time(start, "StartDate")
        before = None if end is None else p.date_time(end, "EndDate", end_of_day=True)
        page = PageRequest.parse(query, max_page_size=100, token_error_code=20001)
        with self.store.transaction() as tx:
            chat_service = self._service_of(tx, Scope(account, service))
            rows = (
                []
                if chat_service is None
                else tx.list_by_key_prefix(CONVERSATION_V1, account, f"{chat_service}/")
            )
            rows = [self._settle(tx, row) for row in rows]
        if state is not None:
            rows = [r for r in rows if r["state"] == state]
        if after is not None:
            rows = [r for r in rows if r["date_created"] >= after]
        if before is not None:
            rows = [r for r in rows if r["date_created"] <= before]
        if after is not None or before is not None:
            rows = newest_first(rows, "date_created")
        return p.paginate(rows, page)

    def fetch_conversation(self, account: str, service: str | None, sid: str) -> Row:
        with self.store.transaction() as tx:
            return self._conversation(tx, Scope(account, service), sid)

    def create_conversation_from_form(
        self, account: str, service: str | None, form: Form
    ) -> dict[str, Any]:
        """``POST .../Conversations``: the form's parameters, checked."""
        state = form.one("State")
        if state is not None:
            p.enum(state, "State", CONVERSATION_STATES)
        timers = _form_timers(form, self._now())
        if timers and state is None:
            raise TimersWithoutState(
                "Timers.Inactive and Timers.Closed need State at creation (e.g. State=active)",
                parameter="State",
            )
        with self.store.transaction() as tx:
            chat_service = self._service_of(tx, Scope(account, service))
            if chat_service is None:
                raise BadRequest(
                    "No default Conversation Service: set DefaultChatServiceSid with "
                    "POST /v1/Configuration, or create it under /v1/Services/{IS}/Conversations",
                    parameter="DefaultChatServiceSid",
                )
            fields = checked_fields(form, _FIELD_PARAMS)
            record = self.create_conversation(
                account,
                chat_service,
                messaging_service_sid=fields.get("messaging_service_sid"),
                friendly_name=fields.get("friendly_name"),
                unique_name=fields.get("unique_name"),
                attributes=fields.get("attributes", "{}"),
                state=state or "active",
                timers={**_inherited(self._configuration(tx, account)), **timers},
                date_created=fields.get("date_created"),
                date_updated=fields.get("date_updated"),
            )
        return record

    def update_conversation(
        self, account: str, service: str | None, sid: str, form: Form
    ) -> dict[str, Any]:
        state = form.one("State")
        if state is not None:
            p.enum(state, "State", UPDATABLE_STATES)
        fields = checked_fields(form, _FIELD_PARAMS)
        now = self._now()
        timers = _form_timers(form, now)
        with self.store.transaction() as tx:
            row = self._conversation(tx, Scope(account, service), sid)
            self._writable(row)
            record = Row({**row, **fields})
            record.seq = row.seq
            if timers:
                record["timers"] = {**record["timers"], **timers}
                record["timers_started"] = now
            if record["unique_name"] is not None and record["unique_name"] != row["unique_name"]:
                self._check_unique_name(tx, record)
            if "date_updated" not in fields:
                record["date_updated"] = now
            tx.update(CONVERSATION_V1, record["sid"], record, key=conversation_key(record))
            if state is not None:
                record = self._set_state(tx, record, state, at=now)
        return record

    def delete_conversation(self, account: str, service: str | None, sid: str) -> None:
        with self.store.transaction() as tx:
            self._purge(tx, self._conversation(tx, Scope(account, service), sid))

    # -- helpers -----------------------------------------------------------------------

    @staticmethod
    def _check_unique_name(tx: Transaction, record: dict[str, Any]) -> None:
        siblings = tx.list_by_key_prefix(
            CONVERSATION_V1, record["account_sid"], f"{record['chat_service_sid']}/"
        )
        if any(
            r["unique_name"] == record["unique_name"] and r["sid"] != record["sid"]
            for r in siblings
        ):
            raise BadRequest(
                f"Conversation with unique name {record['unique_name']!r} already exists "
                f"in service {record['chat_service_sid']}",
                parameter="UniqueName",
            )


def _checked_timers(timers: Mapping[str, str | None], at: int) -> dict[str, str | None]:
    unknown = set(timers) - {"inactive", "closed"}
    if unknown:
        raise InvalidParameter(f"Unknown timer(s): {', '.join(sorted(unknown))}")
    inactive, closed = timers.get("inactive"), timers.get("closed")
    return {
        "inactive": None if inactive is None else inactive_timer(inactive, "Timers.Inactive", at),
        "closed": None if closed is None else closed_timer(closed, "Timers.Closed", at),
    }


def _inherited(configuration: Mapping[str, Any]) -> dict[str, str | None]:
    return {
        "inactive": configuration["default_inactive_timer"],
        "closed": configuration["default_closed_timer"],
    }


def _form_timers(form: Form, at: int) -> dict[str, str | None]:
    """The ``Timers.*`` the form sends, checked (None: that timer turned off)."""
    timers: dict[str, str | None] = {}
    value = form.one("Timers.Inactive")
    if value is not None:
        timers["inactive"] = inactive_timer(value, "Timers.Inactive", at)
    value = form.one("Timers.Closed")
    if value is not None:
        timers["closed"] = closed_timer(value, "Timers.Closed", at)
    return timers
