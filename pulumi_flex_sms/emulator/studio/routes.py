"""The studio domain's routing table (paths after ``{base}/studio``)."""

from __future__ import annotations

from starlette.routing import Route

from . import execution_handlers as executions
from .handlers import FLOWS

__all__ = ["ROUTES"]

_EXECUTION = f"{executions.EXECUTIONS.path}/{{sid}}"

ROUTES = [
    *FLOWS.routes(),
    *executions.EXECUTIONS.routes(),
    Route(f"{_EXECUTION}/Context", executions.fetch_execution_context, methods=["GET"]),
    Route(f"{_EXECUTION}/Steps", executions.list_execution_steps, methods=["GET"]),
    Route(f"{_EXECUTION}/Steps/{{step}}", executions.fetch_execution_step, methods=["GET"]),
]
