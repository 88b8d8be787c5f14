"""The proxy serves Twilio's hosts itself and refuses everything else, forwarding nothing.

"Nothing forwarded" is observed, not assumed: the refused targets are a
listening socket of the test's own (by address and by ``localhost``), which
must never see a connection.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from support.emulator import STANDARD
from support.proxy import Proxied


@pytest.fixture
def bystander() -> Iterator[socket.socket]:
    """A loopback server that no proxied request may reach."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.5)
        yield server


def _assert_untouched(server: socket.socket) -> None:
    with pytest.raises(TimeoutError):
        connection, _ = server.accept()
        connection.close()


def _proxy_address(proxy: Proxied) -> tuple[str, int]:
    parts = urlsplit(proxy.endpoint.url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def _raw(proxy: Proxied, request: bytes) -> bytes:
    """Send ``request`` to the proxy; everything it answers before closing."""
    with socket.create_connection(_proxy_address(proxy), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    "target",
    [
        "example.com:443",
        "api.twilio.com.example.com:443",  # a Twilio name inside someone else's domain
        "twilio.com:443",  # no API domain
        "conversations.twilio.com:80",  # Twilio's API is HTTPS only
        "conversations.twilio.com:8443",
        "a.b.c.d.twilio.com:443",  # more labels than domain.edge.region
    ],
)
def test_connect_to_anything_but_a_twilio_api_host_is_refused(proxy: Proxied, target: str) -> None:
    answer = _raw(proxy, f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 403 "), answer
    assert f"refuses CONNECT {target}".encode() in body
    assert b"forwards nothing" in body


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_a_refused_connect_opens_no_connection(
    proxy: Proxied, bystander: socket.socket, name: str
) -> None:
    target = f"{name}:{bystander.getsockname()[1]}"
    answer = _raw(proxy, f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 403 ")
    _assert_untouched(bystander)


def test_plain_http_proxy_requests_are_refused(proxy: Proxied, bystander: socket.socket) -> None:
    port = bystander.getsockname()[1]
    answer = _raw(
        proxy, f"GET http://127.0.0.1:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    )
    assert answer.startswith(b"HTTP/1.1 403 ")
    assert f"refuses GET http://127.0.0.1:{port}/".encode() in answer
    _assert_untouched(bystander)
    # Through a client's proxy settings, as a user would meet it.
    proxies = {"http": proxy.endpoint.url, "https": proxy.endpoint.url}
    response = requests.get("http://example.com/", proxies=proxies, timeout=10)
    assert response.status_code == 403
    assert "forwards nothing" in response.text
    with pytest.raises(requests.exceptions.ProxyError, match="403"):
        requests.get("https://example.com/", proxies=proxies, timeout=10)


def test_a_malformed_request_gets_a_400(proxy: Proxied) -> None:
    assert _raw(proxy, b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def _tunnel(proxy: Proxied, host: str) -> ssl.SSLSocket:
    raw = socket.create_connection(_proxy_address(proxy), timeout=10)
    raw.sendall(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
    assert raw.recv(4096).startswith(b"HTTP/1.1 200 ")
    context = ssl.create_default_context(cafile=str(proxy.endpoint.ca.bundle_path))
    return context.wrap_socket(raw, server_hostname=host)


def test_control_endpoints_are_not_reachable_through_a_tunnel(proxy: Proxied) -> None:
    """A tunnel is routed by its host, whatever Host header is sent inside it."""
    with _tunnel(proxy, "api.twilio.com") as tls:
        tls.sendall(
            b"GET /_emulator/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        answer = b""
        while chunk := tls.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 401 "), answer[:200]
    assert b'"code":20003' in answer
    assert [e["path"] for e in proxy.control.requests()] == ["/api/_emulator/state"]


def test_a_client_that_does_not_trust_the_ca_is_turned_away(proxy: Proxied) -> None:
    raw = socket.create_connection(_proxy_address(proxy), timeout=10)
    raw.sendall(b"CONNECT conversations.twilio.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert raw.recv(4096).startswith(b"HTTP/1.1 200 ")
    with pytest.raises(ssl.SSLCertVerificationError):
        ssl.create_default_context(cafile=None).wrap_socket(
            raw, server_hostname="conversations.twilio.com"
        )
    raw.close()
    # ... and the proxy goes on serving those that do.
    response = requests.get(
        "https://conversations.twilio.com/v1/Configuration/Addresses",
        proxies={"https": proxy.endpoint.url},
        verify=str(proxy.endpoint.ca.bundle_path),
        auth=(STANDARD.account_sid, STANDARD.auth_token),
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["meta"]["url"].startswith("https://conversations.twilio.com/v1/")
