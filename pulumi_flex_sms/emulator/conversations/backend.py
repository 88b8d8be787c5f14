"""Conversations v1, the domain's backend: one class over its parts. No HTTP here.

Each part keeps the rules of one resource family and builds on
:class:`~.base.ConversationsBase` (the lifecycle rules they share):

* :mod:`.addresses` Address Configurations (``/v1/Configuration/Addresses``);
* :mod:`.services` Conversation Services (``/v1/Services``);
* :mod:`.configuration` the account's defaults (``/v1/Configuration``);
* :mod:`.conversations` conversations, their states and timers;
* :mod:`.participants` participants and the (address, proxy address) pairs they bind;
* :mod:`.messages` messages; :mod:`.webhooks` conversation-scoped webhooks.

What the simulation calls, each one transaction (joining the caller's):
``create_conversation``, ``get_conversation``, ``set_conversation_state``,
``add_sms_participant``, ``find_bound_conversation``, ``participants_of``,
``add_message``, ``attach_conversation_webhook``, ``conversation_webhooks``,
``fetch_configuration``.
"""

from __future__ import annotations

from .addresses import (
    ADDRESS_TYPES,
    AUTO_CREATION_KEYS,
    AUTO_CREATION_TYPES,
    DEFAULT_STUDIO_RETRY_COUNT,
    WEBHOOK_FILTERS,
    AddressConfigurations,
)
from .configuration import Configuration
from .conversations import Conversations
from .messages import Messages
from .participants import PairBinding, Participants
from .services import Services
from .webhooks import ConversationWebhooks

__all__ = [
    "ADDRESS_TYPES",
    "AUTO_CREATION_KEYS",
    "AUTO_CREATION_TYPES",
    "DEFAULT_STUDIO_RETRY_COUNT",
    "WEBHOOK_FILTERS",
    "ConversationsBackend",
    "PairBinding",
]


class ConversationsBackend(
    AddressConfigurations,
    Services,
    Configuration,
    Conversations,
    Participants,
    Messages,
    ConversationWebhooks,
):
    """Address configurations, services, the account's defaults, conversations
    with their participants, messages and scoped webhooks."""
