"""``flex-sms simulate-inbound`` as a user runs it: a subprocess, its output, each exit code."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from support.emulator import EmulatorHandle
from support.receiver import WebhookReceiver
from support.simulation import CUSTOMER, FLEX_FLOW, flex_seed

FLEX_SMS = Path(sys.executable).with_name("flex-sms")


def simulate(*args: str, url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FLEX_SMS_TWILIO_BASE_URL"}
    if url is not None:
        env["FLEX_SMS_TWILIO_BASE_URL"] = url
    command = (
        [str(FLEX_SMS)] if FLEX_SMS.exists() else [sys.executable, "-m", "pulumi_flex_sms.cli"]
    )
    return subprocess.run(
        [*command, "simulate-inbound", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout


@pytest.fixture
def flex(emulator: EmulatorHandle) -> dict[str, Any]:
    """The standard emulator plus a Flex-ready number (see support.simulation)."""
    return flex_seed(emulator)


def test_a_clean_flex_route_exits_0(emulator: EmulatorHandle, flex: dict[str, Any]) -> None:
    result = simulate("--to", flex["number"], "--from", CUSTOMER, url=emulator.base_url)
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conversation:    created CH" in result.stdout
    assert f"Studio flow {FLEX_FLOW}" in result.stdout
    assert (
        "studio-execution" in result.stdout
        and "OK: reaches Flex by exactly one path" in result.stdout
    )


def test_json_is_one_object_with_the_contract_fields(
    emulator: EmulatorHandle, flex: dict[str, Any]
) -> None:
    result = simulate(
        "--to", flex["number"], "--from", CUSTOMER, "--body", "hi", "--json",
        "--emulator", emulator.base_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    trace = json.loads(result.stdout)
    assert trace["conversation"]["outcome"] == "created"
    assert trace["conversation"]["sid"].startswith("CH")
    assert trace["conversation"]["conversation_service_sid"] == flex["service_sid"]
    assert trace["integration"]["kind"] == "studio"
    assert trace["handlers"] == [] and trace["problems"] == []
    [execution] = trace["deliveries"]
    assert execution["kind"] == "studio-execution" and execution["execution_sid"].startswith("FN")
    # The second message from the pair joins the same conversation.
    # Written as people write numbers down, it is the same pair.
    loose = "+1 (555) 123-0000"
    assert loose.replace(" ", "").replace("(", "").replace(")", "").replace("-", "") == CUSTOMER
    again = json.loads(
        simulate("--to", flex["number"], "--from", loose, "--json", url=emulator.base_url).stdout
    )
    assert again["conversation"]["outcome"] == "appended"
    assert again["conversation"]["sid"] == trace["conversation"]["sid"]


def test_a_number_webhook_in_parallel_exits_1_and_names_the_fix(
    emulator: EmulatorHandle, flex: dict[str, Any]
) -> None:
    with WebhookReceiver(emulator.auth_token) as hooks:
        emulator.client().incoming_phone_numbers(flex["number_sid"]).update(
            sms_url=hooks.url("/sms")
        )
        result = simulate("--to", flex["number"], "--from", CUSTOMER, url=emulator.base_url)
        [request] = hooks.received("/sms")
    no_traceback(result)
    assert result.returncode == 1
    assert "[handler-in-parallel] error" in result.stdout and "Fix:" in result.stdout
    assert "NOT OK" in result.stdout
    assert request.signature_valid
    # exclusive: the webhook does not fire, but Flex still wants it blank.
    result = simulate(
        "--to", flex["number"], "--from", "+15551239999", "--json",
        "--number-webhook-mode", "exclusive", url=emulator.base_url,
    )  # fmt: skip
    assert result.returncode == 1
    trace = json.loads(result.stdout)
    assert trace["handlers"] == [] and trace["number_webhook_mode"] == "exclusive"
    assert [p["code"] for p in trace["problems"]] == ["handler-in-parallel"]


def test_a_number_nobody_owns_exits_1(emulator: EmulatorHandle) -> None:
    result = simulate("--to", "+15559999999", "--from", CUSTOMER, url=emulator.base_url)
    assert result.returncode == 1 and "[not-delivered]" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", CUSTOMER], "--to"),
        (["--to", "+15005550001", "--from", "5551230000"], "--from: '5551230000' is not an E.164"),
        (["--to", "tel:1", "--from", CUSTOMER], "--to: 'tel:1' is not an E.164"),
        (
            ["--to", "+15005550001", "--from", CUSTOMER, "--number-webhook-mode", "sometimes"],
            "invalid choice",
        ),
        (["--to", "+15005550001", "--from", CUSTOMER, "--emulator", "ftp://x"], "not an http(s)"),
        (["--to", "+15005550001", "--from", CUSTOMER], "FLEX_SMS_TWILIO_BASE_URL"),
    ],
)
def test_bad_usage_exits_2_with_a_clear_message(args: list[str], words: str) -> None:
    result = simulate(*args)
    no_traceback(result)
    assert result.returncode == 2
    assert words in result.stderr and result.stdout == ""


def test_an_unreachable_emulator_exits_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = simulate("--to", "+15005550001", "--from", CUSTOMER, url=f"http://127.0.0.1:{port}")
    no_traceback(result)
    assert result.returncode == 2
    assert f"cannot reach the emulator at http://127.0.0.1:{port}" in result.stderr


def test_something_that_is_not_an_emulator_exits_2() -> None:
    with WebhookReceiver("token") as other:
        other.answer(
            "/_emulator/simulate/inbound-sms", body="<html>hello</html>", content_type="text/html"
        )
        result = simulate("--to", "+15005550001", "--from", CUSTOMER, url=other.base_url)
    no_traceback(result)
    assert result.returncode == 2 and "flex-sms emulator" in result.stderr


def test_an_emulator_refusal_exits_2(emulator: EmulatorHandle) -> None:
    result = simulate(
        "--to", "+15005550001", "--from", CUSTOMER, "--body", "x" * 1601, url=emulator.base_url
    )
    no_traceback(result)
    assert result.returncode == 2 and "body" in result.stderr and "HTTP 400" in result.stderr


def test_the_command_never_loads_the_web_stack() -> None:
    code = (
        "import sys, pulumi_flex_sms.simulate_cli as cli\n"
        "loaded = {'starlette', 'uvicorn', 'httpx2', 'twilio'} & set(sys.modules)\n"
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_it_is_listed_by_flex_sms() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_flex_sms.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "simulate-inbound" in result.stdout


class _NotHttpServer:
    """A loopback server that answers every connection with a line that is not HTTP."""

    def __init__(self, greeting: bytes) -> None:
        self.greeting = greeting
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed: the test is over
                return
            with conn:
                conn.settimeout(10)
                conn.recv(65536)
                conn.sendall(self.greeting)

    def __enter__(self) -> _NotHttpServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
        self.thread.join(timeout=10)


@pytest.mark.parametrize(
    "greeting",
    [
        b"SSH-2.0-OpenSSH_9.6\r\n",  # --emulator pointed at another service's port
        b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"ok": tr',  # cut short
    ],
    ids=["not-http", "incomplete-answer"],
)
def test_a_server_that_does_not_speak_http_exits_2(greeting: bytes) -> None:
    with _NotHttpServer(greeting) as other:
        result = simulate("--to", "+15005550001", "--from", CUSTOMER, url=other.base_url)
    no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert other.base_url in result.stderr and "flex-sms emulator" in result.stderr


def test_errors_never_show_a_password_in_the_emulator_url() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    for url in (f"http://bob:s3cret@127.0.0.1:{port}", "ftp://bob:s3cret@example.com/"):
        result = simulate("--to", "+15005550001", "--from", CUSTOMER, url=url)
        no_traceback(result)
        assert result.returncode == 2
        assert "s3cret" not in result.stderr + result.stdout
        assert "***" in result.stderr


def test_a_proxy_in_the_environment_does_not_take_a_loopback_emulator(
    emulator: EmulatorHandle, flex: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A runner behind a corporate proxy: urllib would send even loopback through it."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers
    result = simulate("--to", flex["number"], "--from", CUSTOMER, url=emulator.base_url)
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
