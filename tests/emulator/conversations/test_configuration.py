"""Conversations Configuration (``/v1/Configuration``): the account's defaults.

The timers' minimums are the spec's (``DefaultInactiveTimer`` 1 minute,
``DefaultClosedTimer`` 10 minutes); a too short inactive timer is Twilio's
50375 (https://www.twilio.com/docs/api/errors/50375); ``PT0S`` turns a timer
off (https://support.twilio.com/hc/en-us/articles/46619837838235).
"""

from __future__ import annotations

import pytest
from support.emulator import EmulatorHandle
from twilio.base.exceptions import TwilioRestException

MG = "MG" + "5" * 32


def test_an_account_starts_without_defaults(emulator: EmulatorHandle) -> None:
    configuration = emulator.client().conversations.v1.configuration().fetch()
    assert configuration.account_sid == emulator.account_sid
    assert configuration.default_chat_service_sid is None
    assert configuration.default_messaging_service_sid is None
    assert configuration.default_inactive_timer is None
    assert configuration.default_closed_timer is None
    assert configuration.url == f"{emulator.base_url}/conversations/v1/Configuration"
    assert configuration.links == {
        "webhooks": f"{emulator.base_url}/conversations/v1/Configuration/Webhooks"
    }


def test_update_sets_and_clears_the_defaults(emulator: EmulatorHandle) -> None:
    configuration = emulator.client().conversations.v1.configuration
    updated = configuration().update(
        default_chat_service_sid=emulator.service_sid,
        default_messaging_service_sid=MG,
        default_inactive_timer="PT1M",
        default_closed_timer="PT10M",
    )
    assert (
        updated.default_chat_service_sid,
        updated.default_messaging_service_sid,
        updated.default_inactive_timer,
        updated.default_closed_timer,
    ) == (emulator.service_sid, MG, "PT1M", "PT10M")
    assert updated.links["service"] == (
        f"{emulator.base_url}/conversations/v1/Services/{emulator.service_sid}/Configuration"
    )
    # Partial: what is not sent stays; PT0S turns a timer off.
    again = configuration().update(default_inactive_timer="PT0S")
    assert (again.default_inactive_timer, again.default_closed_timer) == (None, "PT10M")
    assert again.default_chat_service_sid == emulator.service_sid
    fetched = configuration().fetch()
    assert (fetched.default_messaging_service_sid, fetched.default_inactive_timer) == (MG, None)
    # The other account keeps its own.
    assert (
        emulator.other_client().conversations.v1.configuration().fetch().default_chat_service_sid
        is None
    )


@pytest.mark.parametrize(
    ("params", "status", "code", "named"),
    [
        ({"default_inactive_timer": "PT59S"}, 400, 50375, "DefaultInactiveTimer"),
        ({"default_inactive_timer": "-PT5M"}, 400, 50375, "DefaultInactiveTimer"),
        ({"default_closed_timer": "PT9M"}, 400, 20001, "DefaultClosedTimer"),
        ({"default_closed_timer": "ten minutes"}, 400, 20001, "DefaultClosedTimer"),
        ({"default_chat_service_sid": "IS123"}, 400, 20001, "DefaultChatServiceSid"),
        ({"default_messaging_service_sid": "IS" + "5" * 32}, 400, 20001, "MessagingServiceSid"),
        ({"default_chat_service_sid": "IS" + "0" * 32}, 404, 20404, "IS" + "0" * 32),
    ],
)
def test_update_checks_each_default(
    emulator: EmulatorHandle, params: dict[str, str], status: int, code: int, named: str
) -> None:
    configuration = emulator.client().conversations.v1.configuration
    with pytest.raises(TwilioRestException) as err:
        configuration().update(**params)
    assert (err.value.status, err.value.code) == (status, code)
    assert named in err.value.msg
    assert configuration().fetch().default_inactive_timer is None  # nothing half-applied


def test_another_accounts_service_cannot_be_the_default(emulator: EmulatorHandle) -> None:
    theirs = emulator.other_client().conversations.v1.services.create(friendly_name="Theirs")
    with pytest.raises(TwilioRestException) as err:
        emulator.client().conversations.v1.configuration().update(
            default_chat_service_sid=theirs.sid
        )
    assert (err.value.status, err.value.code) == (404, 20404)
