"""The applications domain's routing table (paths after ``{base}/api``)."""

from __future__ import annotations

from .handlers import APPLICATIONS

__all__ = ["ROUTES"]

ROUTES = APPLICATIONS.routes()
