"""Studio Flows: enough for address configurations to reference."""

from __future__ import annotations

import json

import pytest
from support.emulator import EmulatorHandle
from twilio.base.exceptions import TwilioRestException


def test_flow_lifecycle(emulator: EmulatorHandle) -> None:
    flows = emulator.client().studio.v2.flows
    definition = {"description": "Flex", "states": [], "initial_state": "Trigger"}
    created = flows.create(friendly_name="Inbound", status="draft", definition=definition)
    assert created.sid.startswith("FW")
    assert (created.status, created.revision, created.definition) == ("draft", 1, definition)
    assert created.valid is True and created.errors == [] and created.date_updated is None
    assert created.webhook_url == (
        f"{emulator.base_url}/webhooks/v1/Accounts/{emulator.account_sid}/Flows/{created.sid}"
    )
    assert created.links["executions"] == f"{created.url}/Executions"

    published = flows(created.sid).update(status="published", commit_message="go live")
    assert (published.status, published.revision, published.commit_message) == (
        "published",
        2,
        "go live",
    )
    assert published.date_updated is not None

    listed = flows.list(page_size=1)
    assert [f.sid for f in listed] == [emulator.flow_sid, created.sid]
    assert listed[1].definition is None  # Twilio's list leaves it out

    assert flows(created.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        flows(created.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"friendly_name": "F", "status": "live", "definition": {}}, "Status"),
        ({"friendly_name": "F", "status": "draft", "definition": json.dumps([1])}, "Definition"),
        ({"friendly_name": "F", "status": "draft", "definition": "{not json"}, "Definition"),
        ({"friendly_name": "", "status": "draft", "definition": {}}, "FriendlyName"),
    ],
)
def test_flow_parameters_are_checked(
    emulator: EmulatorHandle, params: dict[str, object], named: str
) -> None:
    with pytest.raises(TwilioRestException) as err:
        emulator.client().studio.v2.flows.create(**params)
    assert (err.value.status, err.value.code) == (400, 20001)
    assert named in err.value.msg
