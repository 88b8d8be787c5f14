"""What the toolkit hands a test: :class:`TwilioEmulator`, for both of its modes.

The ``twilio_emulator`` fixture (an emulator process) and :func:`emulated_twilio`
(an emulator inside this process) both hand out a :class:`TwilioEmulator`; they
differ only in the transport behind its clients. Standard library only (the
twilio client is built on first use), so the pytest plugin can import this when
pytest starts.

Which account a handle speaks for: the first account the seed declares (the
default account when the seed lists resources at its top level), else the
emulator's default account.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union
from urllib.parse import urlsplit

from pulumi_flex_sms.emulator.control import EmulatorControl

if TYPE_CHECKING:
    from twilio.http import HttpClient
    from twilio.rest import Client

__all__ = [
    "EMULATOR_MODULES",
    "NotEmulatedError",
    "SeedError",
    "SeedSource",
    "TwilioEmulator",
    "load_seed",
    "missing_extra",
    "seeded_emulator",
    "twilio_route",
]

#: A seed: a document (the shape docs/emulator.md describes), or a JSON/YAML file.
SeedSource = Union[Mapping[str, Any], str, "os.PathLike[str]"]

#: What the emulator needs beyond the runtime dependencies (the ``emulator`` extra).
EMULATOR_MODULES = ("starlette", "uvicorn", "yaml")


class NotEmulatedError(RuntimeError):
    """A request for a host the emulator does not stand in for; it was not sent anywhere."""


class SeedError(ValueError):
    """A seed file that cannot be read or parsed (the message names the file)."""


def missing_extra(feature: str, modules: Iterable[str] = EMULATOR_MODULES) -> str | None:
    """What to tell a user whose install lacks ``modules`` for ``feature``; None if all are there.

    Looked up, not imported: the plugin asks before it starts anything.
    """
    missing = []
    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(module)
    if not missing:
        return None
    return (
        f"{feature} needs the Twilio emulator's dependencies (missing: {', '.join(missing)}); "
        "install them with: pip install 'pulumi-flex-sms[testing]'"
    )


def twilio_route(url: str) -> tuple[str, str] | None:
    """``(domain, path?query)`` for a Twilio API URL, else None.

    Twilio serves ``https://{domain}.twilio.com{path}``, also as
    ``https://{domain}.{edge}.{region}.twilio.com{path}`` when a client sets an
    edge and region; the emulator serves both at ``{base}/{domain}{path}``.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    labels = host.split(".")
    if (
        parts.scheme != "https"
        or port not in (None, 443)
        or parts.username is not None
        or labels[-2:] != ["twilio", "com"]
        or len(labels) not in (3, 5)
        or not all(labels)
    ):
        return None
    path = parts.path or "/"
    return labels[0], path + (f"?{parts.query}" if parts.query else "")


def load_seed(seed: SeedSource | None, base_dir: str | Path | None = None) -> dict[str, Any] | None:
    """The seed document for ``seed``: a mapping as is, a path read as JSON or YAML.

    A relative path is taken from ``base_dir`` (the plugin passes the test file's
    folder), else from the current directory.
    """
    if seed is None:
        return None
    if isinstance(seed, Mapping):
        return dict(seed)
    if not isinstance(seed, (str, os.PathLike)):
        raise TypeError(
            f"a seed is a mapping or the path of a JSON/YAML seed file, not {type(seed).__name__}"
        )
    path = Path(seed)
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    # The emulator's own loader: the same limits and messages as `--seed FILE`.
    from pulumi_flex_sms.emulator.seed import load_seed_file

    try:
        document = load_seed_file(path)
    except Exception as exc:  # OSError, or the loader's BadRequest: say which file
        reason = exc.strerror if isinstance(exc, OSError) else getattr(exc, "message", None)
        raise SeedError(f"seed file {path}: {reason or exc}") from exc
    if not isinstance(document, dict):
        raise SeedError(f"seed file {path}: expected a mapping at the top level")
    return document


