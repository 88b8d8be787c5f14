"""twilio-python clients for an emulator process: Twilio's hosts routed to it, no other.

twilio-python cannot be given a base URL, but it sends every request through
its ``HttpClient``; :class:`EmulatorHttpClient` rewrites
``https://{domain}.twilio.com{path}`` to ``{base}/{domain}{path}`` (the gateway
does the same for the providers, with retries a test does not want: a fault the
test injects must reach the code under test as Twilio would answer it).
"""

from __future__ import annotations

from typing import Any

from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from pulumi_flex_sms.emulator.control import is_loopback_url

from .handle import NotEmulatedError, twilio_route

__all__ = ["EmulatorHttpClient", "twilio_client"]


class EmulatorHttpClient(TwilioHttpClient):
    """twilio-python's HTTP client, sending Twilio's URLs to the emulator at ``base_url``.

    URLs already on the emulator (a ``next_page_url`` it returned) go as they
    are; any other URL raises :class:`NotEmulatedError` without being sent.
    """

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        if not self.proxy and is_loopback_url(self.base_url):
            # No proxy reaches this machine's loopback, but requests would send these
            # through HTTP(S)_PROXY / ALL_PROXY unless NO_PROXY names the host: None
            # entries keep the environment's proxies out (and requests then drops them).
            self.proxy = {"http": None, "https": None, "all": None}  # type: ignore[dict-item]

    def emulator_url(self, url: str) -> str:
        route = twilio_route(url)
        if route is not None:
            return f"{self.base_url}/{route[0]}{route[1]}"
        if url == self.base_url or url.startswith(self.base_url + "/"):
            return url
        raise NotEmulatedError(
            f"refusing to send a request to {url.partition('?')[0]}: this client talks to the "
            f"Twilio emulator at {self.base_url} only (Twilio's https://*.twilio.com URLs)"
        )

    # As the gateway's client: the URL parameter is named as TwilioHttpClient names it
    # (``url``); its base, HttpClient, says ``uri``, and no name meets both signatures.
    def request(  # type: ignore[override]
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> Response:
        # params, data, headers, auth, timeout, allow_redirects: passed through
        return super().request(method, self.emulator_url(url), *args, **kwargs)


def twilio_client(
    username: str, password: str, account_sid: str | None, http_client: HttpClient
) -> Client:
    """A ``Client`` on ``http_client``, deaf to ``TWILIO_*`` variables (edge, region, ...)."""
    return Client(username, password, account_sid, http_client=http_client, environment={})
