"""A provider pointed at another Twilio account than the one a resource was made in.

Typical: TWILIO_ACCOUNT_SID of a test account or a subaccount left in the shell.
Twilio answers 404 there for everything of the right account, which must not read
as "deleted out of band": a refresh would drop every resource from state (and the
next up would record this program's settings as a number's originals), and a
destroy would "succeed" while leaving Twilio as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import auto_creation
from support.engine import ProviderError, Resource

from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider


def in_other_account(emulator: Any, provider_for: Any, made: Resource, kind: Any) -> Resource:
    """``made`` as the engine has it in state, driven by a provider of the other account."""
    process = provider_for(
        **{
            "twilio:accountSid": emulator.other_account_sid,
            "twilio:authToken": emulator.other_auth_token,
        }
    )
    token = (
        FLEX_SMS_ADDRESS_TYPE
        if kind is FlexSmsAddressProvider
        else (PHONE_NUMBER_MESSAGING_CONFIG_TYPE)
    )
    other = Resource(process, kind(), token, made.urn.rsplit("::", 1)[1])
    other.id, other.inputs, other.outputs = made.id, dict(made.inputs), dict(made.outputs)
    return other


def assert_names_both_accounts(error: ProviderError, emulator: Any) -> None:
    assert emulator.account_sid in error.message and emulator.other_account_sid in error.message
    assert "twilio:accountSid" in error.message
    assert emulator.auth_token not in error.message
    assert emulator.other_auth_token not in error.message


def test_a_number_refresh_or_destroy_in_another_account_changes_nothing(
    emulator: Any, number_config: Resource, provider_for: Any
) -> None:
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumber": legacy.phone_number})
    assert number_config.outputs["accountSid"] == emulator.account_sid
    other = in_other_account(
        emulator, provider_for, number_config, PhoneNumberMessagingConfigProvider
    )
    with pytest.raises(ProviderError) as info:
        other.refresh()  # used to be "gone": dropped from state
    assert_names_both_accounts(info.value, emulator)
    with pytest.raises(ProviderError) as info:
        other.destroy()  # used to succeed without giving the number back
    assert_names_both_accounts(info.value, emulator)
    number = emulator.client().incoming_phone_numbers(legacy.sid).fetch()
    assert number.sms_url == ""  # still ours: nothing was given back, nothing lost
    number_config.destroy()  # the right account gives it back
    number = emulator.client().incoming_phone_numbers(legacy.sid).fetch()
    assert number.sms_url == emulator.legacy_sms_url


def test_an_address_refresh_or_destroy_in_another_account_changes_nothing(
    emulator: Any, address: Resource, provider_for: Any
) -> None:
    address.up(
        {
            "address": emulator.number.phone_number,
            "autoCreation": auto_creation.studio(emulator.flow_sid),
        }
    )
    other = in_other_account(emulator, provider_for, address, FlexSmsAddressProvider)
    with pytest.raises(ProviderError) as info:
        other.refresh()
    assert_names_both_accounts(info.value, emulator)
    with pytest.raises(ProviderError) as info:
        other.destroy()  # used to succeed and leave the configuration in Twilio
    assert_names_both_accounts(info.value, emulator)
    configs = emulator.client().conversations.v1.address_configurations.list()
    assert [c.sid for c in configs] == [address.id]


def test_a_number_released_in_its_own_account_still_drops_out(
    emulator: Any, number_config: Resource
) -> None:
    # The guard is for another account only: in the resource's own, gone is gone.
    number_config.up({"phoneNumber": emulator.numbers[2].phone_number})
    number_config.id = "PN" + "0" * 32  # as if released: Twilio has no such number
    assert number_config.refresh().op == "gone"
