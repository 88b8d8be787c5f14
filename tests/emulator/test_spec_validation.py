"""The OpenAPI check every emulator test relies on: it runs, and it can fail."""

from __future__ import annotations

import json
import os
import stat
import tarfile
from pathlib import Path
from typing import Any

import pytest
from support import openapi
from support.emulator import EmulatorHandle, validated_session
from support.openapi import SpecValidationError, SpecValidator

pytestmark = pytest.mark.spec

AC, IG, PN = "AC" + "a" * 32, "IG" + "a" * 32, "PN" + "a" * 32
BASE = "http://127.0.0.1:9"


def address_body() -> dict[str, Any]:
    return {
        "account_sid": AC,
        "sid": IG,
        "address": "+15005550001",
        "type": "sms",
        "friendly_name": None,
        "address_country": None,
        "auto_creation": {"enabled": False, "type": "default"},
        "date_created": "2026-01-01T00:00:00Z",
        "date_updated": "2026-01-01T00:00:00Z",
        "url": f"{BASE}/conversations/v1/Configuration/Addresses/{IG}",
    }


def check(spec: SpecValidator, body: Any, url: str, status: int = 200) -> None:
    spec.validate(
        "GET", url, status, {"content-type": "application/json"}, json.dumps(body).encode()
    )


ADDRESS_URL = f"{BASE}/conversations/v1/Configuration/Addresses/{IG}"


def test_every_client_response_is_validated(emulator: EmulatorHandle, spec: SpecValidator) -> None:
    before = spec.checked
    client = emulator.client()
    client.conversations.v1.address_configurations.list()
    client.api.v2010.account.incoming_phone_numbers(emulator.number.sid).fetch()
    client.studio.v2.flows(emulator.flow_sid).fetch()
    assert spec.checked == before + 3


def test_a_good_body_passes(spec: SpecValidator) -> None:
    check(spec, address_body(), ADDRESS_URL)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda b: b.pop("address_country"), "'address_country' is a required property"),
        (lambda b: b.update(extra=1), "'extra' was unexpected"),
        (lambda b: b.update(sid="IG123"), "sid"),
        (lambda b: b.update(date_created="2026-01-01T00:00:00.123Z"), "date_created"),
        (lambda b: b.update(date_created="2026-01-01T00:00:00+00:00"), "date_created"),
        (lambda b: b.update(url=f"https://conversations.twilio.com/v1/x/{IG}"), "lead back"),
    ],
)
def test_drift_is_caught(spec: SpecValidator, change: Any, words: str) -> None:
    if "unexpected" in words and not spec.forbid_extra_properties:
        pytest.skip("the older npm spec copy is not checked for undocumented fields")
    body = address_body()
    change(body)
    with pytest.raises(SpecValidationError, match=words):
        check(spec, body, ADDRESS_URL)


def test_2010_rules(spec: SpecValidator, emulator: EmulatorHandle) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    url = (
        f"{emulator.base_url}/api/2010-04-01/Accounts/{emulator.account_sid}"
        f"/IncomingPhoneNumbers/{emulator.number.sid}.json"
    )
    good = session.get(url).json()
    for key, value, words in (
        ("sms_application_sid", "", "sms_application_sid"),  # the spec's pattern forbids ""
        ("date_created", "2026-01-01T00:00:00Z", "date_created"),
        ("uri", f"{emulator.base_url}/api/x.json", "relative"),
        ("sms_method", "PUT", "sms_method"),
    ):
        body = {**good, key: value}
        with pytest.raises(SpecValidationError, match=words):
            check(spec, body, url)


def test_error_bodies_are_checked(spec: SpecValidator) -> None:
    error = {
        "code": 20404,
        "message": "m",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
    }
    check(spec, error, ADDRESS_URL, 404)
    for bad in (
        {**error, "status": 400},
        {**error, "type": "about:blank", "title": "Not Found"},
        {k: v for k, v in error.items() if k != "more_info"},
    ):
        with pytest.raises(SpecValidationError):
            check(spec, bad, ADDRESS_URL, 404)
    with pytest.raises(SpecValidationError, match="204"):
        spec.validate("DELETE", ADDRESS_URL, 204, {}, b"{}")


