"""The seed's ``sms_messages``: the account's log of simulated inbound SMS and TwiML replies.

The state dump shows it in this same shape, so a dump seeds back; a seed may
also declare past messages. Each entry is an SMS as Programmable Messaging
logs it: ``sid`` (SM...), ``from``, ``to``, ``body``, ``direction``
(``inbound`` or ``outbound-reply``), ``status``, ``messaging_service_sid``
and ISO 8601 ``date_created`` / ``date_sent``; ``num_segments``,
``num_media`` and ``api_version`` are worked out again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import params as p
from ..domain import SeedList
from ..store import SMS_MESSAGE

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["SMS_MESSAGES"]


def _create(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    dates = {}
    for name in ("date_created", "date_sent"):
        value = entry.get(name)
        if value is not None:
            dates[name] = p.date_time(str(value), name)
    return backend.simulation.restore_sms(
        account,
        sid=sid,
        sender=entry.get("from"),
        to=entry.get("to"),
        body=entry.get("body", ""),
        direction=entry.get("direction", "inbound"),
        status=entry.get("status"),
        messaging_service_sid=entry.get("messaging_service_sid"),
        **dates,
    )


SMS_MESSAGES = SeedList(
    name="sms_messages",
    kind=SMS_MESSAGE,
    sid_prefix="SM",
    fields=frozenset(
        {
            "from",
            "to",
            "body",
            "direction",
            "status",
            "messaging_service_sid",
            "num_segments",
            "num_media",
            "api_version",
            "date_created",
            "date_sent",
        }
    ),
    create=_create,
    summary=("direction",),
)
