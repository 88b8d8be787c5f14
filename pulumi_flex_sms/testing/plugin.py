"""pytest plugin: a Twilio emulator for the tests of users' own code.

Registered through the ``pytest11`` entry point, so pytest loads it wherever
pulumi-flex-sms is installed (``-p no:pulumi_flex_sms`` turns it off). It
imports nothing heavy at load time; the emulator starts the first time a test
asks for ``twilio_emulator``::

    import pytest

    @pytest.mark.twilio_seed({"phone_numbers": [{"phone_number": "+15005550006"}]})
    def test_my_service(twilio_emulator):
        my_service = MyService(twilio_emulator.client)       # a ready twilio Client
        my_service.route_sms_to_flex("+15005550006")
        assert twilio_emulator.requests(method="POST")       # the request journal

Fixtures:

``twilio_emulator``
    A :class:`~pulumi_flex_sms.testing.TwilioEmulator`: the session's emulator,
    reset (state, faults, journal) and seeded for this test.
``twilio_seed``
    The seed when a test has no ``twilio_seed`` marker; None (nothing but the
    default account) unless a conftest overrides it.
``twilio_emulator_process``
    The session's ``python -m pulumi_flex_sms.emulator --port 0`` process,
    stopped by pid when the session ends.

The marker ``@pytest.mark.twilio_seed(seed)`` takes a seed document, or the path
of a JSON/YAML seed file (relative to the test file's folder); keyword
arguments are a document too (``twilio_seed(phone_numbers=[...])``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

# Every pytest run of anyone who installs the package loads this module: it imports
# only pytest here, and the toolkit when a test first asks for an emulator.
if TYPE_CHECKING:
    from .handle import SeedSource, TwilioEmulator
    from .process import EmulatorProcess

__all__ = ["pytest_configure", "twilio_emulator", "twilio_emulator_process", "twilio_seed"]

MARKER = "twilio_seed"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(seed=None, **document): seed the twilio_emulator fixture's emulator for "
        "this test with a seed document, or a JSON/YAML seed file (relative to the test file)",
    )


@pytest.fixture(scope="session")
def twilio_emulator_process() -> Iterator[EmulatorProcess]:
    """The session's emulator process (default account, a free loopback port)."""
    from .handle import missing_extra
    from .process import start_process

    problem = missing_extra("the twilio_emulator fixture")
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    process = start_process()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def twilio_seed() -> SeedSource | None:
    """The seed for tests without a ``twilio_seed`` marker (override it in a conftest)."""
    return None


def _marker_seed(marker: pytest.Mark) -> SeedSource | None:
    if (marker.args and marker.kwargs) or len(marker.args) > 1:
        pytest.fail(
            f"@pytest.mark.{MARKER} takes one seed (a document or a file path) "
            "or keyword arguments forming the document, not both",
            pytrace=False,
        )
    return marker.args[0] if marker.args else dict(marker.kwargs)


@pytest.fixture
def twilio_emulator(
    twilio_emulator_process: EmulatorProcess,
    twilio_seed: SeedSource | None,
    request: pytest.FixtureRequest,
) -> TwilioEmulator:
    """The session's emulator, reset and seeded for this test."""
    from pulumi_flex_sms.emulator.control import EmulatorControl, EmulatorControlError

    from .handle import SeedError, seeded_emulator

    process = twilio_emulator_process
    marker = request.node.get_closest_marker(MARKER)
    seed: Any = _marker_seed(marker) if marker is not None else twilio_seed
    control = EmulatorControl(process.base_url)
    control.reset()  # also clears faults and the journal: each test starts from nothing
    try:
        return seeded_emulator(
            process.base_url,
            control,
            (process.account_sid, process.auth_token),
            seed,
            base_dir=request.path.parent,
        )
    except (SeedError, TypeError) as exc:
        problem = f"{MARKER}: {exc}"
    except EmulatorControlError as exc:
        problem = f"{MARKER}: the emulator refused the seed: {exc}"
    pytest.fail(problem, pytrace=False)  # outside the except: no chained traceback
