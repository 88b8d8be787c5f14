"""Request bodies: bounded while they are read, and never read when not needed.

:class:`BodyLimit` wraps the whole app, so every reader of a body (the request
gate, Starlette's ``request.body()`` in the control endpoints) gets the same
rule: a body declared larger than :data:`~.limits.MAX_BODY_BYTES` is refused
(:class:`~.errors.PayloadTooLarge`, 413) on the first read, before a byte of it
is taken, and a chunked body is refused as soon as it grows past the limit.
uvicorn itself buffers at most 64 KiB of a body the app has not asked for, so
memory per connection stays bounded whatever the client sends.

An answer given before the body was read to its end (a 401, a 413, a refused
control request) carries ``Connection: close``: the server then closes the
connection instead of reading, and throwing away, the rest of the body to find
the next request.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import BadRequest, PayloadTooLarge
from .limits import MAX_BODY_BYTES

__all__ = ["BodyLimit", "read_body"]


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Request Entity Too Large: the body exceeds the emulator's limit of {limit} bytes"
    )


class BodyLimit:
    """ASGI middleware: bound every request body; close when one was left unread."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared: int | None = None
        chunked = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                # uvicorn's h11 has already refused one that is not digits.
                declared = int(value) if value.isdigit() else None
            elif name == b"transfer-encoding":
                chunked = True
        limit = self.max_bytes
        received = 0
        finished = not chunked and not declared

        async def bounded_receive() -> Message:
            nonlocal received, finished
            if declared is not None and declared > limit:
                raise _too_large(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
                if not message.get("more_body"):
                    finished = True
            return message

        async def closing_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not finished:
                headers = [*message.get("headers", []), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, bounded_receive, closing_send)


async def read_body(receive: Receive) -> bytes:
    """The whole body (within :class:`BodyLimit`'s bound, which raises past it)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BadRequest("the client went away before sending its whole body")
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)
