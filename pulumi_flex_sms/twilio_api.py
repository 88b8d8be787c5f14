"""Twilio's API as plain operations over plain data.

Every read and write pulumi-flex-sms makes goes through here: the providers,
the program's preflight and the audit call these functions and never see a
twilio-python object. This is the one module above :mod:`pulumi_flex_sms.gateway`
that walks twilio-python's resource tree (the gateway builds the client,
routes it to the emulator, retries and translates errors); it owns paging,
record conversion and the look-ups that settle a write whose answer was lost.

Records are plain dicts: every field of the resource's schema in Twilio's
OpenAPI specs, named as in its JSON (snake_case), ``None`` where Twilio sent
nothing. Dates are ISO 8601 strings in UTC (``"2016-03-24T21:05:50Z"``), as
Twilio's v1 APIs send them; the Api 2010 resources' RFC 2822 dates are
converted. So a record goes as it is into
:meth:`pulumi_flex_sms.routing.AccountSnapshot.from_twilio`.

Parameters are twilio-python's keyword names for Twilio's parameters
(``friendly_name``, ``auto_creation_studio_flow_sid``, ``sms_url``);
twilio-python encodes them as the spec's form fields.

Lists read whole pages at the largest size each API allows, so the requests a
listing makes grow with its pages, never with its records; a record another
one refers to (a Studio flow, a Conversations service, a TwiML app) is one
fetch by SID.

Errors are those of :mod:`pulumi_flex_sms.errors`, with messages that say what
was being done. A fetch of something that does not exist returns ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

from . import gateway, settings
from .errors import (
    ConflictError,
    NotFoundError,
    RequestRejectedError,
    ResponseLostError,
    ServerError,
    TwilioError,
)

__all__ = [
    "Confirmed",
    "Occupied",
    "Record",
    "Unconfirmed",
    "account_sid",
    "create_address_configuration",
    "delete_address_configuration",
    "fetch_address_configuration",
    "fetch_application",
    "fetch_conversation_service",
    "fetch_conversations_configuration",
    "fetch_flex_configuration",
    "fetch_number",
    "fetch_studio_flow",
    "find_number",
    "list_address_configurations",
    "list_applications",
    "list_conversation_services",
    "list_flex_flows",
    "list_messaging_services",
    "list_numbers",
    "not_in_account",
    "update_address_configuration",
    "update_number",
    "update_number_confirmed",
]

Record = dict[str, Any]
"""One Twilio resource: its JSON fields (snake_case), dates as ISO 8601 strings."""

T = TypeVar("T")

#: The largest page each list allows (the specs' ``PageSize`` maximum). Conversations
#: services: the spec allows 100, the emulator 50; 50 works against both.
_PAGE_SIZE_2010 = 1000
_PAGE_SIZE_ADDRESSES = 50
_PAGE_SIZE_CONVERSATION_SERVICES = 50
_PAGE_SIZE_MESSAGING = 1000
_PAGE_SIZE_FLEX_FLOWS = 1000
#: Looking a number up by E.164: Twilio's filter is a pattern, so a page may hold others.
_PAGE_SIZE_FIND = 100


@dataclass(frozen=True)
class Confirmed:
    """The write is applied: ``record`` is what Twilio holds now."""

    record: Record


@dataclass(frozen=True)
class Occupied:
    """A create found another configuration at its address: ``record``, not made by it."""

    record: Record


@dataclass(frozen=True)
class Unconfirmed:
    """The write was sent, its answer was lost, and no look-up could tell whether it applied.

    ``why`` says what happened, for the user: the tries, and what the look-up met.
    """

    why: str


# --- records and pages ----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _record(instance: Any) -> Record:
    """A twilio-python instance as its JSON record (it keeps one attribute per field)."""
    return {name: _plain(value) for name, value in vars(instance).items() if name[0] != "_"}


def _records(first_page: Any) -> Iterator[Record]:
    """Every record from ``first_page`` on, one request per page."""
    page = first_page
    while page is not None:
        for instance in page:
            yield _record(instance)
        page = page.next_page()


def _listed(action: str, first_page: Callable[[], Any]) -> list[Record]:
    with gateway.twilio_errors(action):
        return list(_records(first_page()))


def _fetched(action: str, fetch: Callable[[], Any]) -> Record | None:
    try:
        with gateway.twilio_errors(action):
            return _record(fetch())
    except NotFoundError:
        return None


def _twilio() -> Any:
    return gateway.client()


def account_sid() -> str:
    """The account every request is made for."""
    return gateway.account_sid()


# --- Conversations address configurations --------------------------------------------------


def _configurations() -> Any:
    return _twilio().conversations.v1.address_configurations


def fetch_address_configuration(sid_or_address: str) -> Record | None:
    """One GET by ``IG...`` SID or by the address itself (Twilio takes either)."""
    return _fetched(
        f"read the address configuration {sid_or_address}",
        lambda: _configurations()(sid_or_address).fetch(),
    )


def list_address_configurations() -> list[Record]:
    """Every address configuration of the account (every type, not only ``sms``)."""
    return _listed(
        "list the address configurations",
        lambda: _configurations().page(page_size=_PAGE_SIZE_ADDRESSES),
    )


def _look(address: str) -> tuple[Record | None, TwilioError | None]:
    """(configuration or None, None) when the look-up worked; (None, why) when it failed."""
    try:
        return fetch_address_configuration(address), None
    except TwilioError as exc:
        return None, exc


def _unknown_create(lost: list[ResponseLostError], look_failed: TwilioError | None) -> str:
    times = "once" if len(lost) == 1 else f"{len(lost)} times"
    why = f"Twilio's answer to the create was lost {times} (last: {lost[-1].attempts})"
    if look_failed is not None:
        return (
            f"{why}, and the look-up that followed failed ({look_failed.attempts or look_failed})"
        )
    return (
        f"{why}; the look-ups found no configuration yet, but a try that got no answer may "
        "still be applied"
    )


def create_address_configuration(
    params: Mapping[str, Any],
    *,
    is_ours: Callable[[Record], bool],
    references: Mapping[str, str] | None = None,
) -> Confirmed | Occupied | Unconfirmed:
    """Create a configuration (``params`` hold ``address``); never a duplicate, never an orphan.

    A create whose answer is lost is looked up at its address before it is sent
    again, waiting between tries as the gateway's retries do and within the same
    budget (:func:`pulumi_flex_sms.gateway.retry_budget`). What the look-up finds
    is the create's own when ``is_ours(record)`` says so (it holds what was sent);
    anything else at the address, or found after Twilio refused the create, is
    :class:`Occupied`. :class:`Unconfirmed` when neither answers nor look-ups can
    tell. Raises Twilio's refusal when nothing is at the address, and
    :class:`~pulumi_flex_sms.errors.ServerError` when every try was answered with
    5xx and the look-ups found nothing: then none was created.

    ``references`` maps the property holding a SID (``auto_creation.studio_flow_sid``)
    to the SID, so a 404 names the missing one.
    """
    address = str(params["address"])
    action = f"create the address configuration for {address}"
    budget = gateway.retry_budget()
    lost: list[ResponseLostError] = []  # tries of this create that may yet be applied
    while True:
        try:
            with gateway.twilio_errors(action, references=references), gateway.creating():
                return Confirmed(_record(_configurations().create(**params)))
        except ResponseLostError as exc:
            lost.append(exc)
        except (RequestRejectedError, ConflictError):
            existing, look_failed = _look(address)
            if look_failed is not None and lost:
                return Unconfirmed(_unknown_create(lost, look_failed))
            if existing is None:
                raise
            if lost and is_ours(existing):
                return Confirmed(existing)  # a lost try landed after the last look
            return Occupied(existing)
        # The try may have been applied: look before sending it again.
        existing, look_failed = _look(address)
        if look_failed is not None:
            return Unconfirmed(_unknown_create(lost, look_failed))
        if existing is not None:
            return Confirmed(existing) if is_ours(existing) else Occupied(existing)
        if budget.spent(len(lost)):
            if any(exc.unanswered for exc in lost):
                return Unconfirmed(_unknown_create(lost, None))
            # Twilio answered every try, so none is in flight: the look-ups are the truth.
            statuses = "/".join(sorted({f"{exc.status}" for exc in lost}))
            raise ServerError(
                f"Twilio answered HTTP {statuses} to all {len(lost)} tries to {action}, and "
                f"a look-up after each found no configuration for {address}: none was "
                "created. Run `pulumi up` again later.",
                status=lost[-1].status,
                code=lost[-1].code,
            )
        budget.pause(len(lost), why=f"the create of {address} got no usable answer")


def update_address_configuration(
    sid: str,
    params: Mapping[str, Any],
    *,
    address: str | None = None,
    references: Mapping[str, str] | None = None,
    missing: str | None = None,
) -> Record:
    """One POST with ``params``; ``missing`` is the message when the configuration is gone."""
    action = f"update the address configuration {sid} for {address or sid}"
    with gateway.twilio_errors(action, references=references, missing=missing):
        return _record(_configurations()(sid).update(**params))


def delete_address_configuration(sid_or_address: str) -> bool:
    """One DELETE; False when it was already gone."""
    try:
        with gateway.twilio_errors(f"delete the address configuration {sid_or_address}"):
            _configurations()(sid_or_address).delete()
    except NotFoundError:
        return False
    return True


# --- incoming phone numbers (Api 2010) -------------------------------------------------------


def _numbers() -> Any:
    return _twilio().api.v2010.account.incoming_phone_numbers


def not_in_account(number: str) -> str:
    """The message for a number (E.164 or ``PN...``) that is not in the account."""
    return (
        f"The phone number {number} is not in Twilio account {account_sid()}. "
        "pulumi-flex-sms never buys numbers: buy or port it in the Twilio Console first, "
        f"or check {settings.ACCOUNT_SID.key} and the number."
    )


def find_number(phone_number: str) -> Record:
    """The number with exactly this E.164 form; NotFoundError when the account has none.

    Twilio's ``PhoneNumber`` filter matches a pattern, so the pages it returns are
    searched for the exact number.
    """
    action = f"look up the phone number {phone_number}"
    with gateway.twilio_errors(action):
        first = _numbers().page(phone_number=phone_number, page_size=_PAGE_SIZE_FIND)
        for record in _records(first):
            if record.get("phone_number") == phone_number:
                return record
    raise NotFoundError(not_in_account(phone_number), status=404)


def fetch_number(sid: str) -> Record | None:
    """One GET by ``PN...`` SID; None when the account has no such number."""
    return _fetched(f"read the phone number {sid}", lambda: _numbers()(sid).fetch())


def list_numbers() -> list[Record]:
    """Every incoming phone number of the account."""
    return _listed("list the phone numbers", lambda: _numbers().page(page_size=_PAGE_SIZE_2010))


#: Twilio's refusals of a number's messaging settings, by error code: which property
#: it refused (the keyword the user wrote) and the fix. Twilio's own message names its
#: form field (``SmsApplicationSid``) at best.
_URL_PARAMS = ("sms_url", "sms_fallback_url")
_REFUSED_SETTING = {
    # https://www.twilio.com/docs/api/errors/21402
    21402: (
        _URL_PARAMS,
        "is not a URL Twilio accepts: give an absolute http(s) URL with a public host "
        'name, or "" for none',
    ),
    # https://www.twilio.com/docs/api/errors/22108
    22108: (
        ("sms_application_sid",),
        "names no TwiML app of this account: copy the AP... SID from Console > TwiML Apps, "
        'or set "" for none',
    ),
}


def _named_refusal(exc: RequestRejectedError, params: Mapping[str, Any]) -> RequestRejectedError:
    """``exc`` with the refused property and its fix, when Twilio's code tells which one."""
    known = _REFUSED_SETTING.get(exc.code) if exc.code is not None else None
    sent = [name for name in known[0] if params.get(name)] if known else []
    if known is None or not sent:
        return exc
    return RequestRejectedError(
        f"{exc} {' or '.join(sent)} {known[1]}.", status=exc.status, code=exc.code
    )


