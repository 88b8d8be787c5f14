"""The plumbing the input models share: unknown values, the base model, check failures.

Every validator leaves values that are unknown during a preview untouched
(:data:`PREVIEW_SAFE`), and every error message names the Python keyword the
user wrote, says what is wrong and how to fix it, and never echoes a credential.
The validators of single values are in :mod:`._validators`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi.output import Unknown
from pydantic import BaseModel, ConfigDict, ValidationError, WrapValidator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from ..identifiers import shorten, shorten_text
from ..keys import to_python_name

__all__ = [
    "PREVIEW_SAFE",
    "CheckProblem",
    "InputModel",
    "check_model",
    "cross_field",
    "has_unknown",
    "is_unknown",
]

CheckProblem = tuple[str, str]
"""(property path as in state, e.g. ``autoCreation.studioFlowSid``; reason)"""


def is_unknown(value: Any) -> bool:
    """True for a value that only becomes known after ``pulumi up`` (preview)."""
    return isinstance(value, Unknown)


def has_unknown(value: Any) -> bool:
    """True if the value or anything nested in it is unknown."""
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(has_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_unknown(v) for v in value)
    return False


def _pass_unknown(value: Any, handler: Callable[[Any], Any]) -> Any:
    return value if is_unknown(value) else handler(value)


#: Annotate a field with this last so an unknown value skips its validation.
PREVIEW_SAFE = WrapValidator(_pass_unknown)


class InputModel(BaseModel):
    """Base of the input models: camelCase state keys, unknown keys refused."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
        arbitrary_types_allowed=True,
    )

    def to_state(self) -> dict[str, Any]:
        """The normalised inputs as a state property bag (camelCase, no ``None``).

        Written out by hand rather than with ``model_dump`` so that a value unknown
        during preview stays the same ``Unknown`` object, even where a nested
        model was expected.
        """
        out: dict[str, Any] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None:
                continue
            out[field.alias or name] = value.to_state() if isinstance(value, InputModel) else value
        return out


def cross_field(problems: list[CheckProblem]) -> PydanticCustomError:
    """An error that :func:`check_failures` expands into one failure per property."""
    return PydanticCustomError(
        "cross_field",
        "{summary}",
        {"summary": "; ".join(r for _, r in problems), "problems": problems},
    )


_FIXES = {
    "missing": "is required",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "model_type": "must be an object (a dict or the matching ...Args class)",
    "dict_type": "must be an object (a dict or the matching ...Args class)",
    "literal_error": "must be one of {expected}",
    "enum": "must be one of {expected}",
}


def _python_path(path: Iterable[str]) -> str:
    return ".".join(to_python_name(p) if not p.startswith("[") else p for p in path).replace(
        ".[", "["
    )


def _state_path(loc: Iterable[Any]) -> list[str]:
    # A key is the user's text too (``extra_forbidden`` names it): mask it and keep it short.
    return [f"[{p}]" if isinstance(p, int) else shorten_text(str(p), 60) for p in loc]


def check_failures(
    error: ValidationError, model: type[BaseModel], resource: str, required_hints: Mapping[str, str]
) -> list[CheckProblem]:
    """Turn a ValidationError into (state property, reason) pairs a CheckFailure can carry."""
    problems: list[CheckProblem] = []
    for item in error.errors(include_url=False):
        path = _state_path(item["loc"])
        if item["type"] == "cross_field":
            ctx = item.get("ctx") or {}
            for prop, reason in ctx.get("problems", []):
                full = [*path, *prop.split(".")] if prop else path
                problems.append(
                    (".".join(full).replace(".[", "["), f"{_python_path(full)} {reason}")
                )
            continue
        prop = ".".join(path).replace(".[", "[")
        python = _python_path(path)
        if item["type"] == "extra_forbidden":
            known = _known_aliases(model, path[:-1])
            guess = difflib.get_close_matches(path[-1], known, n=1)
            hint = f"; did you mean {to_python_name(guess[0])!r}?" if guess else ""
            allowed = ", ".join(sorted(to_python_name(k) for k in known))
            problems.append(
                (prop, f"{python} is not a property of {resource}{hint} (allowed: {allowed})")
            )
            continue
        if item["type"] not in _FIXES:
            message = item["msg"]  # ours, already phrased with the fix
        else:
            expected = (item.get("ctx") or {}).get("expected", "")
            message = _FIXES[item["type"]].format(expected=expected)
            if item["type"] != "missing":
                message += f"; got {shorten(item.get('input'))}"
        if item["type"] == "missing" and prop in required_hints:
            message += f": {required_hints[prop]}"
        problems.append((prop, f"{python} {message}"))
    return problems


def _known_aliases(model: type[BaseModel], path: list[str]) -> list[str]:
    current: Any = model
    for part in path:
        field = next(
            (f for n, f in current.model_fields.items() if (f.alias or n) == part or n == part),
            None,
        )
        inner = _model_in(field.annotation) if field else None
        if inner is None:
            return []
        current = inner
    return [f.alias or n for n, f in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def check_model(
    model: type[InputModel],
    news: Mapping[str, Any],
    resource: str,
    required_hints: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[CheckProblem]]:
    """Validate and normalise new inputs with ``model``: (checked inputs, problems).

    On problems the inputs come back as given, so the engine shows what it got.
    """
    bag = {k: v for k, v in news.items() if k != "__provider"}
    try:
        checked = model.model_validate(bag)
    except ValidationError as exc:
        return bag, check_failures(exc, model, resource, required_hints or {})
    return checked.to_state(), []
