"""Request bodies: over-limit ones are refused before they are read, unread ones close.

These talk raw HTTP/1.1 over a socket, so a test controls exactly what is sent
(a Content-Length of 50 MB with a few bytes behind it) and sees what the server
does before the client has sent its body.
"""

from __future__ import annotations

import base64
import json
import socket
from urllib.parse import urlsplit

import requests
from support.emulator import EmulatorHandle

from pulumi_flex_sms.emulator.limits import MAX_BODY_BYTES, MAX_FORM_FIELDS

SERVICES = "/conversations/v1/Services"
TOO_LARGE = {
    "code": 20413,
    "message": "Request Entity Too Large: the body exceeds the emulator's limit of "
    f"{MAX_BODY_BYTES} bytes",
    "more_info": "https://www.twilio.com/docs/errors/20413",
    "status": 413,
}


def _exchange(base_url: str, head: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """Send ``head`` (request line + headers) and ``body``; read until the server closes.

    Returns the status, the headers and the body of the one response. A server
    that waits for the rest of a declared body never closes: the socket times out.
    A close with bytes still unread sends a reset after the response: that ends
    the stream too.
    """
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n" + body)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    header_block, _, payload = received.partition(b"\r\n\r\n")
    status_line, *lines = header_block.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
    return int(status_line.split()[1]), headers, payload


def _head(emulator: EmulatorHandle, path: str, *lines: str, auth: bool = True) -> str:
    host = urlsplit(emulator.base_url).netloc
    out = [f"POST {path} HTTP/1.1", f"Host: {host}"]
    if auth:
        token = base64.b64encode(f"{emulator.account_sid}:{emulator.auth_token}".encode())
        out.append(f"Authorization: Basic {token.decode()}")
    return "\r\n".join([*out, *lines]) + "\r\n"


def test_a_declared_50_mb_body_is_answered_413_before_it_is_sent(
    emulator: EmulatorHandle,
) -> None:
    head = _head(
        emulator,
        SERVICES,
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {50 * 1024 * 1024}",
    )
    # Only 13 bytes of the 50 MB follow: the answer (and the close) cannot wait for them.
    status, headers, payload = _exchange(emulator.base_url, head, b"FriendlyName=")
    assert status == 413
    assert json.loads(payload) == TOO_LARGE
    assert headers["connection"] == "close"
    [entry] = emulator.requests()
    assert (entry["status"], entry["form"], entry["account_sid"]) == (
        413,
        {},
        emulator.account_sid,
    )


def test_a_chunked_body_is_refused_once_it_passes_the_limit(emulator: EmulatorHandle) -> None:
    head = _head(
        emulator,
        SERVICES,
        "Content-Type: application/x-www-form-urlencoded",
        "Transfer-Encoding: chunked",
    )
    chunks = [b"a" * (256 * 1024)] * (MAX_BODY_BYTES // (256 * 1024)) + [b"a"]
    assert sum(map(len, chunks)) == MAX_BODY_BYTES + 1
    # No closing zero-size chunk: the server must decide on what it has read.
    body = b"".join(f"{len(c):x}\r\n".encode() + c + b"\r\n" for c in chunks)
    status, headers, payload = _exchange(emulator.base_url, head, body)
    assert (status, json.loads(payload)["code"], headers["connection"]) == (413, 20413, "close")


def test_a_control_body_has_the_same_limit(emulator: EmulatorHandle) -> None:
    head = _head(
        emulator,
        "/_emulator/seed",
        "Content-Type: application/json",
        f"Content-Length: {MAX_BODY_BYTES + 1}",
        auth=False,
    )
    status, _, payload = _exchange(emulator.base_url, head)
    assert (status, json.loads(payload)) == (413, TOO_LARGE)


def test_a_body_within_the_limit_is_served(emulator: EmulatorHandle) -> None:
    definition = {"initial_state": "Trigger", "padding": "x" * (MAX_BODY_BYTES - 4096)}
    flow = emulator.client().studio.v2.flows.create(
        friendly_name="Big", status="draft", definition=definition
    )
    assert flow.definition == definition


def test_an_unauthenticated_body_is_neither_read_nor_kept(emulator: EmulatorHandle) -> None:
    # 10 MB declared, none sent: the 401 comes at once, and the connection closes.
    head = _head(
        emulator,
        SERVICES,
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {10 * 1024 * 1024}",
        auth=False,
    )
    status, headers, payload = _exchange(emulator.base_url, head)
    assert (status, json.loads(payload)["code"], headers["connection"]) == (401, 20003, "close")
    # A small one, fully sent, with a wrong token: answered 401, its form not journaled.
    refused = requests.post(
        f"{emulator.base_url}{SERVICES}",
        data={"FriendlyName": "secret-looking text"},
        auth=(emulator.account_sid, "wrong-token"),
    )
    assert refused.status_code == 401
    assert [(e["status"], e["form"]) for e in emulator.requests()] == [(401, {}), (401, {})]


def test_more_form_fields_than_the_limit_are_refused(emulator: EmulatorHandle) -> None:
    fields = [("FriendlyName", "Many")] + [(f"X{i}", "") for i in range(MAX_FORM_FIELDS)]
    response = requests.post(
        f"{emulator.base_url}{SERVICES}",
        data=fields,
        auth=(emulator.account_sid, emulator.auth_token),
    )
    assert response.status_code == 400
    assert f"at most {MAX_FORM_FIELDS}" in response.json()["message"]
    assert emulator.client().conversations.v1.services.list()[0].sid == emulator.service_sid
