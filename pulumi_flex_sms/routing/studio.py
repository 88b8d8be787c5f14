"""Does a Studio flow hand a conversation to Flex? Read its definition, never its name.

A flow reaches Flex when its Trigger state (``type: "trigger"``) has an
``incomingConversationMessage`` transition (the "Incoming Conversation" trigger
that conversation messages start, STUDIO-CONV) that leads, through any widgets
and any of their transitions, to a state of ``type: "send-to-flex"`` (SEND-FLEX).
A flow wired only on ``incomingMessage`` is the number-webhook trigger, which a
conversation never starts (FLEX-MIG: "make sure the 'Incoming Conversation'
trigger is mapped").

The definition is Studio's JSON (``studio.v2.flow.definition``)::

    {"initial_state": "Trigger",
     "states": [{"name": "Trigger", "type": "trigger",
                 "transitions": [{"event": "incomingConversationMessage",
                                  "next": "to_agent"}]},
                {"name": "to_agent", "type": "send-to-flex", "transitions": []}]}

:func:`parse_definition` raises :class:`DefinitionError` naming what is wrong;
:func:`flex_reach` never raises: a malformed definition is a reason the flow
does not reach Flex. Cycles are fine (the walk visits each state once; one
back into the Trigger ends there, since its other transitions start on their
own events, never by flowing into it); a transition without ``next`` (an
unconnected one, common in real flows) or to a state that does not exist leads
nowhere.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

__all__ = [
    "CONVERSATION_TRIGGER_EVENT",
    "SEND_TO_FLEX_TYPE",
    "TRIGGER_TYPE",
    "DefinitionError",
    "FlexReach",
    "FlowDefinition",
    "State",
    "Transition",
    "flex_reach",
    "parse_definition",
]

TRIGGER_TYPE = "trigger"
SEND_TO_FLEX_TYPE = "send-to-flex"
CONVERSATION_TRIGGER_EVENT = "incomingConversationMessage"
_SMS_TRIGGER_EVENT = "incomingMessage"


class DefinitionError(ValueError):
    """A Studio flow definition that is not the JSON Studio writes."""


@dataclass(frozen=True)
class Transition:
    """One outgoing edge of a widget."""

    event: str
    """What takes it (``incomingConversationMessage``, ``callComplete``, ...)."""
    next: str | None
    """The state it leads to; None when the transition is not connected."""


@dataclass(frozen=True)
class State:
    """One widget of the flow."""

    name: str
    type: str
    transitions: tuple[Transition, ...] = ()


@dataclass(frozen=True)
class FlexReach:
    """Whether the flow hands an incoming conversation message to Flex, and why (not)."""

    reaches_flex: bool
    reason: str
    """One sentence: the path taken, or what is missing."""
    path: tuple[str, ...] = ()
    """State names from the Trigger to the first Send to Flex widget, when it reaches."""


@dataclass(frozen=True)
class FlowDefinition:
    """A parsed flow definition: its states by name."""

    states: tuple[State, ...]
    initial_state: str | None = None

    def state(self, name: str) -> State | None:
        """The state called ``name``, or None."""
        return next((s for s in self.states if s.name == name), None)

    def trigger(self) -> State | None:
        """The Trigger widget: the initial state if it is one, else the first trigger state."""
        initial = self.state(self.initial_state) if self.initial_state else None
        if initial is not None and initial.type == TRIGGER_TYPE:
            return initial
        return next((s for s in self.states if s.type == TRIGGER_TYPE), None)

    def flex_reach(self) -> FlexReach:
        """Walk from the Trigger's Incoming Conversation transition to a Send to Flex widget."""
        trigger = self.trigger()
        if trigger is None:
            return FlexReach(False, "the flow has no Trigger state (type 'trigger')")
        starts = [
            t.next for t in trigger.transitions if t.event == CONVERSATION_TRIGGER_EVENT and t.next
        ]
        if not starts:
            wired = sorted({t.event for t in trigger.transitions if t.next})
            reason = (
                f"the Trigger has no connected '{CONVERSATION_TRIGGER_EVENT}' (Incoming "
                "Conversation) transition, so conversation messages never start the flow"
            )
            if _SMS_TRIGGER_EVENT in wired:
                reason += (
                    f"; it is wired on '{_SMS_TRIGGER_EVENT}', the trigger of the number's own "
                    "webhook, which conversations do not use"
                )
            return FlexReach(False, reason)
        by_name = {s.name: s for s in self.states}
        # Breadth-first, so the path reported is a shortest one; `came_from` doubles as
        # the visited set, which is what makes cycles harmless.
        came_from: dict[str, str | None] = {}
        queue: deque[str] = deque()
        for start in starts:
            if start not in came_from:
                came_from[start] = None
                queue.append(start)
        while queue:
            name = queue.popleft()
            state = by_name.get(name)
            if state is None:
                continue
            if state.type == SEND_TO_FLEX_TYPE:
                return FlexReach(
                    True,
                    _path_sentence(trigger.name, name, came_from),
                    (
                        trigger.name,
                        *_path(name, came_from),
                    ),
                )
            if state.type == TRIGGER_TYPE:
                continue  # its transitions are entry points, each taken only on its own event
            for transition in state.transitions:
                if transition.next and transition.next not in came_from:
                    came_from[transition.next] = name
                    queue.append(transition.next)
        if not any(s.type == SEND_TO_FLEX_TYPE for s in self.states):
            return FlexReach(False, "the flow has no Send to Flex widget (type 'send-to-flex')")
        return FlexReach(
            False,
            "no Send to Flex widget (type 'send-to-flex') can be reached from the Trigger's "
            f"'{CONVERSATION_TRIGGER_EVENT}' transition",
        )