@dataclass
class TwilioEmulator:
    """A running emulator, seeded for one test, and everything a test needs to use it.

    ``client`` is a twilio-python ``Client`` for :attr:`account_sid` that sends
    Twilio's URLs (``https://{domain}.twilio.com/...``) to the emulator and refuses
    any other host (:class:`NotEmulatedError`). ``control`` resets, seeds, injects
    faults and reads state; :meth:`requests` reads the request journal; :meth:`env`
    is the environment that points pulumi-flex-sms's providers at the emulator.
    """

    #: Serves what Twilio serves at ``https://{domain}.twilio.com{path}`` at ``{domain}{path}``.
    base_url: str
    #: The account the handle speaks for (see the module docstring).
    account_sid: str
    #: Its auth token.
    auth_token: str
    #: The emulator's control endpoints (reset, seed, faults, state, journal).
    control: EmulatorControl
    #: The account's first API key, when the seed gave it one.
    api_key_sid: str | None = None
    #: That key's secret.
    api_key_secret: str | None = None
    #: What the seed created, per account (``EmulatorControl.seed``'s answer); None unseeded.
    seeded: dict[str, Any] | None = None
    _http_client: Callable[[], HttpClient] | None = field(default=None, repr=False)

    @cached_property
    def client(self) -> Client:
        """A twilio-python ``Client`` for :attr:`account_sid`, wired to the emulator."""
        return self.client_for(self.account_sid, self.auth_token)

    def client_for(self, username: str, password: str, account_sid: str | None = None) -> Client:
        """Another ``Client`` on the same emulator (another account, or an API key)."""
        from .clients import EmulatorHttpClient, twilio_client

        http = self._http_client() if self._http_client else EmulatorHttpClient(self.base_url)
        return twilio_client(username, password, account_sid, http)

    def requests(
        self, method: str | None = None, path: str | None = None, domain: str | None = None
    ) -> list[dict[str, Any]]:
        """The request journal, oldest first; ``path`` is a glob (``/conversations/**``)."""
        return self.control.requests(method=method, path=path, domain=domain)

    def env(self) -> dict[str, str]:
        """The environment that points pulumi-flex-sms's providers at this emulator."""
        return {
            "FLEX_SMS_TWILIO_BASE_URL": self.base_url,
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
        }


def _credentials(
    document: Mapping[str, Any],
    summary: Mapping[str, Any] | None,
    default_account: tuple[str, str],
) -> tuple[str, str, str | None, str | None]:
    """(account SID, auth token, API key SID, secret) of the seed's first account."""
    created = ((summary or {}).get("accounts") or [None])[0]
    if created is None:
        return (*default_account, None, None)
    sid = created["sid"]
    declared = [a for a in document.get("accounts") or [] if isinstance(a, Mapping)]
    entry = next((a for a in declared if a.get("sid") == sid), None)
    if entry is None and sid != default_account[0] and declared:
        entry = declared[0]  # a new account whose SID the emulator chose
    entry = entry or {}
    token = entry.get("auth_token") or (default_account[1] if sid == default_account[0] else "")
    keys_created = created.get("api_keys") or []
    keys_declared = [k for k in entry.get("api_keys") or [] if isinstance(k, Mapping)]
    if keys_created and keys_declared:
        return sid, str(token), keys_created[0]["sid"], str(keys_declared[0]["secret"])
    return sid, str(token), None, None


def seeded_emulator(
    base_url: str,
    control: EmulatorControl,
    default_account: tuple[str, str],
    seed: SeedSource | None,
    *,
    base_dir: str | Path | None = None,
    http_client: Callable[[], HttpClient] | None = None,
) -> TwilioEmulator:
    """Seed the (freshly reset) emulator behind ``control`` and describe it as a handle."""
    document = load_seed(seed, base_dir)
    summary = control.seed(document) if document is not None else None
    sid, token, key_sid, key_secret = _credentials(document or {}, summary, default_account)
    return TwilioEmulator(
        base_url=base_url,
        account_sid=sid,
        auth_token=token,
        control=control,
        api_key_sid=key_sid,
        api_key_secret=key_secret,
        seeded=summary,
        _http_client=http_client,
    )
