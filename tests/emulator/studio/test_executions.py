"""Studio Executions (``/v2/Flows/{FW}/Executions``), their Context and Steps.

The simulation records executions; here the seed does (``studio_executions``),
and twilio-python reads them back, every response checked against
``twilio_studio_v2.json``.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from support.emulator import EmulatorHandle, list_error
from twilio.base.exceptions import TwilioRestException

from pulumi_flex_sms.emulator.control import EmulatorControlError

FN = ["FN" + str(i) * 32 for i in range(1, 5)]
CONTEXT = {
    "trigger": {
        "conversation": {
            "ConversationSid": "CH" + "c" * 32,
            "ChannelSid": "CH" + "c" * 32,
            "Body": "Hello",
            "From": "+15558675310",
        }
    }
}


@pytest.fixture
def executions(emulator: EmulatorHandle) -> list[str]:
    emulator.control.seed(
        {
            "studio_executions": [
                {
                    "sid": FN[0],
                    "flow_sid": emulator.flow_sid,
                    "contact_channel_address": "+15558675310",
                    "date_created": "2026-01-10T08:00:00Z",
                    "context": CONTEXT,
                    "steps": [
                        {
                            "name": "incomingConversationMessage",
                            "transitioned_from": "Trigger",
                            "transitioned_to": "send_to_flex",
                            "type": "trigger",
                        },
                        {
                            "name": "callComplete",
                            "transitioned_from": "send_to_flex",
                            "transitioned_to": "Ended",
                            "type": "send-to-flex",
                        },
                    ],
                },
                {
                    "sid": FN[1],
                    "flow_sid": emulator.flow_sid,
                    "contact_channel_address": "+15558675311",
                    "status": "active",
                    "date_created": "2026-02-10T08:00:00Z",
                },
                {
                    "sid": FN[2],
                    "flow_sid": emulator.flow_sid,
                    "contact_channel_address": "+15558675310",
                    "date_created": "2026-03-10T08:00:00Z",
                },
            ]
        }
    )
    return FN[:3]


def test_executions_list_fetch_and_context(emulator: EmulatorHandle, executions: list[str]) -> None:
    flow = emulator.client().studio.v2.flows(emulator.flow_sid)
    listed = flow.executions.list(page_size=2)
    assert [e.sid for e in listed] == executions
    first = flow.executions(executions[0]).fetch()
    assert (first.status, first.flow_sid, first.flow_version) == ("ended", emulator.flow_sid, 1)
    assert first.contact_channel_address == "+15558675310"
    assert first.contact_sid.startswith("FC")
    assert first.date_created == datetime(2026, 1, 10, 8, tzinfo=timezone.utc)
    assert first.context == CONTEXT
    url = f"{emulator.base_url}/studio/v2/Flows/{emulator.flow_sid}/Executions/{executions[0]}"
    assert (first.url, first.links["execution_context"]) == (url, f"{url}/Context")
    # One contact per address and flow.
    assert flow.executions(executions[2]).fetch().contact_sid == first.contact_sid

    context = flow.executions(executions[0]).execution_context().fetch()
    assert (context.context, context.execution_sid) == (CONTEXT, executions[0])

    steps = flow.executions(executions[0]).steps.list()
    assert [(s.name, s.type) for s in steps] == [
        ("incomingConversationMessage", "trigger"),
        ("callComplete", "send-to-flex"),
    ]
    assert (steps[0].parent_step_sid, steps[1].parent_step_sid) == (None, steps[0].sid)
    assert flow.executions(executions[0]).steps(steps[1].sid).fetch().transitioned_to == "Ended"
    assert flow.executions(executions[1]).steps.list() == []


def test_executions_filter_by_status_and_date(
    emulator: EmulatorHandle, executions: list[str]
) -> None:
    flow_executions = emulator.client().studio.v2.flows(emulator.flow_sid).executions

    def sids(**filters: object) -> list[str]:
        return [e.sid for e in flow_executions.list(page_size=1, **filters)]  # type: ignore[arg-type]

    assert sids(status="active") == [executions[1]]
    assert sids(status="ended") == [executions[0], executions[2]]
    feb = datetime(2026, 2, 10, 8, tzinfo=timezone.utc)
    # From: on or after; To: before.
    assert sids(date_created_from=feb) == executions[1:]
    assert sids(date_created_to=feb) == [executions[0]]
    assert sids(date_created_from="2026-01-01T00:00:00Z", date_created_to=feb, status="ended") == [
        executions[0]
    ]
    page = flow_executions.page(status="active", page_size=1)
    assert "status=active" in page._payload["meta"]["url"]
    for bad, named in (({"status": "running"}, "status"), ({"date_created_to": "soon"}, "To")):
        status, body = list_error(lambda bad=bad: flow_executions.list(**bad))
        assert (status, body["code"]) == (400, 20001) and named in body["message"]


def test_ending_and_deleting_executions(emulator: EmulatorHandle, executions: list[str]) -> None:
    flow_executions = emulator.client().studio.v2.flows(emulator.flow_sid).executions
    ended = flow_executions(executions[1]).update(status="ended")
    assert ended.status == "ended" and ended.date_updated is not None
    with pytest.raises(TwilioRestException) as err:
        flow_executions(executions[1]).update(status="active")
    assert (err.value.status, err.value.code) == (400, 20001)
    assert flow_executions(executions[1]).delete() is True
    with pytest.raises(TwilioRestException) as err:
        flow_executions(executions[1]).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_executions_belong_to_their_flow_and_account(
    emulator: EmulatorHandle, executions: list[str]
) -> None:
    client = emulator.client()
    other_flow = client.studio.v2.flows.create(
        friendly_name="Other", status="published", definition={}
    )
    assert client.studio.v2.flows(other_flow.sid).executions.list() == []
    with pytest.raises(TwilioRestException) as err:
        client.studio.v2.flows(other_flow.sid).executions(executions[0]).fetch()
    assert err.value.status == 404
    stranger = emulator.other_client().studio.v2.flows(emulator.flow_sid)
    status, body = list_error(stranger.executions.list)
    assert (status, body["code"]) == (404, 20404)
    with pytest.raises(TwilioRestException) as err:
        stranger.executions(executions[0]).fetch()
    assert err.value.status == 404
    # Deleting the flow deletes its executions.
    client.studio.v2.flows(emulator.flow_sid).delete()
    state = emulator.control.state()["accounts"][0]
    assert state["studio_executions"] == []


def test_a_draft_flow_cannot_be_seeded_with_executions(emulator: EmulatorHandle) -> None:
    draft = emulator.client().studio.v2.flows.create(
        friendly_name="Draft", status="draft", definition={}
    )
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed(
            {
                "studio_executions": [
                    {"flow_sid": draft.sid, "contact_channel_address": "+15558675310"}
                ]
            }
        )
    assert err.value.status == 400
    assert "studio_executions[0]" in err.value.body["message"]
    assert "published" in err.value.body["message"]
