"""The emulated Twilio: one backend per domain, all over one store. No HTTP here.

Handlers reach a domain's rules through its attribute and call bound methods::

    await call(backend_of(request).conversations.fetch_address_configuration, account, sid)

Each domain's ``backend.py`` keeps its own rules (see :mod:`.domain`); this
class only builds them over the shared :class:`~.store.Store` and clock, and
holds the operations on the whole emulator (reset, "is this state new?").
Every operation is one store transaction, so concurrent requests never see
half a change; a seed runs many of them inside one.
"""

from __future__ import annotations

import time
from typing import Any

from .accounts.backend import AccountsBackend
from .applications.backend import ApplicationsBackend
from .conversations.backend import ConversationsBackend
from .domain import Clock
from .flex.backend import FlexBackend
from .messaging.backend import MessagingBackend
from .numbers.backend import NumbersBackend
from .simulation.backend import SimulationBackend
from .store import Store
from .studio.backend import StudioBackend

__all__ = ["Backend"]


class Backend:
    """All emulated state, by domain, behind one :class:`~.store.Store`."""

    # Declared, not inferred: handlers pick methods off them in module-level lambdas,
    # which mypy types before it has read __init__.
    store: Store
    accounts: AccountsBackend
    numbers: NumbersBackend
    studio: StudioBackend
    conversations: ConversationsBackend
    applications: ApplicationsBackend
    messaging: MessagingBackend
    flex: FlexBackend
    simulation: SimulationBackend

    def __init__(
        self,
        store: Store,
        account_sid: str,
        auth_token: str,
        *,
        settings: dict[str, Any] | None = None,
        clock: Clock = time.time,
    ) -> None:
        self.store = store
        self.accounts = AccountsBackend(store, clock, account_sid, auth_token, settings=settings)
        self.numbers = NumbersBackend(store, clock)
        self.studio = StudioBackend(store, clock)
        self.conversations = ConversationsBackend(store, clock, accounts=self.accounts)
        self.applications = ApplicationsBackend(store, clock)
        self.messaging = MessagingBackend(store, clock)
        self.flex = FlexBackend(store, clock)
        self.simulation = SimulationBackend(store, clock, backend=self)

    @property
    def account_sid(self) -> str:
        """The default account (the command line's ``--account-sid``)."""
        return self.accounts.default_account_sid

    def reset(self) -> None:
        """Forget everything but the default account; settings return to the startup ones."""
        with self.store.transaction() as tx:
            tx.delete_all()
            self.accounts.restore_defaults()

    def is_fresh(self) -> bool:
        """True while nothing but the default account exists (a new state file)."""
        with self.store.transaction() as tx:
            return tx.count() == 1  # the default account, always there
