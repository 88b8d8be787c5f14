"""The messaging domain's routing table (paths after ``{base}/messaging``)."""

from __future__ import annotations

from .handlers import PHONE_NUMBERS, SERVICES

__all__ = ["ROUTES"]

ROUTES = [*SERVICES.routes(), *PHONE_NUMBERS.routes()]
