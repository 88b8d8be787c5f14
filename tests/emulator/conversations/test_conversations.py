"""Conversations (``/v1/Conversations`` and ``/v1/Services/{IS}/Conversations``).

The top-level paths act on the account's default Conversation Service; any other
service's conversations are reached with its SID in the path
(https://www.twilio.com/docs/conversations/api/service-resource). States and
their rules: https://www.twilio.com/docs/conversations/states-timers (``closed``
is final, Twilio's 50377; ``inactive`` can be reactivated).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from support.emulator import EmulatorHandle, list_error
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


def default_service(emulator: EmulatorHandle) -> Client:
    client = emulator.client()
    client.conversations.v1.configuration().update(default_chat_service_sid=emulator.service_sid)
    return client


def test_conversation_lifecycle(emulator: EmulatorHandle) -> None:
    conversations = default_service(emulator).conversations.v1.conversations
    created = conversations.create(
        friendly_name="Support", unique_name="case-1", attributes='{"topic": "billing"}'
    )
    assert created.sid.startswith("CH")
    assert (created.chat_service_sid, created.state, created.attributes) == (
        emulator.service_sid,
        "active",
        '{"topic": "billing"}',
    )
    url = f"{emulator.base_url}/conversations/v1/Conversations/{created.sid}"
    assert created.url == url
    assert created.links["participants"] == f"{url}/Participants"
    assert created.timers == {} and created.bindings == {}

    # {Sid} may be the unique name.
    assert conversations("case-1").fetch().sid == created.sid
    renamed = conversations(created.sid).update(friendly_name="Billing")
    assert renamed.friendly_name == "Billing" and renamed.unique_name == "case-1"

    inactive = conversations(created.sid).update(state="inactive")
    assert inactive.state == "inactive"
    assert conversations(created.sid).update(state="active").state == "active"
    closed = conversations(created.sid).update(state="closed")
    assert (closed.state, closed.timers) == ("closed", {})
    for change in ({"state": "active"}, {"friendly_name": "Reopened"}, {"state": "closed"}):
        with pytest.raises(TwilioRestException) as err:
            conversations(created.sid).update(**change)
        assert (err.value.status, err.value.code) == (400, 50377)
        assert "closed" in err.value.msg
    assert conversations(created.sid).fetch().friendly_name == "Billing"

    assert conversations(created.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        conversations(created.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_the_top_level_is_the_default_service(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    v1 = client.conversations.v1
    # No default service yet: nothing to list, nowhere to create.
    assert v1.conversations.list() == []
    with pytest.raises(TwilioRestException) as err:
        v1.conversations.create(friendly_name="Nowhere")
    assert (err.value.status, err.value.code) == (400, 20001)
    assert "DefaultChatServiceSid" in err.value.msg

    other = v1.services.create(friendly_name="Other")
    elsewhere = v1.services(other.sid).conversations.create(friendly_name="Elsewhere")
    assert elsewhere.chat_service_sid == other.sid
    assert elsewhere.url == (
        f"{emulator.base_url}/conversations/v1/Services/{other.sid}/Conversations/{elsewhere.sid}"
    )
    v1.configuration().update(default_chat_service_sid=emulator.service_sid)
    here = v1.conversations.create(friendly_name="Here")
    assert [c.sid for c in v1.conversations.list()] == [here.sid]
    assert [c.sid for c in v1.services(emulator.service_sid).conversations.list()] == [here.sid]
    assert [c.sid for c in v1.services(other.sid).conversations.list()] == [elsewhere.sid]
    with pytest.raises(TwilioRestException) as err:
        v1.conversations(elsewhere.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
    with pytest.raises(TwilioRestException) as err:
        v1.services(other.sid).conversations(here.sid).fetch()
    assert err.value.status == 404
    assert v1.services(other.sid).conversations(elsewhere.sid).fetch().friendly_name == "Elsewhere"

    # Deleting a service deletes its conversations.
    v1.services(other.sid).delete()
    with pytest.raises(TwilioRestException) as err:
        v1.services(other.sid).conversations(elsewhere.sid).fetch()
    assert err.value.status == 404


def test_accounts_do_not_see_each_others_conversations(emulator: EmulatorHandle) -> None:
    mine = default_service(emulator).conversations.v1.conversations.create(friendly_name="Mine")
    other = emulator.other_client().conversations.v1
    theirs = other.services.create(friendly_name="Theirs")
    other.configuration().update(default_chat_service_sid=theirs.sid)
    assert other.conversations.list() == []
    with pytest.raises(TwilioRestException) as err:
        other.conversations(mine.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
    status, body = list_error(other.services(emulator.service_sid).conversations.list)
    assert (status, body["code"]) == (404, 20404)


def test_timers_come_from_the_defaults_or_the_request(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    client.conversations.v1.configuration().update(
        default_chat_service_sid=emulator.service_sid,
        default_inactive_timer="PT5M",
        default_closed_timer="PT1H",
    )
    conversations = client.conversations.v1.conversations
    inherited = conversations.create(friendly_name="Inherits")
    assert inherited.timers["date_inactive"] == _iso(inherited.date_created + timedelta(minutes=5))
    assert inherited.timers["date_closed"] == _iso(inherited.date_created + timedelta(hours=1))

    own = conversations.create(state="active", timers_inactive="PT0S", timers_closed="PT10M")
    assert own.timers == {"date_closed": _iso(own.date_created + timedelta(minutes=10))}

    for params, code in (
        ({"timers_closed": "PT10M"}, 50382),  # timers without State at creation
        ({"state": "active", "timers_inactive": "PT30S"}, 50375),
        ({"state": "active", "timers_closed": "PT5M"}, 20001),
        ({"state": "active", "attributes": "{not json"}, 20001),
        ({"state": "open"}, 20001),
    ):
        with pytest.raises(TwilioRestException) as err:
            conversations.create(**params)
        assert (err.value.status, err.value.code) == (400, code)

    updated = conversations(own.sid).update(timers_inactive="PT2M")
    assert set(updated.timers) == {"date_inactive", "date_closed"}
    with pytest.raises(TwilioRestException) as err:
        conversations(own.sid).update(state="initializing")
    assert (err.value.status, err.value.code) == (400, 20001)


def _iso(moment: datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_list_filters_by_state_and_creation_date(emulator: EmulatorHandle) -> None:
    emulator.control.seed(
        {
            "conversations_configuration": {"default_chat_service_sid": emulator.service_sid},
            "conversations": [
                {"friendly_name": "jan", "date_created": "2026-01-10T08:00:00Z"},
                {"friendly_name": "feb", "date_created": "2026-02-10T08:00:00Z", "state": "closed"},
                {"friendly_name": "feb-late", "date_created": "2026-02-28T23:00:00Z"},
                {
                    "friendly_name": "mar",
                    "date_created": "2026-03-10T08:00:00Z",
                    "state": "inactive",
                },
            ],
        }
    )
    conversations = emulator.client().conversations.v1.conversations

    def names(**filters: str) -> list[str | None]:
        return [c.friendly_name for c in conversations.list(page_size=1, **filters)]

    assert names() == ["jan", "feb", "feb-late", "mar"]
    assert names(state="active") == ["jan", "feb-late"]
    assert names(state="closed") == ["feb"]
    # Date filters take whole days and list newest first (the spec's descriptions).
    assert names(start_date="2026-02-01", end_date="2026-02-28") == ["feb-late", "feb"]
    assert names(start_date="2026-02-11T00:00:00Z") == ["mar", "feb-late"]
    assert names(end_date="2026-01-31T00:00:00Z", state="active") == ["jan"]

    page = conversations.page(page_size=2, state="active")
    assert "State=active" in page._payload["meta"]["url"]
    for bad, named in (({"state": "open"}, "State"), ({"start_date": "last week"}, "StartDate")):
        status, body = list_error(lambda bad=bad: conversations.list(**bad))
        assert (status, body["code"]) == (400, 20001)
        assert named in body["message"]


def test_lists_page_with_tokens(emulator: EmulatorHandle) -> None:
    conversations = default_service(emulator).conversations.v1.conversations
    made = [conversations.create(friendly_name=f"c{i}").sid for i in range(5)]
    first = conversations.page(page_size=2)
    assert [c.sid for c in first] == made[:2]
    second = first.next_page()
    assert second is not None and [c.sid for c in second] == made[2:4]
    conversations(made[2]).delete()  # keyset tokens neither skip nor repeat
    third = second.next_page()
    assert third is not None and [c.sid for c in third] == made[4:]
    assert third.next_page() is None
    status, body = list_error(lambda: conversations.list(page_size=101))
    assert (status, body["code"]) == (400, 20007) and "PageSize" in body["message"]
