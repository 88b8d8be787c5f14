"""A webhook receiver for tests: a real HTTP(S) server on a free loopback port.

It records every request and checks its ``X-Twilio-Signature`` with
twilio-python's ``RequestValidator`` (the way an application does), and answers
what the test scripted for the path (status, body, content type, delay)::

    with WebhookReceiver(auth_token) as hooks:
        hooks.answer("/sms", body="<Response><Message>Hi</Message></Response>")
        ... point a number's sms_url at hooks.url("/sms") ...
        [request] = hooks.received("/sms")
        assert request.signature_valid and request.form["Body"] == "hello"
"""

from __future__ import annotations

import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

import trustme
from twilio.request_validator import RequestValidator

__all__ = ["Answer", "Received", "WebhookReceiver"]


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: str = ""
    content_type: str = "text/xml"
    delay: float = 0.0
    """Seconds to wait before answering (a timeout test)."""


@dataclass(frozen=True)
class Received:
    method: str
    url: str
    """The full URL requested, as the application sees it (scheme, host, port, path, query)."""
    path: str
    headers: dict[str, str]
    form: dict[str, str]
    """The POST parameters, or for a GET the query's."""
    signature_valid: bool
    at: float = field(default_factory=time.monotonic)


class WebhookReceiver:
    """A threaded http.server on 127.0.0.1 (free port); stop() (or the with block) ends it."""

    def __init__(self, auth_token: str, *, tls: trustme.CA | None = None) -> None:
        """``tls``: serve HTTPS with a certificate for 127.0.0.1 and localhost from this CA."""
        self.validator = RequestValidator(auth_token)
        self._scheme = "https" if tls is not None else "http"
        self._answers: dict[str, Answer] = {}
        self._received: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                url = receiver.base_url + self.path
                if self.command == "GET":
                    form = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                    valid = receiver.validator.validate(
                        url, {}, self.headers.get("X-Twilio-Signature", "")
                    )
                else:
                    form = dict(parse_qsl(body, keep_blank_values=True))
                    valid = receiver.validator.validate(
                        url, form, self.headers.get("X-Twilio-Signature", "")
                    )
                path = urlsplit(self.path).path
                receiver._record(
                    Received(self.command, url, path, dict(self.headers.items()), form, valid)
                )
                answer = receiver._answers.get(path, Answer())
                if answer.delay:
                    time.sleep(answer.delay)
                payload = answer.body.encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the emulator gave up (a timeout test)

            do_GET = _handle
            do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.issue_cert("127.0.0.1", "localhost").configure_cert(context)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        # A short poll interval: shutdown() waits up to one interval.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self._server.server_port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def answer(self, path: str, **answer: object) -> None:
        """What ``path`` answers from now on (fields of :class:`Answer`)."""
        self._answers[path] = Answer(**answer)  # type: ignore[arg-type]

    def _record(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    def received(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self._received if path is None or r.path == path]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> WebhookReceiver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
