"""Where a simulated SMS's webhooks may go and how long they may take: ``--deliver-to``,
the ``deliver_to`` and ``delivery_timeouts`` settings (docs/emulator.md, "Simulating an
inbound SMS")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.emulator import EmulatorHandle, EmulatorProcess, start_process
from support.receiver import WebhookReceiver

from pulumi_flex_sms.emulator.__main__ import main as emulator_main
from pulumi_flex_sms.emulator.control import EmulatorControl, EmulatorControlError
from pulumi_flex_sms.emulator.server import DEFAULT_AUTH_TOKEN, EmulatorServer

NUMBER, CUSTOMER = "+15005550006", "+15551230000"


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"deliver_to": "internet"}, "settings.deliver_to"),
        ({"deliver_to": True}, "settings.deliver_to"),
        ({"delivery_timeouts": {"sms": 0}}, "settings.delivery_timeouts.sms"),
        ({"delivery_timeouts": {"sms": 61}}, "settings.delivery_timeouts.sms"),
        ({"delivery_timeouts": {"conversations": "5"}}, "settings.delivery_timeouts.conversations"),
        ({"delivery_timeouts": {"voice": 5}}, "sms and conversations"),
        ({"delivery_timeouts": 5}, "sms and conversations"),
    ],
)
def test_bad_delivery_settings_are_refused(
    emulator: EmulatorHandle, settings: dict[str, Any], words: str
) -> None:
    before = emulator.control.state()
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed({"settings": settings})
    assert err.value.status == 400 and words in err.value.body["message"]
    assert emulator.control.state() == before


def test_settings_merge_and_show_in_the_state(emulator: EmulatorHandle) -> None:
    emulator.control.seed({"settings": {"delivery_timeouts": {"sms": 2.5}}})
    emulator.control.seed(
        {"settings": {"deliver_to": "any", "delivery_timeouts": {"conversations": 1}}}
    )
    settings = emulator.control.state()["settings"]
    assert settings["deliver_to"] == "any"
    assert settings["delivery_timeouts"] == {"sms": 2.5, "conversations": 1.0}


@pytest.fixture
def quiet_emulator() -> Iterator[EmulatorProcess]:
    process = start_process(["--deliver-to", "none"])
    try:
        yield process
    finally:
        process.stop()


def test_the_command_line_option_holds_across_resets(quiet_emulator: EmulatorProcess) -> None:
    control = EmulatorControl(quiet_emulator.base_url)
    with WebhookReceiver(DEFAULT_AUTH_TOKEN) as hooks:
        for _ in range(2):  # before and after a reset
            control.seed({"phone_numbers": [{"phone_number": NUMBER, "sms_url": hooks.url("/x")}]})
            [delivery] = control.simulate_inbound_sms(CUSTOMER, NUMBER)["deliveries"]
            assert delivery["skipped"] == "deliveries are off (deliver_to: none)"
            assert control.state()["settings"]["deliver_to"] == "none"
            control.reset()
        assert hooks.received() == []


def test_a_bad_option_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        emulator_main(["--deliver-to", "everywhere"])
    assert exit_.value.code == 2 and "--deliver-to" in capsys.readouterr().err


def test_in_process_any_reaches_a_named_host() -> None:
    # "localhost" is a name, allowed by loopback too; "any" is shown to allow what
    # loopback refuses by pointing a number at 127.0.0.1 under another spelling.
    with WebhookReceiver(DEFAULT_AUTH_TOKEN) as hooks:
        port = hooks.base_url.rsplit(":", 1)[1]
        url = f"http://0x7f.1:{port}/sms"  # 127.0.0.1 spelled as a name a resolver reads
        seed = {"phone_numbers": [{"phone_number": NUMBER, "sms_url": url}]}
        for deliver_to, sent in (("loopback", False), ("any", True)):
            with EmulatorServer(seed=seed, deliver_to=deliver_to) as server:  # type: ignore[arg-type]
                control = EmulatorControl(server.base_url)
                [delivery] = control.simulate_inbound_sms(CUSTOMER, NUMBER)["deliveries"]
            assert (delivery["skipped"] is None) is sent
        assert len(hooks.received()) == 1