def update_number(sid: str, params: Mapping[str, Any], *, number: str | None = None) -> Record:
    """One POST of messaging settings (never anything that releases the number).

    ``number`` names it in messages; a number no longer in the account raises
    NotFoundError saying so (:func:`not_in_account`); a setting Twilio refuses is
    named, with its fix.
    """
    named = number or sid
    try:
        with gateway.twilio_errors(
            f"update the messaging settings of {named}", missing=not_in_account(named)
        ):
            return _record(_numbers()(sid).update(**params))
    except RequestRejectedError as exc:
        raise _named_refusal(exc, params) from None


def update_number_confirmed(
    sid: str,
    params: Mapping[str, Any],
    *,
    is_applied: Callable[[Record], bool],
    number: str | None = None,
) -> Confirmed | Unconfirmed:
    """:func:`update_number`, with a lost answer settled by one look-up.

    :class:`Confirmed` when the number shows the update (``is_applied(record)``);
    :class:`Unconfirmed` when the look-up fails, or finds it not applied while a
    try that got no answer may still land. Raises
    :class:`~pulumi_flex_sms.errors.ServerError` when Twilio answered every try and
    the look-up finds it not applied (nothing was changed), and NotFoundError when
    the number is gone.
    """
    named = number or sid
    try:
        return Confirmed(update_number(sid, params, number=number))
    except ResponseLostError as lost:
        try:
            now = fetch_number(sid)
        except TwilioError as look_failed:
            looked = f"and a look-up failed too ({look_failed.attempts or look_failed})"
        else:
            if now is None:
                raise NotFoundError(not_in_account(named), status=404) from None
            if is_applied(now):
                return Confirmed(now)
            if not lost.unanswered:
                # Twilio answered every try, so none is still in flight: the look is the truth.
                raise ServerError(
                    f"Twilio failed every try to update the messaging settings of {named} "
                    f"({lost.attempts}), and a look-up afterwards found them unchanged: "
                    "nothing was changed. Run `pulumi up` again later.",
                    status=lost.status,
                    code=lost.code,
                ) from None
            looked = (
                "and a look-up found it not applied yet, but a try that got no answer may "
                "still be applied"
            )
        return Unconfirmed(f"Twilio's answer to the update was lost ({lost.attempts}), {looked}")


