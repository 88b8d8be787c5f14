"""Validate the emulator's responses against Twilio's published OpenAPI specs.

Where the specs come from, first found wins:

1. ``$TWILIO_OAI_DIR``;
2. ``../shared/twilio-oai`` next to the repository root;
3. a cache, ``.cache/twilio-oai`` under the repository root, filled (once) from
   the npm tarball ``@twilio-alpha/mcp@0.7.0`` (``npm pack``; files
   ``package/twilio-oai/spec/json/*.json``). Set ``TWILIO_OAI_NO_DOWNLOAD=1``
   to skip that step.

With none available, :func:`spec_validator` returns None and the spec tests
skip with the reason (:func:`missing_reason`); everything else still runs.

A response at ``{base}/{domain}{path}`` is checked as Twilio's
``https://{domain}.twilio.com{path}`` with openapi-core; so is one to a Twilio
host itself (``https://{domain}[.{edge}.{region}].twilio.com{path}``: through
the emulator's proxy, or with such a ``Host`` header on its main port), whose
generated URLs must then be Twilio's own (``https://{domain}{suffix}/...``). To load fast, each spec
is cut down to the paths the emulator serves plus the components they reference
(the 2010 spec is 1.8 MB), and parsed once per process. The cut-down copy is
read *strictly*: every object schema with properties gets ``required`` = all
its properties, so a response that drops a documented field fails; and, unless
the specs are the older npm copy, ``additionalProperties: false``, so one that
invents a field fails too. (The npm copy predates fields such as the number's
``type`` and the flow's ``author_sid``, which the emulator rightly sends.)
Error responses (which the specs do not describe) are checked against
Twilio's legacy error body instead, and every URL the emulator generated must
lead back to the emulator.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
_CACHE_DIR = REPO_ROOT / ".cache" / "twilio-oai"
NPM_PACKAGE = "@twilio-alpha/mcp@0.7.0"
SPEC_FILES = {
    "conversations": "twilio_conversations_v1.json",
    "api": "twilio_api_v2010.json",
    "studio": "twilio_studio_v2.json",
    "messaging": "twilio_messaging_v1.json",
    "flex-api": "twilio_flex_v1.json",
}
#: A spec directory needs these; the others may be missing (a cache filled before
#: they were served): their domains then go unchecked and their tests skip
#: (:meth:`SpecValidator.missing_domain_reason`).
CORE_DOMAINS = ("conversations", "api", "studio")
#: The paths the emulator serves, per domain (spec path templates).
SERVED_PATHS = {
    "conversations": (
        "/v1/Configuration/Addresses",
        "/v1/Configuration/Addresses/{Sid}",
        "/v1/Services",
        "/v1/Services/{Sid}",
        "/v1/Configuration",
        *(
            f"{root}{path}"
            for root in ("/v1", "/v1/Services/{ChatServiceSid}")
            for path in (
                "/Conversations",
                "/Conversations/{Sid}",
                "/Conversations/{ConversationSid}/Participants",
                "/Conversations/{ConversationSid}/Participants/{Sid}",
                "/Conversations/{ConversationSid}/Messages",
                "/Conversations/{ConversationSid}/Messages/{Sid}",
                "/Conversations/{ConversationSid}/Webhooks",
                "/Conversations/{ConversationSid}/Webhooks/{Sid}",
            )
        ),
    ),
    "api": (
        "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
        "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
        "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/Local.json",
        "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/Mobile.json",
        "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/TollFree.json",
        "/2010-04-01/Accounts/{AccountSid}/Applications.json",
        "/2010-04-01/Accounts/{AccountSid}/Applications/{Sid}.json",
    ),
    "studio": (
        "/v2/Flows",
        "/v2/Flows/{Sid}",
        "/v2/Flows/{FlowSid}/Executions",
        "/v2/Flows/{FlowSid}/Executions/{Sid}",
        "/v2/Flows/{FlowSid}/Executions/{ExecutionSid}/Context",
        "/v2/Flows/{FlowSid}/Executions/{ExecutionSid}/Steps",
        "/v2/Flows/{FlowSid}/Executions/{ExecutionSid}/Steps/{Sid}",
    ),
    "messaging": (
        "/v1/Services",
        "/v1/Services/{Sid}",
        "/v1/Services/{ServiceSid}/PhoneNumbers",
        "/v1/Services/{ServiceSid}/PhoneNumbers/{Sid}",
    ),
    "flex-api": ("/v1/FlexFlows", "/v1/FlexFlows/{Sid}", "/v1/Configuration"),
}
#: A Twilio API host: its domain, then the rest (``.twilio.com``, ``.dublin.ie1.twilio.com``).
_TWILIO_HOST = re.compile(r"([a-z0-9-]+)((?:\.[a-z0-9-]+){0,2}\.twilio\.com)")
#: Keys whose values the emulator generates as links back to itself.
_SELF_LINK_KEYS = {"url", "first_page_url", "next_page_url", "previous_page_url"}
_SELF_URI_KEYS = {"uri", "first_page_uri", "next_page_uri", "previous_page_uri"}
#: The only date shapes twilio-python parses (deserialize.py); others stay strings.
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_RFC2822_DATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d \+0000$"
)

__all__ = [
    "SpecValidationError",
    "SpecValidator",
    "find_spec_dir",
    "missing_reason",
    "spec_validator",
]


class SpecValidationError(AssertionError):
    """A response does not match Twilio's contract."""


