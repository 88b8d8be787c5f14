"""``--emit-pulumi DIR``: the Pulumi program that adopts what the audit found. Pure.

For each SMS address configuration, a ``FlexSmsAddress`` with
``adopt_existing=True`` and its current settings; for each number that has
one, a ``PhoneNumberMessagingConfig`` with the number's current messaging
settings. Both are built from the providers' own reading of Twilio's records
(``live_state``), so the first ``pulumi up`` sends no write: the address is
adopted as it is, the number found as it is. Resource names are derived from
the number (``address-13115552368``, ``number-13115552368``).

Each finding of the audit is a comment at the resource it concerns (the
number's handler, service and legacy flow at the number; autocreation, flow
and service at the address), saying what to change and why; findings no
resource here can hold (the account's defaults, numbers without an address)
head the program. A URL with credentials is never written into the program:
it is read from a secret in the stack config, whose key a comment names.

A setting a resource would refuse at ``pulumi preview`` (say an ``http://``
autocreation webhook) cannot be declared as it is: that resource is written
as a comment, with the reasons, for the team to fix and uncomment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..keys import AddressKeys, AutoCreationKeys, PhoneNumberKeys, to_python_name
from ..models.address import AUTO_CREATION_FIELDS, check_address
from ..models.address import effective as address_inputs
from ..models.address import live_state as address_state
from ..models.phone_number import check_phone_number
from ..models.phone_number import live_state as number_state
from ..routing import Problem, normalize_address
from ..urls import has_credentials, mask_credentials
from .pysource import LINE_LENGTH, Code, assignment, block, call, comment
from .report import NumberReport, Report

__all__ = ["NUMBER_CODES", "hidden_from_pack", "program_files", "resource_names"]

#: Findings about the number's own settings (handler, Messaging Service, legacy Flex
#: Flow): they go at its PhoneNumberMessagingConfig; the others at its FlexSmsAddress.
NUMBER_CODES = frozenset({"handler-in-parallel", "messaging-service-overrides", "legacy-flex-flow"})

_SMS_KEYS = (
    PhoneNumberKeys.SMS_URL,
    PhoneNumberKeys.SMS_METHOD,
    PhoneNumberKeys.SMS_FALLBACK_URL,
    PhoneNumberKeys.SMS_FALLBACK_METHOD,
    PhoneNumberKeys.SMS_APPLICATION_SID,
)
_AUTO_KEYS = tuple(f.key for f in AUTO_CREATION_FIELDS)
_URL_KEYS = frozenset(
    {PhoneNumberKeys.SMS_URL, PhoneNumberKeys.SMS_FALLBACK_URL, AutoCreationKeys.WEBHOOK_URL}
)


def resource_names(phone_number: str) -> tuple[str, str]:
    """(address resource, number resource) for an E.164 number: ``address-13115552368``..."""
    digits = "".join(c for c in phone_number if c.isdigit())
    return f"address-{digits}", f"number-{digits}"


def _variable(resource: str) -> str:
    return resource.replace("-", "_")


#: Why the policy pack cannot see a finding in the emitted stack, by code.
_HIDDEN = {
    "messaging-service-overrides": "the Messaging Service is not declared here",
    "legacy-flex-flow": "the legacy Flex Flow is not declared here",
    "flow-missing": "the Studio flow is not declared here",
    "flow-not-published": "the Studio flow is not declared here",
    "flow-without-send-to-flex": "the Studio flow is not declared here",
    "not-flex-service": "the Conversations services and defaults are not declared here",
    "service-missing": "the Conversations services and defaults are not declared here",
    "no-conversation": "no address is declared for the number",
    "not-delivered": "which numbers the account has is not declared here",
}


def hidden_from_pack(number: NumberReport | None, problem: Problem) -> str | None:
    """Why the policy pack, run on the emitted stack, cannot report ``problem``; None if it can.

    The stack holds the addresses and the numbers' own settings, so the pack sees
    a handler on the number, autocreation disabled and an autocreation that
    attaches nothing. The rest lives in resources the program does not declare;
    and for a number in a Messaging Service, the service decides the route.
    """
    if problem.code in _HIDDEN:
        return _HIDDEN[problem.code]
    if number is not None and number.trace.messaging_service is not None:
        return "the number's Messaging Service, which decides its route, is not declared here"
    return None


def _finding(
    problem: Problem, number: NumberReport | None = None, *, at: bool = False
) -> list[str]:
    """The finding as a comment; ``at`` a resource, it says when the pack cannot see it."""
    text = f"[{problem.severity}] [{problem.code}] {problem.message}"
    hidden = hidden_from_pack(number, problem) if at else None
    if hidden is not None:
        text += f"\n(The policy pack cannot see this in the stack: {hidden}; keep this note.)"
    return comment(text)


@dataclass
class _Resource:
    """One resource of the program: its comments, its arguments, why it cannot be declared."""

    name: str
    kind: str
    arguments: dict[str, Any]
    number: NumberReport | None = None
    """The audit's report of the resource's number, when the account has it."""
    notes: list[str] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    """Why the resource's check would refuse these settings (then it is only a comment)."""

    @property
    def variable(self) -> str:
        return _variable(self.name)

    def lines(self) -> list[str]:
        out = [line for note in self.notes for line in comment(note)]
        out += [line for p in self.findings for line in _finding(p, self.number, at=True)]
        statement = call(self.kind, self.name, **self.arguments)
        if not self.refused:
            return out + assignment(self.variable, statement)
        out += comment(
            f"NOT DECLARED: {self.kind} refuses these settings as they are, so declaring "
            f"them would fail `pulumi preview`: {'; '.join(self.refused)}. Fix them below, "
            "then uncomment it."
        )
        commented = assignment(self.variable, statement, width=LINE_LENGTH - 2)
        return out + [f"# {line}" for line in commented]


