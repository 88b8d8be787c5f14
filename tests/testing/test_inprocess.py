"""``emulated_twilio``: an in-process emulator for twilio-python code, no port, no socket."""

from __future__ import annotations

import importlib.util
import inspect
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from pulumi_flex_sms import gateway
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.testing import NotEmulatedError, TwilioEmulator, emulated_twilio

NUMBER = "+15005550006"
OTHER_NUMBER = "+15005550007"
SEED = {"phone_numbers": [{"phone_number": NUMBER}, {"phone_number": OTHER_NUMBER}]}
ORIGINAL_REQUEST = TwilioHttpClient.request


def addresses(client: Client) -> list[str]:
    return sorted(c.address for c in client.conversations.v1.address_configurations.list())


def configure(client: Client, number: str = NUMBER) -> Any:
    return client.conversations.v1.address_configurations.create(type="sms", address=number)


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Any attempt to connect, bind or resolve fails the test (and is recorded)."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise AssertionError(f"{what} called: the in-process emulator opened a socket")

        return refused

    for name in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield attempts
    assert attempts == []


def test_create_list_fetch_through_the_client_with_the_seed_honoured(no_sockets: list) -> None:
    with emulated_twilio(seed=SEED) as twilio:
        assert isinstance(twilio, TwilioEmulator)
        numbers = twilio.client.incoming_phone_numbers.list()
        assert sorted(n.phone_number for n in numbers) == [NUMBER, OTHER_NUMBER]
        created = configure(twilio.client)
        assert created.sid.startswith("IG") and created.address == NUMBER
        assert addresses(twilio.client) == [NUMBER]
        fetched = twilio.client.conversations.v1.address_configurations(created.sid).fetch()
        assert (fetched.sid, fetched.type) == (created.sid, "sms")
        # The journal and the control client work in-process too.
        posts = twilio.requests(method="POST", domain="conversations")
        assert [entry["form"]["Address"] for entry in posts] == [NUMBER]
        assert posts[0]["account_sid"] == twilio.account_sid
        state = twilio.control.state()
        assert [a["address"] for a in state["accounts"][0]["address_configurations"]] == [NUMBER]
        # An unowned number is refused as Twilio refuses it.
        with pytest.raises(TwilioRestException) as refused:
            configure(twilio.client, "+15005550099")
        assert refused.value.status == 400


def test_a_seed_file_and_its_first_accounts_credentials_and_api_key(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "accounts:\n"
        "  - sid: AC" + "3" * 32 + "\n"
        "    auth_token: token-of-account-three\n"
        "    api_keys: [{secret: the-key-secret}]\n"
        "    phone_numbers: [{phone_number: '" + NUMBER + "'}]\n"
    )
    with emulated_twilio(seed=seed) as twilio:
        assert (twilio.account_sid, twilio.auth_token) == (
            "AC" + "3" * 32,
            "token-of-account-three",
        )
        assert twilio.api_key_sid is not None and twilio.api_key_sid.startswith("SK")
        assert twilio.api_key_secret == "the-key-secret"
        via_key = twilio.client_for(twilio.api_key_sid, twilio.api_key_secret, twilio.account_sid)
        configure(via_key)
        assert addresses(twilio.client) == [NUMBER]
        assert twilio.requests(method="POST")[0]["credential_sid"] == twilio.api_key_sid
        assert twilio.seeded is not None
        assert twilio.seeded["accounts"][0]["phone_numbers"][0]["phone_number"] == NUMBER


def test_each_block_starts_from_its_own_seed() -> None:
    with emulated_twilio(seed=SEED) as first:
        configure(first.client)
    with emulated_twilio(seed=SEED) as second:
        assert addresses(second.client) == []
    with emulated_twilio() as bare:  # no seed: the default account alone
        assert bare.client.incoming_phone_numbers.list() == []
        assert bare.seeded is None and bare.api_key_sid is None


def test_code_under_test_that_builds_its_own_client_is_answered_too(no_sockets: list) -> None:
    with emulated_twilio(seed=SEED) as twilio:
        theirs = Client(twilio.account_sid, twilio.auth_token)  # the default TwilioHttpClient
        configure(theirs)
        assert addresses(twilio.client) == [NUMBER]
        with pytest.raises(TwilioRestException) as denied:
            configure(Client(twilio.account_sid, "wrong-token"))
        assert denied.value.status == 401
    assert TwilioHttpClient.request is ORIGINAL_REQUEST