def _path(end: str, came_from: Mapping[str, str | None]) -> list[str]:
    path = [end]
    while (previous := came_from[path[-1]]) is not None:
        path.append(previous)
    return path[::-1]


def _path_sentence(trigger: str, end: str, came_from: Mapping[str, str | None]) -> str:
    steps = " -> ".join([trigger, *_path(end, came_from)])
    return f"Incoming Conversation reaches Send to Flex: {steps}"


def _is_list(value: Any) -> TypeGuard[Sequence[Any]]:
    """A JSON list: a list, or any other sequence but text (a read-only proxy of one)."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray))


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise DefinitionError(f"{where} must be a non-empty string, not {value!r}")
    return value


def _transition(raw: Any, where: str) -> Transition:
    if not isinstance(raw, Mapping):
        raise DefinitionError(f"{where} must be an object with 'event' and 'next'")
    event = _text(raw.get("event"), f"{where}.event")
    target = raw.get("next")
    if target is not None and not isinstance(target, str):
        raise DefinitionError(f"{where}.next must be a state name, not {target!r}")
    return Transition(event, target or None)


def _state(raw: Any, where: str) -> State:
    if not isinstance(raw, Mapping):
        raise DefinitionError(f"{where} must be an object with 'name', 'type', 'transitions'")
    name = _text(raw.get("name"), f"{where}.name")
    kind = _text(raw.get("type"), f"{where}.type")
    transitions = raw.get("transitions", [])
    if transitions is None:
        transitions = []
    if not _is_list(transitions):
        raise DefinitionError(f"{where}.transitions must be a list")
    return State(
        name,
        kind,
        tuple(_transition(t, f"{where}.transitions[{i}]") for i, t in enumerate(transitions)),
    )


def parse_definition(raw: Any) -> FlowDefinition:
    """Parse a definition given as Studio's JSON object or as its JSON text.

    An object may be any ``Mapping`` whose lists are any ``Sequence`` but text
    (the policy SDK's read-only proxies, for one).

    Raises :class:`DefinitionError` naming the first thing that is wrong
    (``states[2].name must be a non-empty string, not None``).
    """
    if isinstance(raw, (str, bytes, bytearray)):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise DefinitionError(f"the definition is not valid JSON ({exc})") from None
        except RecursionError:  # json's decoder recurses once per level of nesting
            raise DefinitionError("the definition's JSON is nested too deeply") from None
    if not isinstance(raw, Mapping):
        raise DefinitionError(
            f"the definition must be a JSON object with 'states', not {type(raw).__name__}"
        )
    states = raw.get("states")
    if not _is_list(states):
        raise DefinitionError("the definition has no 'states' list")
    parsed = tuple(_state(s, f"states[{i}]") for i, s in enumerate(states))
    seen: set[str] = set()
    for state in parsed:
        if state.name in seen:
            raise DefinitionError(f"two states are named {state.name!r}")
        seen.add(state.name)
    initial = raw.get("initial_state")
    return FlowDefinition(parsed, initial if isinstance(initial, str) and initial else None)


def flex_reach(raw: Any) -> FlexReach:
    """Whether a definition (object or JSON text) reaches Flex; never raises."""
    if raw is None:
        return FlexReach(False, "the flow has no definition")
    try:
        definition = parse_definition(raw)
    except DefinitionError as exc:
        return FlexReach(False, f"its definition cannot be read: {exc}")
    return definition.flex_reach()
