"""The numbers domain's routing table (paths after ``{base}/api``)."""

from __future__ import annotations

from .handlers import PHONE_NUMBERS

__all__ = ["ROUTES"]

ROUTES = PHONE_NUMBERS.routes()
