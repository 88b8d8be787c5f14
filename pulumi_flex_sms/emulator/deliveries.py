"""Sending the webhooks of a simulated inbound SMS, as Twilio does: signed, timed, with fallbacks.

:func:`deliver` takes :class:`~.webhooks.WebhookRequest` s and answers one
:class:`~.webhooks.Delivery` each, in the same order. Requests of one lane go
one after another (a conversation's events, in Twilio's order); lanes go in
parallel (the number's SMS webhook runs next to the conversation's events).

Per request: the delivery policy may refuse the URL (``skipped``, nothing
sent); else the primary URL is requested within the request's timeout
(Twilio: 15 s in all for an SMS webhook, 5 s for a Conversations webhook;
https://www.twilio.com/docs/api/errors/11205). A timeout, a connection
failure, a non-2xx answer or an unreadable TwiML answer fails the attempt,
and the fallback URL is tried if there is one. Redirects are not followed, so
the policy holds for every request made. Proxies from the environment are
ignored for the same reason.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import time
from collections.abc import Sequence
from dataclasses import replace

import httpx2

from .webhooks import (
    MAX_REPLY_BYTES,
    Attempt,
    DeliverTo,
    Delivery,
    PreparedRequest,
    ReplyMessage,
    WebhookRequest,
    refusal,
    twiml_messages,
)

__all__ = ["CONNECT_TIMEOUT", "deliver"]

#: Twilio gives a TCP connection up to 10 s (two tries of 5 s) within the total.
CONNECT_TIMEOUT = 10.0


@functools.cache
def _tls() -> ssl.SSLContext:
    # Built once: loading the trust store is most of the cost of a new client.
    return ssl.create_default_context()


async def _exchange(
    client: httpx2.AsyncClient, prepared: PreparedRequest
) -> tuple[int, bytes, str]:
    """Send one request: its status, the first MAX_REPLY_BYTES of its body, its content type."""
    async with client.stream(
        prepared.method,
        prepared.url,
        content=prepared.body or None,
        headers=prepared.headers,
        auth=prepared.auth,
    ) as response:
        content = b""
        async for chunk in response.aiter_bytes():
            content += chunk
            if len(content) >= MAX_REPLY_BYTES:
                break
        return (
            response.status_code,
            content[:MAX_REPLY_BYTES],
            response.headers.get("content-type", ""),
        )


def _replies(content: bytes, content_type: str) -> tuple[tuple[ReplyMessage, ...], str | None]:
    """The TwiML replies of an SMS webhook's 2xx answer, and a note when there are none to read.

    Raises ValueError for XML that is not TwiML: Twilio's 12100 (document parse
    failure), which sends it to the fallback URL.
    """
    if not content.strip():
        return (), None
    if "xml" in content_type.lower() or content.lstrip().startswith(b"<"):
        return twiml_messages(content), None
    return (), f"the answer is not TwiML ({content_type or 'no content type'}): no reply"


async def _attempt(
    client: httpx2.AsyncClient, request: WebhookRequest, auth_token: str, *, fallback: bool
) -> tuple[Attempt, tuple[ReplyMessage, ...], str | None]:
    """One timed attempt: what happened, the TwiML replies, and a note on the answer."""
    prepared = request.prepare(auth_token, fallback=fallback)
    start = time.perf_counter()
    status: int | None = None
    replies: tuple[ReplyMessage, ...] = ()
    note = error = None
    try:
        answered, content, content_type = await asyncio.wait_for(
            _exchange(client, prepared), timeout=request.timeout
        )
        status = answered
        if not 200 <= answered < 300:
            error = f"HTTP {answered}"
        elif request.expects_twiml:
            replies, note = _replies(content, content_type)
    except (asyncio.TimeoutError, httpx2.TimeoutException):
        error = f"timeout: no answer within {request.timeout:g} s"
    except httpx2.HTTPError as exc:
        error = f"connection failed: {exc.__class__.__name__}: {exc}"
    except ValueError as exc:
        error = str(exc)
    attempt = Attempt(
        url=prepared.url,
        method=prepared.method,
        status_code=status,
        error=error,
        duration_ms=(time.perf_counter() - start) * 1000,
    )
    return attempt, replies, note


async def _one(
    client: httpx2.AsyncClient, request: WebhookRequest, auth_token: str, deliver_to: DeliverTo
) -> Delivery:
    base = Delivery(
        kind=request.kind,
        sid=request.sid,
        event=request.event,
        url=request.url,
        method=request.method,
    )
    refused = refusal(request.url, deliver_to)
    if refused is not None:
        return replace(base, skipped=refused)
    attempt, replies, note = await _attempt(client, request, auth_token, fallback=False)
    attempts = [attempt]
    fallback_used = False
    if not attempt.ok and request.fallback_url:
        refused = refusal(request.fallback_url, deliver_to)
        if refused is None:
            fallback_used = True
            attempt, replies, note = await _attempt(client, request, auth_token, fallback=True)
            attempts.append(attempt)
        else:
            note = f"the fallback URL was not requested: {refused}"
    return replace(
        base, attempts=tuple(attempts), fallback_used=fallback_used, replies=replies, detail=note
    )


async def _lane(
    client: httpx2.AsyncClient,
    lane: list[tuple[int, WebhookRequest]],
    auth_token: str,
    deliver_to: DeliverTo,
) -> list[tuple[int, Delivery]]:
    return [(index, await _one(client, request, auth_token, deliver_to)) for index, request in lane]


async def deliver(
    requests: Sequence[WebhookRequest], *, auth_token: str, deliver_to: DeliverTo
) -> list[Delivery]:
    """Send ``requests`` (lanes in parallel, each lane in order); one Delivery each, in order."""
    if not requests:
        return []
    lanes: dict[str, list[tuple[int, WebhookRequest]]] = {}
    for index, request in enumerate(requests):
        lanes.setdefault(request.lane, []).append((index, request))
    timeout = httpx2.Timeout(max(r.timeout for r in requests), connect=CONNECT_TIMEOUT)
    async with httpx2.AsyncClient(
        timeout=timeout, follow_redirects=False, trust_env=False, verify=_tls()
    ) as client:
        done = await asyncio.gather(
            *(_lane(client, lane, auth_token, deliver_to) for lane in lanes.values())
        )
    ordered = sorted((pair for lane in done for pair in lane), key=lambda pair: pair[0])
    return [delivery for _, delivery in ordered]
