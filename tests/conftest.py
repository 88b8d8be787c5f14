"""Fixtures shared by the whole suite: a real Twilio emulator to test against.

``emulator`` (function scope) is the one most tests want::

    def test_something(emulator):
        client = emulator.client()                 # twilio Client pointed at the emulator
        client.conversations.v1.address_configurations.create(
            type="sms", address=emulator.number.phone_number)
        assert len(emulator.requests(method="POST")) == 1   # the request journal

It resets the session's emulator process, clears faults and the journal, seeds
the standard seed (``support.emulator.STANDARD``) and yields an
``EmulatorHandle``: ``base_url``, ``account_sid``, ``auth_token``,
``api_key_sid``, ``api_key_secret``, ``numbers``/``number`` (seeded phone
numbers), ``service_sid``, ``flow_sid``, a second account (``other_*``),
``control`` (``EmulatorControl``: seed, faults, journal), ``client()`` (every
response is validated against Twilio's OpenAPI specs) and ``env()`` (the
environment that points pulumi-flex-sms's gateway at it).

At teardown it fails the test if the journal holds a DELETE of an
IncomingPhoneNumber (which would release a real number), unless the test is
marked ``@pytest.mark.releases_numbers``.

``emulator_process`` (session scope) is the ``python -m pulumi_flex_sms.emulator
--port 0`` subprocess behind it, stopped by pid at the end of the session; it is
started by the code the users' pytest plugin ships (``pulumi_flex_sms.testing``).
That plugin, loaded by its entry point here too, adds ``twilio_emulator`` (its own
process with the default account, started only when a test asks for it:
tests/testing/).
``spec`` is the OpenAPI validator, or a skip when the specs are not available.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.emulator import (
    STANDARD,
    EmulatorHandle,
    EmulatorProcess,
    start_process,
)
from support.openapi import SpecValidator, missing_reason, spec_validator

from pulumi_flex_sms.emulator.control import EmulatorControl

NUMBER_DELETES = "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers/*"

# The emulator tests run the fixtures themselves in nested sessions.
pytest_plugins = ("pytester",)


def pytest_report_header() -> str:
    validator = spec_validator()
    if validator is None:
        return missing_reason()
    extras = "" if validator.forbid_extra_properties else " (older npm copy: extra fields allowed)"
    return f"twilio-oai specs: {validator.spec_dir}{extras}"


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[EmulatorProcess]:
    process = start_process(
        ["--account-sid", STANDARD.account_sid, "--auth-token", STANDARD.auth_token]
    )
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def emulator(
    emulator_process: EmulatorProcess, request: pytest.FixtureRequest
) -> Iterator[EmulatorHandle]:
    control = EmulatorControl(emulator_process.base_url)
    control.reset()  # also clears faults and the journal
    control.seed(STANDARD.seed())
    handle = EmulatorHandle(base_url=emulator_process.base_url, control=control)
    yield handle
    if request.node.get_closest_marker("releases_numbers") is None:
        released = control.requests(method="DELETE", path=NUMBER_DELETES)
        if released:
            paths = ", ".join(entry["path"] for entry in released)
            pytest.fail(
                f"the test released phone numbers (DELETE {paths}); "
                "mark it @pytest.mark.releases_numbers if that is the point"
            )


@pytest.fixture
def spec() -> SpecValidator:
    validator = spec_validator()
    if validator is None:
        pytest.skip(missing_reason())
    return validator