# --- the rest of an account's inbound routing (read-only, for the audit) --------------------


def list_applications() -> list[Record]:
    """Every TwiML application of the account."""
    return _listed(
        "list the TwiML applications",
        lambda: _twilio().api.v2010.account.applications.page(page_size=_PAGE_SIZE_2010),
    )


def fetch_application(sid: str) -> Record | None:
    """One TwiML application (``AP...``); None when it does not exist."""
    return _fetched(
        f"read the TwiML application {sid}",
        lambda: _twilio().api.v2010.account.applications(sid).fetch(),
    )


def list_messaging_services() -> list[tuple[Record, list[Record]]]:
    """Every Messaging Service with the phone numbers in its sender pool.

    One page of services, then one page of numbers per service: requests grow
    with services, not with numbers.
    """
    services = _twilio().messaging.v1.services
    with gateway.twilio_errors("list the Messaging Services and their numbers"):
        return [
            (
                service,
                list(
                    _records(
                        services(service["sid"]).phone_numbers.page(page_size=_PAGE_SIZE_MESSAGING)
                    )
                ),
            )
            for service in _records(services.page(page_size=_PAGE_SIZE_MESSAGING))
        ]


def list_flex_flows() -> list[Record]:
    """Every Flex Flow (the legacy Flex channel setup, Flex UI 1.x)."""
    return _listed(
        "list the Flex Flows",
        lambda: _twilio().flex_api.v1.flex_flow.page(page_size=_PAGE_SIZE_FLEX_FLOWS),
    )


def fetch_conversations_configuration() -> Record:
    """The account's Conversations defaults (default service, timers)."""
    with gateway.twilio_errors("read the Conversations configuration"):
        return _record(_twilio().conversations.v1.configuration().fetch())


def fetch_flex_configuration() -> Record | None:
    """The account's Flex configuration; None when the account has no Flex."""
    return _fetched(
        "read the Flex configuration", lambda: _twilio().flex_api.v1.configuration().fetch()
    )


def fetch_studio_flow(sid: str) -> Record | None:
    """One Studio flow (``FW...``) with its definition; None when it does not exist."""
    return _fetched(f"read the Studio flow {sid}", lambda: _twilio().studio.v2.flows(sid).fetch())


def fetch_conversation_service(sid: str) -> Record | None:
    """One Conversations service (``IS...``); None when it does not exist."""
    return _fetched(
        f"read the Conversations service {sid}",
        lambda: _twilio().conversations.v1.services(sid).fetch(),
    )


def list_conversation_services() -> list[Record]:
    """Every Conversations service of the account."""
    return _listed(
        "list the Conversations services",
        lambda: _twilio().conversations.v1.services.page(
            page_size=_PAGE_SIZE_CONVERSATION_SERVICES
        ),
    )
