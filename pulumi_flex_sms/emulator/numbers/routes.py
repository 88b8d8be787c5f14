"""The numbers domain's routing table (paths after ``{base}/api``)."""

from __future__ import annotations

from .handlers import PHONE_NUMBERS, TYPED_NUMBERS

__all__ = ["ROUTES"]

#: The sub-lists first: ``IncomingPhoneNumbers/Local.json`` would otherwise be taken
#: for the number whose SID is ``Local``.
ROUTES = [*(route for typed in TYPED_NUMBERS for route in typed.routes()), *PHONE_NUMBERS.routes()]
