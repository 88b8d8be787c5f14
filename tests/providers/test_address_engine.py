"""FlexSmsAddress over gRPC, as the engine drives it, against the emulator.

preview, up, no-op up, update in place, replace, refresh after out-of-band change
and deletion, adopt, destroy; with the Twilio calls each step makes.
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime.proto import provider_pb2
from support import auto_creation
from support.engine import UNKNOWN, ProviderError, Resource

ADDRESSES = "/conversations/v1/Configuration/Addresses"


def studio(emulator: Any, **extra: Any) -> dict[str, Any]:
    return {
        "address": emulator.number.phone_number,
        "friendlyName": "Support line",
        "autoCreation": auto_creation.studio(emulator.flow_sid, studioRetryCount=3),
        **extra,
    }


def calls(emulator: Any) -> list[str]:
    """The Twilio requests made so far, as 'METHOD /path', then forget them."""
    made = [f"{r['method']} {r['path']}" for r in emulator.requests()]
    emulator.control.clear_requests()
    return made


def live(emulator: Any, sid: str) -> Any:
    return emulator.client().conversations.v1.address_configurations(sid).fetch()


def test_preview_with_unknowns_checks_and_calls_nothing(emulator: Any, address: Resource) -> None:
    props = studio(emulator)
    props["autoCreation"] = {**props["autoCreation"], "studioFlowSid": UNKNOWN}
    checked, failures = address.check(props)
    assert failures == []
    assert checked["autoCreation"]["studioFlowSid"] == UNKNOWN  # passed through untouched
    assert checked["address"] == emulator.number.phone_number
    assert address.preview(props).op == "create"
    assert calls(emulator) == []


def test_up_creates_with_one_post_and_returns_every_output(
    emulator: Any, address: Resource
) -> None:
    step = address.up(studio(emulator))
    assert step.op == "create"
    assert calls(emulator) == [f"POST {ADDRESSES}"]
    out = address.outputs
    assert out["sid"].startswith("IG") and out["sid"] == address.id
    assert out["accountSid"] == emulator.account_sid
    assert out["url"] == f"{emulator.base_url}{ADDRESSES}/{out['sid']}"
    assert out["dateCreated"].endswith("Z") and out["dateUpdated"].endswith("Z")
    assert out["address"] == emulator.number.phone_number
    assert out["autoCreation"]["studioFlowSid"] == emulator.flow_sid
    assert out["adoptExisting"] is False
    twilio = live(emulator, out["sid"])
    assert twilio.auto_creation["type"] == "studio"
    assert twilio.auto_creation["studio_flow_sid"] == emulator.flow_sid
    assert twilio.auto_creation["studio_retry_count"] == 3
    assert twilio.friendly_name == "Support line"


def test_second_up_is_a_no_op_without_twilio_calls(emulator: Any, address: Resource) -> None:
    props = studio(emulator)
    props["autoCreation"] = {
        "enabled": True,
        "type": "webhook",
        "webhookUrl": "https://hooks.example.com/in",
        "webhookMethod": "post",  # Twilio echoes POST
        "webhookFilters": ["onParticipantAdded", "onMessageAdded"],  # any order
    }
    address.up(props)
    calls(emulator)
    diff = address.diff(address.check(props)[0])
    assert diff.changes == provider_pb2.DiffResponse.DIFF_NONE
    assert address.up(props).op == "same"
    # A refresh reads Twilio's echo; it still is no change.
    address.refresh()
    assert address.up(props).op == "same"
    assert calls(emulator) == [f"GET {ADDRESSES}/{address.id}"]


def test_update_in_place_sends_only_what_changed(emulator: Any, address: Resource) -> None:
    address.up(studio(emulator))
    sid = address.id
    calls(emulator)
    step = address.up(studio(emulator, friendlyName="Support (EU)"))
    assert step.op == "update" and not step.diff.replaces
    [request] = emulator.requests()
    assert (request["method"], request["path"]) == ("POST", f"{ADDRESSES}/{sid}")
    assert request["form"] == {"FriendlyName": "Support (EU)"}
    assert address.id == sid
    assert live(emulator, sid).friendly_name == "Support (EU)"


def test_removing_an_optional_value_clears_it_on_twilio(emulator: Any, address: Resource) -> None:
    props = studio(emulator)
    props["autoCreation"]["conversationServiceSid"] = emulator.service_sid
    address.up(props)
    calls(emulator)
    cleared = studio(emulator)
    del cleared["friendlyName"]
    assert address.up(cleared).op == "update"
    [request] = emulator.requests()
    assert request["form"] == {"FriendlyName": "", "AutoCreation.ConversationServiceSid": ""}
    twilio = live(emulator, address.id)
    assert not twilio.friendly_name
    assert not twilio.auto_creation.get("conversation_service_sid")
    assert address.up(cleared).op == "same"


def test_switching_integration_type_is_an_update(emulator: Any, address: Resource) -> None:
    address.up(studio(emulator))
    webhook = studio(emulator)
    webhook["autoCreation"] = {
        "enabled": True,
        "type": "webhook",
        "webhookUrl": "https://hooks.example.com/in",
        "webhookFilters": ["onMessageAdded"],
    }
    assert address.up(webhook).op == "update"
    twilio = live(emulator, address.id)
    assert twilio.auto_creation["type"] == "webhook"
    assert twilio.auto_creation["webhook_filters"] == ["onMessageAdded"]


def test_new_address_replaces_creating_the_new_one_first(emulator: Any, address: Resource) -> None:
    address.up(studio(emulator))
    old_sid = address.id
    calls(emulator)
    moved = studio(emulator, address=emulator.numbers[2].phone_number)
    preview = address.preview(moved)
    assert preview.op == "replace"
    assert list(preview.diff.replaces) == ["address"]
    assert preview.diff.deleteBeforeReplace is False  # another address: no collision
    assert calls(emulator) == []  # preview calls nothing
    assert address.up(moved).op == "replace"
    assert calls(emulator) == [f"POST {ADDRESSES}", f"DELETE {ADDRESSES}/{old_sid}"]
    configs = emulator.client().conversations.v1.address_configurations.list()
    assert [c.address for c in configs] == [emulator.numbers[2].phone_number]


def test_moving_to_another_address_with_a_missing_flow_keeps_the_old_one(
    emulator: Any, address: Resource
) -> None:
    address.up(studio(emulator))
    old_sid = address.id
    moved = studio(emulator, address=emulator.numbers[2].phone_number)
    moved["autoCreation"]["studioFlowSid"] = "FW" + "0" * 32  # a typo: no such flow
    with pytest.raises(ProviderError) as info:
        address.up(moved)
    assert "auto_creation.studio_flow_sid" in info.value.message
    # Twilio is as it was: the old address still routes to Flex.
    assert live(emulator, old_sid).address == emulator.number.phone_number
    configs = emulator.client().conversations.v1.address_configurations.list()
    assert [c.sid for c in configs] == [old_sid]


def test_new_country_at_the_same_address_deletes_the_old_one_first(
    emulator: Any, address: Resource
) -> None:
    address.up(studio(emulator, addressCountry="US"))
    old_sid = address.id
    calls(emulator)
    step = address.up(studio(emulator, addressCountry="CA"))
    assert step.op == "replace" and step.diff.deleteBeforeReplace is True
    assert calls(emulator) == [f"DELETE {ADDRESSES}/{old_sid}", f"POST {ADDRESSES}"]


def test_unknown_address_during_preview_is_a_replace(emulator: Any, address: Resource) -> None:
    address.up(studio(emulator))
    step = address.preview(studio(emulator, address=UNKNOWN))
    assert step.op == "replace" and list(step.diff.replaces) == ["address"]


@pytest.mark.parametrize(
    "auto", [None, {"enabled": False}], ids=["no-autocreation", "disabled-autocreation"]
)
def test_a_refresh_of_what_twilio_keeps_for_a_disabled_autocreation_is_no_change(
    emulator: Any, address: Resource, auto: dict[str, Any] | None
) -> None:
    # Twilio reports a type (and may keep a flow) for a disabled autocreation; a refresh
    # reads them back. Not the program's, and no update could change them: no diff, or
    # `pulumi preview --expect-no-changes` after every refresh fails on a no-op update.
    props: dict[str, Any] = {"address": emulator.number.phone_number}
    if auto is not None:
        props["autoCreation"] = auto
    address.up(props)
    twilio = emulator.client().conversations.v1.address_configurations(address.id)
    twilio.update(auto_creation_type="studio", auto_creation_studio_flow_sid=emulator.flow_sid)
    address.refresh()
    assert address.outputs["autoCreation"]["enabled"] is False
    assert address.preview(props).op == "same"
    # Enabled in the Console is drift: it is a change, and up disables it again.
    twilio.update(auto_creation_enabled=True)
    address.refresh()
    assert address.preview(props).op == "update"
    calls(emulator)
    address.up(props)
    assert calls(emulator) == [f"POST {ADDRESSES}/{address.id}"]
    assert live(emulator, address.id).auto_creation["enabled"] is False


def test_refresh_picks_up_console_edits_and_up_puts_them_back(
    emulator: Any, address: Resource
) -> None:
    props = studio(emulator)
    address.up(props)
    emulator.client().conversations.v1.address_configurations(address.id).update(
        friendly_name="Edited in Console", auto_creation_studio_retry_count=1
    )
    calls(emulator)
    assert address.refresh().op == "refresh"
    assert calls(emulator) == [f"GET {ADDRESSES}/{address.id}"]
    assert address.outputs["friendlyName"] == "Edited in Console"
    assert address.outputs["autoCreation"]["studioRetryCount"] == 1
    assert address.inputs["friendlyName"] == "Edited in Console"
    preview = address.preview(props)
    assert preview.op == "update"
    address.up(props)
    twilio = live(emulator, address.id)
    assert twilio.friendly_name == "Support line"
    assert twilio.auto_creation["studio_retry_count"] == 3


def test_refresh_after_out_of_band_delete_drops_it_and_up_recreates(
    emulator: Any, address: Resource
) -> None:
    address.up(studio(emulator))
    emulator.client().conversations.v1.address_configurations(address.id).delete()
    assert address.refresh().op == "gone"
    assert address.id is None
    assert address.up(studio(emulator)).op == "create"
    assert len(emulator.client().conversations.v1.address_configurations.list()) == 1


def test_update_of_a_configuration_deleted_out_of_band_says_refresh(
    emulator: Any, address: Resource
) -> None:
    address.up(studio(emulator))
    emulator.client().conversations.v1.address_configurations(address.id).delete()
    with pytest.raises(ProviderError) as info:
        address.up(studio(emulator, friendlyName="x"))
    assert "no longer exists" in info.value.message and "pulumi refresh" in info.value.message


def _console_made(emulator: Any) -> Any:
    return emulator.client().conversations.v1.address_configurations.create(
        type="sms",
        address=emulator.number.phone_number,
        friendly_name="Made in Console",
        auto_creation_enabled=True,
        auto_creation_type="default",
    )


def test_existing_configuration_fails_clearly_without_adopt(
    emulator: Any, address: Resource
) -> None:
    existing = _console_made(emulator)
    calls(emulator)
    with pytest.raises(ProviderError) as info:
        address.up(studio(emulator))
    message = info.value.message
    assert existing.sid in message and "adopt_existing=True" in message
    assert "ConflictError" in message
    assert address.id is None
    # Nothing was changed on Twilio: one refused POST, one GET to explain it.
    assert calls(emulator) == [
        f"POST {ADDRESSES}",
        f"GET {ADDRESSES}/{emulator.number.phone_number}",
    ]
    assert live(emulator, existing.sid).friendly_name == "Made in Console"


def test_adopt_existing_takes_over_and_updates_to_the_desired_state(
    emulator: Any, address: Resource
) -> None:
    existing = _console_made(emulator)
    calls(emulator)
    assert address.up(studio(emulator, adoptExisting=True)).op == "create"
    assert address.id == existing.sid
    assert calls(emulator) == [
        f"GET {ADDRESSES}/{emulator.number.phone_number}",
        f"POST {ADDRESSES}/{existing.sid}",
    ]
    twilio = live(emulator, existing.sid)
    assert twilio.friendly_name == "Support line"
    assert twilio.auto_creation["type"] == "studio"
    # Flipping adopt_existing later changes nothing.
    assert address.up(studio(emulator)).op == "same"


def test_adopt_existing_with_nothing_to_adopt_creates(emulator: Any, address: Resource) -> None:
    address.up(studio(emulator, adoptExisting=True))
    assert calls(emulator) == [
        f"GET {ADDRESSES}/{emulator.number.phone_number}",
        f"POST {ADDRESSES}",
    ]


def test_destroy_deletes_and_already_gone_is_success(emulator: Any, address: Resource) -> None:
    address.up(studio(emulator))
    sid = address.id
    calls(emulator)
    address.destroy()
    assert calls(emulator) == [f"DELETE {ADDRESSES}/{sid}"]
    assert emulator.client().conversations.v1.address_configurations.list() == []
    # The engine retrying a delete whose answer it lost: still fine.
    address.id, address.outputs = sid, {"sid": sid, "__provider": address.blob}
    address.destroy()


def test_missing_studio_flow_is_named(emulator: Any, address: Resource) -> None:
    missing = "FW" + "0" * 32
    props = studio(emulator)
    props["autoCreation"]["studioFlowSid"] = missing
    with pytest.raises(ProviderError) as info:
        address.up(props)
    assert f"auto_creation.studio_flow_sid={missing}" in info.value.message
    assert emulator.client().conversations.v1.address_configurations.list() == []


def test_api_key_credentials_work(emulator: Any, provider_for: Any) -> None:
    from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE
    from pulumi_flex_sms.providers.address import FlexSmsAddressProvider

    process = provider_for(
        **{
            "twilio:authToken": None,
            "twilio:apiKey": emulator.api_key_sid,
            "twilio:apiSecret": emulator.api_key_secret,
        }
    )
    resource = Resource(process, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "via-key")
    resource.up(studio(emulator))
    [request] = emulator.requests(method="POST")
    assert request["credential_sid"] == emulator.api_key_sid
    assert request["account_sid"] == emulator.account_sid


def test_rejected_credentials_name_the_source_not_the_secret(
    emulator: Any, provider_for: Any
) -> None:
    from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE
    from pulumi_flex_sms.providers.address import FlexSmsAddressProvider

    wrong = "wrong-token-" + "7" * 20
    process = provider_for(**{"twilio:authToken": wrong})
    resource = Resource(process, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "bad-creds")
    with pytest.raises(ProviderError) as info:
        resource.up(studio(emulator))
    assert "AuthenticationError" in info.value.message
    assert "stack config twilio:accountSid and stack config twilio:authToken" in info.value.message
    assert wrong not in info.value.details
    assert wrong not in process.stderr()