class _Settings:
    """Settings as arguments; a URL with credentials becomes a secret of the stack config."""

    def __init__(self) -> None:
        #: (config key, the URL masked) of each URL kept out of the program.
        self.secrets: list[tuple[str, str]] = []

    def arguments(
        self, resource: str, state: Mapping[str, Any], keys: Sequence[str]
    ) -> dict[str, Any]:
        return {to_python_name(k): self._value(resource, k, state[k]) for k in keys if k in state}

    def _value(self, resource: str, key: str, value: Any) -> Any:
        if key not in _URL_KEYS or not has_credentials(value):
            return value
        config_key = f"{resource}-{key}"
        self.secrets.append((config_key, str(mask_credentials(value))))
        return Code(f'config.require_secret("{config_key}")')


def _address(record: Mapping[str, Any], settings: _Settings) -> _Resource:
    name, _ = resource_names(normalize_address(str(record["address"])))
    state = address_inputs(address_state(record))
    arguments = settings.arguments(name, state, _ADDRESS_KEYS)
    auto = state.get(AddressKeys.AUTO_CREATION)
    if auto:
        arguments["auto_creation"] = call(
            "AutoCreationArgs", **settings.arguments(name, auto, _AUTO_KEYS)
        )
    arguments["adopt_existing"] = True
    _, problems = check_address({**state, AddressKeys.ADOPT_EXISTING: True})
    return _Resource(name, "FlexSmsAddress", arguments, refused=[r for _, r in problems])


def _number(record: Mapping[str, Any], settings: _Settings) -> _Resource:
    state = {k: v for k, v in number_state(record).items() if k in _SMS_KEYS}
    number = normalize_address(str(record["phone_number"]))
    _, name = resource_names(number)
    notes = []
    app = state.get(PhoneNumberKeys.SMS_APPLICATION_SID) or ""
    if app.startswith("MG"):
        # Twilio shows a number's Messaging Service where its TwiML app would be.
        notes.append(
            f"sms_application_sid is left unmanaged: Twilio shows the number's Messaging "
            f"Service ({app}) there, and this resource does not manage services."
        )
        del state[PhoneNumberKeys.SMS_APPLICATION_SID]
    elif app and state.get(PhoneNumberKeys.SMS_URL):
        notes.append(
            f"sms_application_sid ({app}) is left unmanaged: the number has sms_url too, "
            "which Twilio ignores while the app is attached, and this resource manages one "
            "of the two."
        )
        del state[PhoneNumberKeys.SMS_APPLICATION_SID]
    arguments = {"phone_number": number, **settings.arguments(name, state, _SMS_KEYS)}
    arguments["on_delete"] = "restore"
    _, problems = check_phone_number({PhoneNumberKeys.PHONE_NUMBER: number, **state})
    refused = [r for _, r in problems]
    return _Resource(name, "PhoneNumberMessagingConfig", arguments, notes=notes, refused=refused)


def _section(
    record: Mapping[str, Any],
    number_record: Mapping[str, Any] | None,
    report: NumberReport | None,
    orphan: Sequence[Problem],
    settings: _Settings,
) -> list[str]:
    """The statements for one address: its number's resource first, then the address."""
    phone_number = normalize_address(str(record["address"]))
    address = _address(record, settings)
    number = _number(number_record, settings) if number_record is not None else None
    address.findings += orphan
    for resource in (address, number):
        if resource is not None:
            resource.number = report
    for problem in report.findings if report is not None else ():
        holder = number if number is not None and problem.code in NUMBER_CODES else address
        holder.findings.append(problem)
    options: dict[str, Any] = {"protect": True}
    if number is not None and not number.refused:
        # Blank the number's webhook before the address changes, once the team fixes it.
        options["depends_on"] = [Code(number.variable)]
    address.arguments["opts"] = call("pulumi.ResourceOptions", **options)
    if report is not None:
        title = f"{phone_number}: {report.verdict}, a first message {report.reach}"
    else:
        title = f"{phone_number}: not a phone number of this account"
    lines = ["", f"# --- {title} ---"]
    for resource in (number, address):
        if resource is not None:
            lines += ["", *resource.lines()]
    return lines


