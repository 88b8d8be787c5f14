"""A Resource (emulator/resource.py) serves exactly the requests it declares: the ones
Twilio does not serve for that resource are Twilio's 405, not a handler."""

from __future__ import annotations

import pytest
import requests
from starlette.routing import Route
from support.emulator import EmulatorHandle

from pulumi_flex_sms.emulator.messaging.handlers import PHONE_NUMBERS
from pulumi_flex_sms.emulator.numbers.handlers import PHONE_NUMBERS as INCOMING_NUMBERS

SERVICE = "IS" + "0" * 32
MESSAGING_SERVICE = "MG" + "0" * 32
FLOW = "FW" + "0" * 32


def served(routes: list[Route]) -> list[tuple[str, str]]:
    return [(route.path, method) for route in routes for method in sorted(route.methods or ())]


def test_routes_are_the_declared_requests_in_order() -> None:
    """Api 2010 paths end in ``.json``; a pool's numbers are added and removed, not updated."""
    numbers = "/api/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers"
    assert served(INCOMING_NUMBERS.routes()) == [
        (f"{numbers}.json", "GET"),
        (f"{numbers}.json", "HEAD"),
        (f"{numbers}.json", "POST"),
        (f"{numbers}/{{sid}}.json", "GET"),
        (f"{numbers}/{{sid}}.json", "HEAD"),
        (f"{numbers}/{{sid}}.json", "POST"),
        (f"{numbers}/{{sid}}.json", "DELETE"),
    ]
    pool = "/messaging/v1/Services/{service_sid}/PhoneNumbers"
    assert served(PHONE_NUMBERS.routes()) == [
        (pool, "GET"),
        (pool, "HEAD"),
        (pool, "POST"),
        (f"{pool}/{{sid}}", "GET"),
        (f"{pool}/{{sid}}", "HEAD"),
        (f"{pool}/{{sid}}", "DELETE"),
    ]


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", f"/conversations/v1/Services/{SERVICE}"),  # services are not updated
        ("POST", f"/messaging/v1/Services/{MESSAGING_SERVICE}/PhoneNumbers/PN{'0' * 32}"),
        ("POST", f"/studio/v2/Flows/{FLOW}/Executions"),  # executions start from a trigger
    ],
)
def test_an_undeclared_request_is_twilios_405(
    emulator: EmulatorHandle, method: str, path: str
) -> None:
    answer = requests.request(
        method,
        f"{emulator.base_url}{path}",
        auth=(emulator.account_sid, emulator.auth_token),
        timeout=30,
    )
    assert answer.status_code == 405 and answer.json()["code"] == 20004