def test_other_hosts_are_refused_without_a_socket(no_sockets: list) -> None:
    with emulated_twilio() as twilio:
        for url in (
            "https://example.com/v1/x",
            "http://127.0.0.1:1/api",
            "https://twilio.com.evil/",
        ):
            with pytest.raises(NotEmulatedError, match="refusing"):
                twilio.client.request("GET", url)
            with pytest.raises(NotEmulatedError, match="only Twilio's API hosts"):
                TwilioHttpClient().request("GET", url)
        assert twilio.requests() == []


def test_edge_and_region_hosts_reach_the_emulator(no_sockets: list) -> None:
    with emulated_twilio(seed=SEED) as twilio:
        client = Client(twilio.account_sid, twilio.auth_token, edge="sydney", region="au1")
        configure(client)
        assert addresses(twilio.client) == [NUMBER]


def test_faults_reach_the_code_under_test_as_twilio_answers_them() -> None:
    with emulated_twilio(seed=SEED) as twilio:
        twilio.control.add_fault(
            "/conversations/v1/Configuration/Addresses", method="POST", status=429, retry_after=1
        )
        with pytest.raises(TwilioRestException) as limited:
            configure(twilio.client)
        assert limited.value.status == 429
        assert len(twilio.requests(method="POST")) == 1  # no retry behind the test's back
        configure(twilio.client)  # the fault was for one request


def test_a_drop_fault_loses_the_answer_as_a_closed_connection_does(no_sockets: list) -> None:
    with emulated_twilio(seed=SEED) as twilio:
        twilio.control.add_fault("/conversations/**", method="POST", action="drop")
        with pytest.raises(requests.ConnectionError, match="drop fault on POST"):
            configure(twilio.client)
        assert addresses(twilio.client) == [NUMBER]  # applied, only the answer was lost
        [post] = twilio.requests(method="POST")
        assert (post["status"], post["fault"]) == (201, "drop")


def test_an_exception_restores_everything() -> None:
    with pytest.raises(ZeroDivisionError):
        with emulated_twilio(seed=SEED) as twilio:
            assert TwilioHttpClient.request is not ORIGINAL_REQUEST
            configure(twilio.client)
            1 / 0  # noqa: B018
    assert TwilioHttpClient.request is ORIGINAL_REQUEST
    with pytest.raises(NotEmulatedError, match="ended"):
        twilio.client.conversations.v1.address_configurations.list()


def test_a_bad_seed_fails_the_block_and_leaves_nothing_patched() -> None:
    from pulumi_flex_sms.emulator.control import EmulatorControlError

    with pytest.raises(EmulatorControlError, match="phone_numbers"):
        with emulated_twilio(seed={"phone_numbers": [{"phone_number": "not a number"}]}):
            pytest.fail("the block must not run")
    assert TwilioHttpClient.request is ORIGINAL_REQUEST


def test_nesting_routes_default_clients_to_the_innermost() -> None:
    with emulated_twilio(seed=SEED) as outer:
        configure(outer.client, NUMBER)
        with emulated_twilio(seed=SEED) as inner:
            configure(Client(inner.account_sid, inner.auth_token), OTHER_NUMBER)
            assert addresses(inner.client) == [OTHER_NUMBER]
            assert addresses(outer.client) == [NUMBER]  # a handle keeps to its own emulator
        assert addresses(Client(outer.account_sid, outer.auth_token)) == [NUMBER]
        assert TwilioHttpClient.request is not ORIGINAL_REQUEST  # the outer one still holds
    assert TwilioHttpClient.request is ORIGINAL_REQUEST


def test_one_instance_cannot_be_entered_twice() -> None:
    emulation = emulated_twilio()
    with emulation, pytest.raises(RuntimeError, match="already active"):
        emulation.__enter__()
    assert TwilioHttpClient.request is ORIGINAL_REQUEST


def test_threads_each_with_their_own_emulator_and_a_worker_thread_inside_one() -> None:
    barrier = threading.Barrier(3)
    seen: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            with emulated_twilio(seed=SEED) as twilio:
                barrier.wait(timeout=30)  # all three active at once
                number = [NUMBER, OTHER_NUMBER, NUMBER][index]
                for _ in range(5):
                    theirs = Client(twilio.account_sid, twilio.auth_token)
                    theirs.incoming_phone_numbers.list()
                configure(Client(twilio.account_sid, twilio.auth_token), number)
                barrier.wait(timeout=30)  # nobody leaves before all have written
                seen[index] = addresses(twilio.client)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert seen == {0: [NUMBER], 1: [OTHER_NUMBER], 2: [NUMBER]}
    assert TwilioHttpClient.request is ORIGINAL_REQUEST

    # A thread the code under test starts has no block of its own: it reaches the last one.
    with emulated_twilio(seed=SEED) as twilio:
        failures: list[BaseException] = []

        def in_a_worker() -> None:
            try:
                configure(Client(twilio.account_sid, twilio.auth_token))
            except BaseException as exc:
                failures.append(exc)

        worker = threading.Thread(target=in_a_worker)
        worker.start()
        worker.join(30)
        assert failures == []
        assert addresses(twilio.client) == [NUMBER]