def _header(
    report: Report,
    version: str,
    account_findings: Sequence[Problem],
    unmanaged: Sequence[NumberReport],
    secrets: Sequence[tuple[str, str]],
) -> list[str]:
    lines = [
        '"""Adopt the inbound-SMS routing of a Twilio account into Pulumi.',
        "",
        f"Written by `flex-sms audit --emit-pulumi` (pulumi-flex-sms {version}) from",
        f"account {report.account_sid or '(unknown)'}. It declares what the account has now:",
        "a FlexSmsAddress (adopt_existing=True) per SMS address configuration and a",
        "PhoneNumberMessagingConfig per number that has one, with their current settings,",
        "so the first `pulumi up` changes nothing on Twilio. Each finding of the audit is",
        "a comment at its resource, saying what to change and why: change it here.",
        "",
        "Credentials: TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and",
        "TWILIO_API_SECRET) in the environment, or twilio:accountSid and twilio:authToken",
        "in the stack config. The addresses are protected, since `pulumi destroy` deletes",
        "an address configuration from Twilio; the numbers get their settings back.",
        '"""',
        "",
        "import pulumi",
        "from pulumi_flex_sms import AutoCreationArgs, FlexSmsAddress, PhoneNumberMessagingConfig",
    ]
    if secrets:
        lines += ["", *comment(_SECRETS_NOTE)]
        for key, masked in secrets:
            lines += comment(f"pulumi config set --secret {key} '<the URL>'  (now {masked})")
        lines.append("config = pulumi.Config()")
    if account_findings:
        lines += ["", "# --- The account: no resource here declares these settings ---", ""]
        lines += [line for problem in account_findings for line in _finding(problem)]
    for number in unmanaged:
        title = f"{number.phone_number}: {number.verdict}, a first message {number.reach}"
        lines += ["", f"# --- {title} ---", ""]
        lines += comment(_UNMANAGED_NOTE.format(number=number.phone_number))
        lines += [line for problem in number.findings for line in _finding(problem)]
    return lines


def program_files(
    report: Report,
    *,
    addresses: Sequence[Mapping[str, Any]],
    numbers: Sequence[Mapping[str, Any]],
    version: str,
) -> dict[str, str]:
    """``Pulumi.yaml``, ``__main__.py`` and ``requirements.txt``: file name -> text.

    ``addresses`` are Twilio's records of the address configurations to adopt
    (the ``sms`` ones are), ``numbers`` the account's numbers: those with an
    address get a resource.
    """
    settings = _Settings()
    reports = {number.phone_number: number for number in report.numbers}
    records = {normalize_address(str(r["phone_number"])): r for r in numbers}
    sms = sorted(
        (a for a in addresses if str(a.get("type") or "sms").lower() == "sms"),
        key=lambda a: normalize_address(str(a["address"])),
    )
    placed = {str(a["sid"]) for a in sms}
    orphans = [p for p in report.account_findings if p.code == "not-delivered"]
    body: list[str] = []
    for record in sms:
        phone_number = normalize_address(str(record["address"]))
        orphan = [p for p in orphans if p.subject == record["sid"]]
        body += _section(
            record, records.get(phone_number), reports.get(phone_number), orphan, settings
        )
    managed = {normalize_address(str(a["address"])) for a in sms}
    account_findings = [
        p for p in report.account_findings if not (p in orphans and p.subject in placed)
    ]
    unmanaged = [n for n in report.numbers if n.phone_number not in managed]
    main = _header(report, version, account_findings, unmanaged, settings.secrets) + body
    return {
        "Pulumi.yaml": _PULUMI_YAML.format(account=report.account_sid or "(unknown)"),
        "__main__.py": block(main),
        "requirements.txt": _requirements(version),
    }


def _requirements(version: str) -> str:
    ours = "pulumi-flex-sms" if "unknown" in version else f"pulumi-flex-sms>={version}"
    return f"pulumi>=3.216.0\n{ours}\n"


_ADDRESS_KEYS = (AddressKeys.ADDRESS, AddressKeys.FRIENDLY_NAME, AddressKeys.ADDRESS_COUNTRY)

_SECRETS_NOTE = (
    "URLs with credentials are not written into this program: each is read from a "
    "secret of the stack config. Set them before `pulumi up` (the Console shows the "
    "URLs):"
)

_UNMANAGED_NOTE = (
    "{number} has no SMS address configuration, so no resource here manages it. To "
    "route it to Flex, declare a FlexSmsAddress for it like those below (type 'studio' "
    'with your Flex Studio flow) and a PhoneNumberMessagingConfig with sms_url="".'
)

_PULUMI_YAML = """\
name: flex-sms-adopted
description: Inbound SMS to Flex on Twilio account {account}, adopted by flex-sms audit
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: venv
"""
