"""What the user-facing resource classes share: name translation, outputs, secret URLs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar, overload

import pulumi

from ..identifiers import shorten
from ..keys import to_python_name, to_state_key
from ..urls import has_credentials

__all__ = [
    "FlexSmsResource",
    "OutputProperty",
    "secret_if_credentials",
    "set_given",
    "split_args",
]

T = TypeVar("T")


def secret_if_credentials(url: pulumi.Input[str] | None) -> pulumi.Input[str] | None:
    """Wrap a URL that carries credentials in ``Output.secret`` so state encrypts it."""
    if url is None:
        return None
    if isinstance(url, pulumi.Output):
        return url.apply(lambda u: pulumi.Output.secret(u) if has_credentials(u) else u)
    if isinstance(url, str) and has_credentials(url):
        return pulumi.Output.secret(url)
    return url


def set_given(args: object, arguments: Mapping[str, Any]) -> None:
    """Store the arguments an ``...Args.__init__`` was given (its ``locals()``).

    ``None`` means not given: it is left out, as Pulumi leaves out ``None`` inputs.
    """
    for name, value in arguments.items():
        if name != "__self__" and value is not None:
            pulumi.set(args, name, value)


class OutputProperty(Generic[T]):
    """A resource's output as a typed, documented attribute: ``FlexSmsAddress.sid``.

    The engine's value lands in the resource's ``__dict__`` under the Python name
    (see :meth:`FlexSmsResource.translate_output_property`), which an instance
    attribute then reads; this descriptor gives the class its type and docstring
    (``help(FlexSmsAddress.sid)``), like the ``@property`` getters of generated SDKs.
    """

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, resource: None, owner: type) -> OutputProperty[T]: ...

    @overload
    def __get__(self, resource: pulumi.Resource, owner: type) -> pulumi.Output[T]: ...

    def __get__(self, resource: pulumi.Resource | None, owner: type) -> Any:
        return self if resource is None else pulumi.get(resource, self.name)


class FlexSmsResource(pulumi.dynamic.Resource):
    """Python keywords (``studio_flow_sid``) on this side, camelCase state keys on the wire."""

    def translate_input_property(self, prop: str) -> str:
        """Python name -> state key (applied to nested dict keys too)."""
        return to_state_key(prop)

    def translate_output_property(self, prop: str) -> str:
        """State key -> Python name (applied to nested dict keys too)."""
        return to_python_name(prop)


def split_args(args_type: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    """(typed args, ResourceOptions) from either calling style, as pulumi-random's SDK allows."""
    opts = kwargs.pop("opts", None)
    positional = list(args)
    args_obj = None
    if positional and isinstance(positional[0], args_type):
        args_obj = positional.pop(0)
    if positional and (opts is None and isinstance(positional[0], pulumi.ResourceOptions)):
        opts = positional.pop(0)
    if positional:
        raise TypeError(f"unexpected positional arguments: {shorten(positional)}")
    if args_obj is not None and kwargs:
        raise TypeError(
            f"pass either {args_type.__name__} or keyword arguments, not both "
            f"(got {', '.join(sorted(kwargs))})"
        )
    if args_obj is None:
        args_obj = args_type(**kwargs)
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError("opts must be a pulumi.ResourceOptions")
    return args_obj, opts