@emulated_twilio(seed=SEED)
def test_decorator_injects_the_handle_beside_fixtures(
    twilio: TwilioEmulator, tmp_path: Path
) -> None:
    assert tmp_path.is_dir()  # pytest still provides the other arguments
    configure(twilio.client)
    assert addresses(twilio.client) == [NUMBER]


def test_decorator_form_gives_each_call_a_fresh_emulator() -> None:
    calls: list[list[str]] = []

    @emulated_twilio(seed=SEED)
    def service_call(twilio: TwilioEmulator, number: str) -> None:
        calls.append(addresses(twilio.client))
        configure(twilio.client, number)

    @emulated_twilio(seed=SEED)
    def without_handle() -> list[str]:
        client = Client("AC" + "e" * 32, "e" * 32)  # the default account
        configure(client)
        return addresses(client)

    assert list(inspect.signature(service_call).parameters) == ["number"]
    service_call(number=NUMBER)
    service_call(number=OTHER_NUMBER)
    assert calls == [[], []]
    assert without_handle() == [NUMBER]
    assert TwilioHttpClient.request is ORIGINAL_REQUEST
    with pytest.raises(TypeError, match="functions"):
        emulated_twilio()(type("Suite", (), {}))


def test_decorated_coroutines_run_inside_the_emulator() -> None:
    import asyncio

    @emulated_twilio(seed=SEED)
    async def handler(twilio: TwilioEmulator) -> list[str]:
        await asyncio.sleep(0)
        configure(twilio.client)
        return addresses(twilio.client)

    assert asyncio.run(handler()) == [NUMBER]


def test_env_points_our_providers_at_it_in_process(
    monkeypatch: pytest.MonkeyPatch, no_sockets: list
) -> None:
    monkeypatch.setattr(gateway, "_settings", None)
    with emulated_twilio(seed=SEED) as twilio:
        env = twilio.env()
        assert env["FLEX_SMS_TWILIO_BASE_URL"] == twilio.base_url
        assert env["FLEX_SMS_TWILIO_BASE_URL"].endswith(".localhost")
        gateway.configure(None, env)
        provider = FlexSmsAddressProvider()
        checked = provider.check({}, {"address": NUMBER})
        assert not checked.failures
        created = provider.create(checked.inputs)
        assert created.id.startswith("IG")
        assert addresses(twilio.client) == [NUMBER]
        assert twilio.requests(method="POST")[0]["path"] == (
            "/conversations/v1/Configuration/Addresses"
        )


def test_importing_the_toolkit_needs_no_web_stack() -> None:
    code = (
        "import sys\n"
        "from pulumi_flex_sms.testing import emulated_twilio, TwilioEmulator\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert "pulumi_flex_sms.testing.inprocess" in loaded
    web = {"starlette", "uvicorn", "httpx2", "yaml", "anyio"}
    assert sorted(m for m in loaded if m.partition(".")[0] in web) == []


def test_without_the_testing_extra_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "httpx2" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'pulumi-flex-sms\[testing\]'"):
        with emulated_twilio():
            pytest.fail("the block must not run")
    assert TwilioHttpClient.request is ORIGINAL_REQUEST


def test_the_docs_in_process_example_runs() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "testing.md").read_text()
    section = docs[docs.index("## In-process") :]
    example = section[section.index("```python\n") + len("```python\n") :]
    example = example[: example.index("```")]
    assert "with emulated_twilio(" in example
    exec(compile(example, "docs/testing.md", "exec"), {})
    assert TwilioHttpClient.request is ORIGINAL_REQUEST


def test_a_validation_client_is_answered_and_restored_too(no_sockets: list) -> None:
    """twilio's ValidationClient (public-key client validation) sends requests itself."""
    from twilio.http.validation_client import ValidationClient

    original = ValidationClient.request
    with emulated_twilio(seed=SEED) as twilio:
        signing = ValidationClient(twilio.account_sid, "SK" + "0" * 32, "CR" + "0" * 32, "key")
        configure(Client(twilio.account_sid, twilio.auth_token, http_client=signing))
        assert addresses(twilio.client) == [NUMBER]
        with pytest.raises(NotEmulatedError, match="only Twilio's API hosts"):
            signing.request("GET", "https://example.com/v1/x")
    assert ValidationClient.request is original