def _complete(directory: Path) -> bool:
    return all((directory / SPEC_FILES[domain]).is_file() for domain in CORE_DOMAINS)


def _download(cache_dir: Path) -> bool:
    if os.environ.get("TWILIO_OAI_NO_DOWNLOAD") or shutil.which("npm") is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(
                ["npm", "pack", NPM_PACKAGE, "--silent", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                timeout=120,
            )
            tarball = next(Path(tmp).glob("*.tgz"))
            staging = Path(tmp) / "specs"
            staging.mkdir()
            with tarfile.open(tarball) as archive:
                for domain, name in SPEC_FILES.items():
                    path = f"package/twilio-oai/spec/json/{name}"
                    if domain not in CORE_DOMAINS and path not in archive.getnames():
                        continue
                    member = archive.getmember(path)
                    source = archive.extractfile(member)
                    assert source is not None
                    (staging / name).write_bytes(source.read())
        except (OSError, subprocess.SubprocessError, KeyError, StopIteration, tarfile.TarError):
            return False
        cache_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(cache_dir, ignore_errors=True)
        shutil.move(str(staging), cache_dir)
    return _complete(cache_dir)


@cache
def find_spec_dir() -> Path | None:
    """The directory holding the spec files (the core three at least), or None
    (see the module docstring)."""
    candidates = []
    if os.environ.get("TWILIO_OAI_DIR"):
        candidates.append(Path(os.environ["TWILIO_OAI_DIR"]))
    candidates.append(REPO_ROOT.parent / "shared" / "twilio-oai")
    candidates.append(_CACHE_DIR)
    for directory in candidates:
        if _complete(directory):
            return directory
    return _CACHE_DIR if _download(_CACHE_DIR) else None


def missing_reason() -> str:
    return (
        "Twilio OpenAPI specs not found (looked in $TWILIO_OAI_DIR, "
        f"{REPO_ROOT.parent / 'shared' / 'twilio-oai'}, {_CACHE_DIR}; "
        f"npm pack {NPM_PACKAGE} failed or is disabled): spec validation is skipped"
    )


# -- cutting a spec down and reading it strictly -----------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _tighten(node: Any, forbid_extra: bool) -> None:
    """Require every documented property (and allow no other, if asked)."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict) and props and node.get("type", "object") == "object":
            node["required"] = sorted(props)
            if forbid_extra:
                node["additionalProperties"] = False
        for value in node.values():
            _tighten(value, forbid_extra)
    elif isinstance(node, list):
        for value in node:
            _tighten(value, forbid_extra)


def slice_spec(
    spec: dict[str, Any],
    paths: tuple[str, ...],
    *,
    strict: bool = True,
    forbid_extra: bool = True,
) -> dict:
    """``spec`` with only ``paths`` and the components they reference."""
    sliced: dict[str, Any] = {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "servers": spec.get("servers", []),
        "paths": {path: copy.deepcopy(spec["paths"][path]) for path in paths},
        "components": {"securitySchemes": spec["components"].get("securitySchemes", {})},
    }
    pending = list(_refs(sliced["paths"]))
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen or not ref.startswith("#/components/"):
            continue
        seen.add(ref)
        section, name = ref.split("/")[2:4]
        target = copy.deepcopy(spec["components"][section][name])
        sliced["components"].setdefault(section, {})[name] = target
        pending.extend(_refs(target))
    if strict:
        _tighten(sliced["paths"], forbid_extra)
        _tighten(sliced["components"].get("schemas", {}), forbid_extra)
    return sliced


# -- openapi-core glue -------------------------------------------------------------


@dataclass
class _Request:
    """openapi-core's request protocol, for a request the emulator received."""

    host_url: str
    path: str
    method: str
    query: list[tuple[str, str]]
    body: bytes | None
    content_type: str

    def __post_init__(self) -> None:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        self.parameters = RequestParameters(
            query=ImmutableMultiDict(self.query), header=Headers(), cookie=ImmutableMultiDict()
        )


@dataclass
class _Response:
    status_code: int
    content_type: str
    headers: Mapping[str, str]
    data: bytes


class SpecValidator:
    """Checks responses of ``{base}/{domain}{path}`` requests against the specs."""

    def __init__(self, spec_dir: Path, *, forbid_extra_properties: bool = True) -> None:
        self.spec_dir = spec_dir
        self.forbid_extra_properties = forbid_extra_properties
        self._apps: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.checked = 0

    def missing_domain_reason(self, domain: str) -> str | None:
        """Why ``domain``'s responses cannot be checked (its spec file is missing), or None."""
        path = self.spec_dir / SPEC_FILES[domain]
        if path.is_file():
            return None
        return f"{path} is missing (an older spec copy; delete {self.spec_dir} to fetch it anew)"

    def _app(self, domain: str) -> Any:
        with self._lock:
            if domain not in self._apps:
                from openapi_core import Config, OpenAPI

                raw = json.loads((self.spec_dir / SPEC_FILES[domain]).read_text())
                sliced = slice_spec(
                    raw, SERVED_PATHS[domain], forbid_extra=self.forbid_extra_properties
                )
                config = Config(spec_validator_cls=None)  # sliced from a published spec
                self._apps[domain] = OpenAPI.from_dict(sliced, config=config)
            return self._apps[domain]

    def validate(
        self,
        method: str,
        url: str,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
    ) -> None:
        """Raise :class:`SpecValidationError` unless the response keeps Twilio's contract."""
        parts = urlsplit(url)
        origin = _Origin.of(parts)
        domain, rest = origin.domain, origin.rest
        if domain not in SPEC_FILES or self.missing_domain_reason(domain):
            return
        where = f"{method} {url} -> {status}"
        content_type = headers.get("content-type", headers.get("Content-Type", ""))
        if status == 204:
            if body:
                raise SpecValidationError(f"{where}: a 204 carries no body, got {body[:200]!r}")
            return
        try:
            payload = json.loads(body)
        except ValueError:
            raise SpecValidationError(f"{where}: body is not JSON: {body[:200]!r}") from None
        if status >= 400:
            _check_error_body(where, status, payload)
        else:
            request = _Request(
                host_url=f"https://{domain}.twilio.com",
                path="/" + unquote(rest),
                method=method.lower(),
                query=parse_qsl(parts.query, keep_blank_values=True),
                body=None,
                content_type="application/x-www-form-urlencoded",
            )
            response = _Response(status, content_type.lower(), headers, body)
            try:
                self._app(domain).validate_response(request, response)
            except Exception as exc:
                details = "; ".join(_schema_errors(exc)) or repr(exc)
                raise SpecValidationError(f"{where}: {details}\nbody: {body[:2000]!r}") from exc
        _check_generated(where, payload, origin, domain)
        self.checked += 1


def _schema_errors(exc: BaseException) -> list[str]:
    found = []
    for error in getattr(exc, "schema_errors", None) or ():
        path = "/".join(str(p) for p in error.absolute_path)
        found.append(f"{path or '<root>'}: {error.message}")
    if exc.__cause__ is not None:
        found += _schema_errors(exc.__cause__)
    return found


def _check_error_body(where: str, status: int, payload: Any) -> None:
    if not isinstance(payload, dict):
        raise SpecValidationError(f"{where}: error body is not an object")
    expected = {"code", "message", "more_info", "status"}
    missing = expected - set(payload)
    extra = set(payload) - expected - {"detail"}
    if missing or extra:
        raise SpecValidationError(f"{where}: error body keys missing {missing}, extra {extra}")
    if "type" in payload and "title" in payload:
        raise SpecValidationError(f"{where}: error body has type and title (RFC 9457 shape)")
    if payload["status"] != status or not isinstance(payload["code"], int):
        raise SpecValidationError(f"{where}: error body status/code wrong: {payload}")
    if payload["more_info"] != f"https://www.twilio.com/docs/errors/{payload['code']}":
        raise SpecValidationError(f"{where}: more_info {payload['more_info']!r}")


@dataclass(frozen=True)
class _Origin:
    """How a request was addressed: ``{emulator}/{domain}{rest}``, or a Twilio host."""

    domain: str
    rest: str
    emulator: str | None  # scheme://host:port of the emulator, None for a Twilio host
    suffix: str = ".twilio.com"

    @classmethod
    def of(cls, parts: SplitResult) -> _Origin:
        twilio = _TWILIO_HOST.fullmatch((parts.hostname or "").lower())
        if twilio is not None:
            return cls(twilio.group(1), parts.path.lstrip("/"), None, twilio.group(2))
        domain, _, rest = parts.path.lstrip("/").partition("/")
        return cls(domain, rest, f"{parts.scheme}://{parts.netloc}")

    def base(self, domain: str) -> str:
        """Where the emulator's URLs for ``domain`` must start, as this request was addressed."""
        if self.emulator is None:
            return f"https://{domain}{self.suffix}"
        return f"{self.emulator}/{domain}"


def _check_generated(where: str, node: Any, origin: _Origin, domain: str, key: str = "") -> None:
    """Generated URLs lead back to the emulator (or, host-routed, are Twilio's own), 2010
    URIs are relative to the ``api`` domain, and dates have the one shape twilio-python
    parses for the domain."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "links" and isinstance(value, dict):
                for link in value.values():
                    _check_url(where, "links", link, origin.base(domain))
            elif name in ("auto_creation", "integration", "configuration"):
                # User data (webhook_url, a Flex Flow's url, a scoped webhook's url), not ours.
                continue
            else:
                _check_generated(where, value, origin, domain, name)
    elif isinstance(node, list):
        for value in node:
            _check_generated(where, value, origin, domain, key)
    elif isinstance(node, str):
        if key in ("date_created", "date_updated"):
            shape = _RFC2822_DATE if domain == "api" else _ISO_DATE
            if not shape.match(node):
                raise SpecValidationError(f"{where}: {key} {node!r} is not {shape.pattern}")
        if key in _SELF_LINK_KEYS:
            _check_url(where, key, node, origin.base(domain))
        elif key == "webhook_url" and domain == "studio":
            _check_url(where, key, node, origin.base("webhooks"))
        elif key in _SELF_URI_KEYS and not node.startswith("/2010-04-01/"):
            raise SpecValidationError(f"{where}: {key} {node!r} is not relative to the api domain")


def _check_url(where: str, key: str, value: Any, base: str) -> None:
    if isinstance(value, str) and not value.startswith(base + "/"):
        raise SpecValidationError(f"{where}: {key} {value!r} does not lead back to {base}")
    twilio = _TWILIO_HOST.fullmatch(urlsplit(base).hostname or "")
    if twilio is not None and value.startswith(f"{base}/{twilio.group(1)}/"):
        # No Twilio path starts with its domain: that is the emulator's route leaking out.
        raise SpecValidationError(f"{where}: {key} {value!r} is the emulator's path, not Twilio's")


@cache
def spec_validator() -> SpecValidator | None:
    """The process-wide validator, or None when no specs are available."""
    directory = find_spec_dir()
    if directory is None:
        return None
    return SpecValidator(directory, forbid_extra_properties=directory != _CACHE_DIR)
