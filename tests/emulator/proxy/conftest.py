"""An emulator with its proxy on, every answer it gives checked against Twilio's specs.

``proxied_server`` (module scope) is an in-process :class:`EmulatorServer` with
``proxy_port=0`` and its CA in a temporary directory, its app wrapped by a
:class:`~support.proxy.ResponseRecorder`. ``proxy`` resets and seeds it per test
(the standard seed) and fails the test if any answer broke Twilio's contract.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.emulator import STANDARD
from support.openapi import missing_reason, spec_validator
from support.proxy import Proxied, ResponseRecorder

from pulumi_flex_sms.emulator.control import EmulatorControl
from pulumi_flex_sms.emulator.server import EmulatorServer


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    ca_dir = tmp_path_factory.mktemp("ca")
    server = EmulatorServer(
        account_sid=STANDARD.account_sid,
        auth_token=STANDARD.auth_token,
        proxy_port=0,
        ca_dir=ca_dir,
    )
    recorder = ResponseRecorder(server.app)
    server.app = recorder  # type: ignore[assignment]  # what uvicorn serves, on both ports
    server.start()
    try:
        yield Proxied(server, recorder, EmulatorControl(server.base_url))
    finally:
        server.stop()


@pytest.fixture
def proxy(proxied_server: Proxied) -> Iterator[Proxied]:
    proxied_server.control.reset()
    proxied_server.control.seed(STANDARD.seed())
    proxied_server.recorder.clear()
    yield proxied_server
    errors = proxied_server.recorder.errors
    assert not errors, "answers that break Twilio's contract:\n" + "\n".join(errors)


@pytest.fixture
def spec_checked() -> None:
    """Skip (with the reason) where the OpenAPI specs are not available."""
    if spec_validator() is None:
        pytest.skip(missing_reason())
