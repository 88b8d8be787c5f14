"""The applications domain's routing table (paths after ``{base}/api``)."""

from __future__ import annotations

from starlette.routing import Route

from .handlers import (
    PREFIX,
    create_application,
    delete_application,
    fetch_application,
    list_applications,
    update_application,
)

__all__ = ["ROUTES"]

_APPLICATIONS = f"{PREFIX}/Accounts/{{account_sid}}/Applications"

ROUTES = [
    Route(f"{_APPLICATIONS}.json", list_applications, methods=["GET"]),
    Route(f"{_APPLICATIONS}.json", create_application, methods=["POST"]),
    Route(f"{_APPLICATIONS}/{{sid}}.json", fetch_application, methods=["GET"]),
    Route(f"{_APPLICATIONS}/{{sid}}.json", update_application, methods=["POST"]),
    Route(f"{_APPLICATIONS}/{{sid}}.json", delete_application, methods=["DELETE"]),
]
