"""The studio domain's routing table (paths after ``{base}/studio``)."""

from __future__ import annotations

from starlette.routing import Route

from . import execution_handlers as executions
from .handlers import PREFIX, create_flow, delete_flow, fetch_flow, list_flows, update_flow

__all__ = ["ROUTES"]

_FLOWS = f"{PREFIX}/Flows"
_EXECUTIONS = f"{_FLOWS}/{{flow}}/Executions"

ROUTES = [
    Route(_FLOWS, list_flows, methods=["GET"]),
    Route(_FLOWS, create_flow, methods=["POST"]),
    Route(f"{_FLOWS}/{{sid}}", fetch_flow, methods=["GET"]),
    Route(f"{_FLOWS}/{{sid}}", update_flow, methods=["POST"]),
    Route(f"{_FLOWS}/{{sid}}", delete_flow, methods=["DELETE"]),
    Route(_EXECUTIONS, executions.list_executions, methods=["GET"]),
    Route(f"{_EXECUTIONS}/{{sid}}", executions.fetch_execution, methods=["GET"]),
    Route(f"{_EXECUTIONS}/{{sid}}", executions.update_execution, methods=["POST"]),
    Route(f"{_EXECUTIONS}/{{sid}}", executions.delete_execution, methods=["DELETE"]),
    Route(f"{_EXECUTIONS}/{{sid}}/Context", executions.fetch_execution_context, methods=["GET"]),
    Route(f"{_EXECUTIONS}/{{sid}}/Steps", executions.list_execution_steps, methods=["GET"]),
    Route(
        f"{_EXECUTIONS}/{{sid}}/Steps/{{step}}", executions.fetch_execution_step, methods=["GET"]
    ),
]