def test_slicing_keeps_what_is_referenced_and_reads_it_strictly() -> None:
    spec = {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/A"}}}},
            "/b": {"get": {}},
        },
        "components": {
            "responses": {"A": {"content": {"x": {"schema": {"$ref": "#/components/schemas/S"}}}}},
            "schemas": {
                "S": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/T"}}},
                "T": {"type": "string"},
                "Unused": {"type": "string"},
            },
        },
    }
    sliced = openapi.slice_spec(spec, ("/a",))
    assert set(sliced["paths"]) == {"/a"}
    assert set(sliced["components"]["schemas"]) == {"S", "T"}
    assert sliced["components"]["schemas"]["S"]["required"] == ["n"]
    assert sliced["components"]["schemas"]["S"]["additionalProperties"] is False
    assert "required" not in spec["components"]["schemas"]["S"]  # the original is untouched


def _copy_specs(source: Path, target: Path, domains: Any = None) -> None:
    target.mkdir(parents=True)
    for domain, name in openapi.SPEC_FILES.items():
        if (domains is None or domain in domains) and (source / name).is_file():
            (target / name).write_bytes((source / name).read_bytes())


def test_a_copy_without_the_messaging_and_flex_specs_checks_the_rest(
    tmp_path: Path, spec: SpecValidator
) -> None:
    """An older copy (a cache filled before they were served) lacks them: their
    responses go unchecked, and their tests skip saying which file is missing."""
    _copy_specs(spec.spec_dir, tmp_path / "core", openapi.CORE_DOMAINS)
    assert openapi._complete(tmp_path / "core")
    older = SpecValidator(tmp_path / "core")
    assert older.missing_domain_reason("api") is None
    for domain in ("messaging", "flex-api"):
        reason = older.missing_domain_reason(domain)
        assert reason is not None and openapi.SPEC_FILES[domain] in reason
    older.validate("GET", f"{BASE}/messaging/v1/Services", 200, {}, b'{"not": "checked"}')
    assert older.checked == 0
    with pytest.raises(SpecValidationError):
        check(older, {**address_body(), "extra": 1}, ADDRESS_URL)


def test_twilio_oai_dir_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: SpecValidator
) -> None:
    _copy_specs(spec.spec_dir, tmp_path / "mine")
    monkeypatch.setenv("TWILIO_OAI_DIR", str(tmp_path / "mine"))
    openapi.find_spec_dir.cache_clear()
    try:
        assert openapi.find_spec_dir() == tmp_path / "mine"
    finally:
        monkeypatch.undo()
        openapi.find_spec_dir.cache_clear()


def test_npm_tarball_fills_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: SpecValidator
) -> None:
    """``npm pack`` is faked by a script that writes the package's layout."""
    package = tmp_path / "package" / "twilio-oai" / "spec" / "json"
    _copy_specs(spec.spec_dir, package)
    tarball = tmp_path / "twilio-alpha-mcp-0.7.0.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(tmp_path / "package", arcname="package")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(
        "#!/bin/sh\n"
        '[ "$1" = pack ] && [ "$2" = "@twilio-alpha/mcp@0.7.0" ] || exit 1\n'
        f'cp {tarball} "$5"/\n'
    )
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("TWILIO_OAI_NO_DOWNLOAD", raising=False)
    cache_dir = tmp_path / "cache" / "twilio-oai"
    assert openapi._download(cache_dir) is True
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(openapi.SPEC_FILES.values())
    monkeypatch.setenv("TWILIO_OAI_NO_DOWNLOAD", "1")
    assert openapi._download(tmp_path / "other") is False
