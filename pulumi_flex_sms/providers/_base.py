"""What both providers share: configuration, check plumbing, output assembly.

Providers are pickled into state by reference (``module.Class``): never rename
or move a provider class once released, and hold nothing on ``self``. The
credentials live in :mod:`pulumi_flex_sms.gateway`, set up by :meth:`configure`
in the provider process; providers reach Twilio only through the operations of
:mod:`pulumi_flex_sms.twilio_api`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, ConfigureRequest, ResourceProvider

from .. import gateway
from ..errors import ConfigurationError
from ..models._common import CheckProblem
from ..settings import ACCOUNT_SID, AUTH_TOKEN

__all__ = ["FlexSmsProviderBase", "refuse_other_account", "warn", "without_provider"]

PROVIDER_KEY = "__provider"
#: The output both resources record their account under.
ACCOUNT_KEY = "accountSid"


def refuse_other_account(state: Mapping[str, Any], current: str, what: str) -> None:
    """Raise when Twilio found nothing because the credentials are for another account.

    Twilio answers 404 in any account but the resource's own, which must not read
    as "deleted outside Pulumi": a refresh would drop the resource from state and a
    destroy would succeed while Twilio stays as it was. ``state`` holds the account
    the resource was made in (none for a create never confirmed: no check then).
    """
    recorded = state.get(ACCOUNT_KEY)
    if not recorded or recorded == current:
        return
    raise ConfigurationError(
        f"{what} was made in Twilio account {recorded}, but the provider's credentials are "
        f"for account {current}, where Twilio cannot find it. Nothing was changed, and it "
        f"stays in state. Set {ACCOUNT_SID.key} with its {AUTH_TOKEN.key} (or "
        f"{ACCOUNT_SID.env} with {AUTH_TOKEN.env}) for {recorded} and run it again; if it no "
        f"longer exists there either, `pulumi state delete <urn>` removes it from state."
    )


def without_provider(props: Mapping[str, Any]) -> dict[str, Any]:
    """A property bag without the pickled provider the SDK adds to every bag."""
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


def warn(message: str) -> None:
    """Tell the user during ``pulumi up``, in one line; never put a credential in it.

    A dynamic provider process has no engine connection, so ``pulumi.log.warn``
    prints ``warning: <message>`` to stderr, and the engine streams the stderr of
    ``pulumi-resource-pulumi-python`` into the update's diagnostics
    (``runtrace`` in pulumi/pulumi ``pkg/resource/plugin/plugin.go``). It carries
    no URN there, so the message names the resource itself.
    """
    pulumi.log.warn(" ".join(message.split()))


class FlexSmsProviderBase(ResourceProvider):
    """Base of this package's dynamic providers."""

    # The pickle is a bare class reference with no state: nothing in it is secret,
    # and leaving it plaintext saves a secrets-manager call per resource.
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        """Read credentials and settings from the provider config, else the environment."""
        gateway.configure(req.config)

    @staticmethod
    def _check_result(inputs: dict[str, Any], problems: list[CheckProblem]) -> CheckResult:
        return CheckResult(inputs, [CheckFailure(prop, reason) for prop, reason in problems])

    def __getstate__(self) -> dict[str, Any]:
        # Belt and braces: whatever a subclass or a debugger hangs on an instance,
        # the pickle in state stays a bare class reference.
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        pass
