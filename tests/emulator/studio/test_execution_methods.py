"""The studio backend's methods the inbound-SMS simulation calls, without HTTP.

Only a published flow executes (Flex's setup asks to "Save and Publish" it:
https://www.twilio.com/docs/flex/admin-guide/setup/conversations/prerequisites);
an execution records the flow's revision, its contact and the Trigger
widget's ``trigger.conversation`` variables
(https://www.twilio.com/docs/studio/widget-library/trigger-start).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_flex_sms.emulator import errors
from pulumi_flex_sms.emulator.backend import Backend
from pulumi_flex_sms.emulator.params import Form
from pulumi_flex_sms.emulator.store import Store
from pulumi_flex_sms.emulator.studio.executions import FlowNotPublished, conversation_trigger

AC, OTHER = "AC" + "1" * 32, "AC" + "9" * 32
NOW = 1_700_000_000


@pytest.fixture
def backend() -> Iterator[Backend]:
    store = Store()
    backend = Backend(store, AC, "token", clock=lambda: NOW)
    backend.accounts.add_account(OTHER, "other-token", None)
    yield backend
    store.close()


def flow(backend: Backend, status: str, account: str = AC) -> str:
    form = Form.of(FriendlyName="Inbound", Status=status, Definition="{}")
    sid: str = backend.studio.create_flow(account, form)["sid"]
    return sid


def test_a_published_flow_records_conversation_executions(backend: Backend) -> None:
    studio = backend.studio
    published = flow(backend, "published")
    studio.update_flow(AC, published, Form.of(Status="published"))  # revision 2
    conversation = {"sid": "CH" + "c" * 32, "messaging_service_sid": None}
    message = {"sid": "IM" + "d" * 32, "body": "Hi", "author": "+15558675310", "date_created": NOW}
    context = conversation_trigger(AC, conversation, message)
    assert context["trigger"]["conversation"] == {
        "AccountSid": AC,
        "Body": "Hi",
        "ChannelSid": "CH" + "c" * 32,
        "ConversationSid": "CH" + "c" * 32,
        "DateCreated": "2023-11-14T22:13:20Z",
        "From": "+15558675310",
        "MessageSid": "IM" + "d" * 32,
        "MessagingServiceSid": None,
    }
    first = studio.record_execution(
        AC,
        published,
        contact_channel_address="+15558675310",
        context=context,
        initiated_by=message["sid"],
        steps=[
            {
                "name": "incomingConversationMessage",
                "transitioned_from": "Trigger",
                "transitioned_to": "send_to_flex",
                "type": "send-to-flex",
            }
        ],
    )
    assert (first["status"], first["flow_version"], first["initiated_by"]) == (
        "active",
        2,
        message["sid"],
    )
    assert first["sid"].startswith("FN") and first["contact_sid"].startswith("FC")
    assert first["steps"][0]["sid"].startswith("FT")
    # One contact per address and flow.
    again = studio.record_execution(AC, published, contact_channel_address="+15558675310")
    other = studio.record_execution(AC, published, contact_channel_address="+15550000000")
    assert again["contact_sid"] == first["contact_sid"] != other["contact_sid"]

    assert [e["sid"] for e in studio.executions_of(AC, published, status="active")] == [
        first["sid"],
        again["sid"],
        other["sid"],
    ]
    ended = studio.end_execution(AC, published, first["sid"])
    assert (ended["status"], ended["date_updated"]) == ("ended", NOW)
    assert first["sid"] not in {
        e["sid"] for e in studio.executions_of(AC, published, status="active")
    }
    with pytest.raises(errors.BadRequest) as err:
        studio.update_execution(AC, published, first["sid"], Form.of(Status="active"))
    assert err.value.parameter == "Status"


def test_a_draft_flow_does_not_execute(backend: Backend) -> None:
    draft = flow(backend, "draft")
    with pytest.raises(FlowNotPublished) as err:
        backend.studio.record_execution(AC, draft, contact_channel_address="+15558675310")
    assert draft in err.value.message and "publish" in err.value.message
    assert backend.studio.executions_of(AC, draft) == []


def test_executions_belong_to_the_flows_account(backend: Backend) -> None:
    theirs = flow(backend, "published", OTHER)
    for sid in (theirs, "FW" + "0" * 32):
        with pytest.raises(errors.NotFound):
            backend.studio.record_execution(AC, sid, contact_channel_address="+15558675310")
    with pytest.raises(errors.BadRequest):
        backend.studio.record_execution(
            OTHER, theirs, contact_channel_address="+1", steps=[{"widget": "x"}]
        )


def test_deleting_a_flow_deletes_its_executions(backend: Backend) -> None:
    published = flow(backend, "published")
    execution = backend.studio.record_execution(AC, published, contact_channel_address="+1555")
    backend.studio.delete_flow(AC, published)
    with backend.store.transaction() as tx:
        assert tx.get("studio_execution", execution["sid"]) is None
