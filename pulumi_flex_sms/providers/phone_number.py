"""The dynamic provider behind :class:`pulumi_flex_sms.PhoneNumberMessagingConfig`.

It takes over the messaging settings of a number that already exists and gives
them back on delete. It never buys a number and never sends DELETE to an
IncomingPhoneNumber: that would release the number, which is how people lose
numbers with other tools.

The settings a number had before Pulumi are the one thing that cannot be
rebuilt, so they are never lost: once create has read them and sent its update,
an update whose answer is lost (and that a look-up cannot confirm) still ends
in a successful create, with them in ``originalSettings`` and an ``unconfirmed``
marker that makes the next ``pulumi up`` apply the settings again (a failed
create would leave nothing in state, and the next ``up`` would record *our*
settings as the originals). Only a create that provably changed nothing fails.

Released as ``pulumi_flex_sms.providers.phone_number.PhoneNumberMessagingConfigProvider``:
that path is in every user's state, never move or rename it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from .. import twilio_api
from ..errors import ConfigurationError, NotFoundError
from ..keys import PhoneNumberKeys as K
from ..models._common import has_unknown
from ..models.phone_number import (
    CLEARABLE_KEYS,
    FACT_KEYS,
    IDENTITY_KEYS,
    SMS_KEYS,
    check_phone_number,
    checked_identity,
    effective,
    live_state,
    settings_params,
    snapshot,
)
from ..twilio_api import Unconfirmed
from ..urls import mask_credentials
from ._base import FlexSmsProviderBase, refuse_other_account, warn, without_provider

__all__ = ["PhoneNumberMessagingConfigProvider"]


def _outputs(
    inputs: Mapping[str, Any], live: Mapping[str, Any], original: Mapping[str, Any] | None
) -> dict[str, Any]:
    out = {
        **without_provider(inputs),
        **{k: live[k] for k in FACT_KEYS if k in live},
    }
    if original is not None:
        out[K.ORIGINAL_SETTINGS] = dict(original)
    return out


def _applied(record: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    live = effective(live_state(record))
    return all(live.get(key) == value for key, value in effective(wanted).items())


def _unconfirmed(inputs: Mapping[str, Any], live: Mapping[str, Any], why: str) -> CreateResult:
    """Create's update was sent and not confirmed: never drop the originals, say so."""
    sid, number = live[K.PHONE_NUMBER_SID], live[K.PHONE_NUMBER]
    warn(
        f"PhoneNumberMessagingConfig {number} ({sid}): the update of its messaging settings "
        f"was sent but is not confirmed: {why}. The settings it had before Pulumi are "
        "recorded (originalSettings), so destroy can still give them back; the next "
        "`pulumi up` applies this program's settings again, and `pulumi refresh` shows "
        "what Twilio has."
    )
    outputs = _outputs(inputs, live, snapshot(live))
    outputs[K.UNCONFIRMED] = (
        f"the update sent by create is not confirmed: {why}. The next `pulumi up` applies "
        "the settings again; `pulumi refresh` reads what Twilio has."
    )
    return CreateResult(sid, outputs)


def _same(identity: Any, recorded: Any) -> bool:
    """The same number: E.164 as is; a SID's hex in any case (Twilio writes it lower)."""
    if isinstance(identity, str) and isinstance(recorded, str):
        return identity.lower() == recorded.lower()
    return bool(identity == recorded)


def _restorable(settings: dict[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` to give back, without a Messaging Service where the TwiML app goes.

    Twilio shows a number's Messaging Service (``MG...``) in ``sms_application_sid``,
    but takes only a TwiML app (``AP...``) there: sending it back would fail every
    destroy. The service is left to the Console, and the user is told.
    """
    app = settings.get(K.SMS_APPLICATION_SID)
    if not app or str(app).startswith("AP"):
        return settings
    number = state.get(K.PHONE_NUMBER) or state.get(K.PHONE_NUMBER_SID)
    warn(
        f"PhoneNumberMessagingConfig {number}: before Pulumi it was in the Messaging Service "
        f"{app}, which sms_application_sid cannot give back (Twilio takes only a TwiML app "
        "AP... there). Its other settings are given back; add the number to the service "
        "again in the Console (Messaging > Services > Sender Pool) if it should be there."
    )
    return {k: v for k, v in settings.items() if k != K.SMS_APPLICATION_SID}


def _named(id_: str, state: Mapping[str, Any]) -> str:
    return f"The phone number {state.get(K.PHONE_NUMBER) or id_} ({id_})"


def _restore_impossible(olds: Mapping[str, Any], news: Mapping[str, Any]) -> str | None:
    if news.get(K.ON_DELETE) == "restore" and not olds.get(K.ORIGINAL_SETTINGS):
        return (
            "on_delete='restore' needs the settings the number had before Pulumi took it over, "
            "and they were not recorded (it was taken over by SID with on_delete="
            f"{olds.get(K.ON_DELETE)!r}, which needs no record). Keep on_delete as it was, or "
            "run `pulumi up --replace <urn>` to record the number's current settings as the "
            "ones to restore."
        )
    return None


class PhoneNumberMessagingConfigProvider(FlexSmsProviderBase):
    """Owns the messaging fields of an existing IncomingPhoneNumber."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise; no Twilio call. Unknown values pass through."""
        return self._check_result(*check_phone_number(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare inputs only, normalised; the number itself replaces. No Twilio call."""
        problem = _restore_impossible(olds, news)
        if problem is not None:
            raise ConfigurationError(problem)
        key, value = checked_identity(news)
        replaces = [key] if has_unknown(value) or not _same(value, olds.get(key)) else []
        # olds hold both the E.164 form and the SID of the old number, so a known value
        # that differs from its own kind names another number.
        another_number = not has_unknown(value) and olds.get(key) is not None
        old, new = effective(olds), effective(news)
        changed = [k for k in SMS_KEYS if has_unknown(new.get(k)) or old.get(k) != new.get(k)]
        if old.keys() != new.keys():
            changed = sorted(set(changed) | (old.keys() ^ new.keys()))
        if olds.get(K.ON_DELETE) != news.get(K.ON_DELETE):
            changed.append(K.ON_DELETE)
        if olds.get(K.UNCONFIRMED):
            changed.append(K.UNCONFIRMED)  # the settings may not be on Twilio: apply them again
        return DiffResult(
            changes=bool(replaces or changed),
            replaces=replaces,
            stables=[K.ACCOUNT_SID],
            # Another number is taken first, so one Twilio refuses (not in the account,
            # say) leaves the old number as it was. When the new one may be the same
            # number (unknown at preview, or state without its facts), the old one is
            # given back first, so that the restore cannot undo the new settings.
            delete_before_replace=not another_number,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Find the number, record its settings, apply ours: 2 calls (1 by SID without restore)."""
        inputs = without_provider(props)
        key, number = checked_identity(inputs)
        wanted = {k: inputs[k] for k in SMS_KEYS if k in inputs}
        before: dict[str, Any] | None
        if key == K.PHONE_NUMBER:
            before = twilio_api.find_number(number)
        elif inputs.get(K.ON_DELETE) == "restore":
            before = twilio_api.fetch_number(number)
            if before is None:
                raise NotFoundError(twilio_api.not_in_account(number), status=404)
        else:
            before = None  # nothing to give back: skip the read
        if before is None:
            after = twilio_api.update_number(number, settings_params(wanted), number=number)
            return CreateResult(after["sid"], _outputs(inputs, live_state(after), None))
        live = live_state(before)
        differing = {k: v for k, v in effective(wanted).items() if effective(live).get(k) != v}
        if not differing:
            return CreateResult(before["sid"], _outputs(inputs, live, snapshot(live)))
        outcome = twilio_api.update_number_confirmed(
            live[K.PHONE_NUMBER_SID],
            settings_params(differing),
            is_applied=lambda now: _applied(now, differing),
            number=live[K.PHONE_NUMBER],
        )
        if isinstance(outcome, Unconfirmed):
            return _unconfirmed(inputs, live, outcome.why)
        after = outcome.record
        return CreateResult(after["sid"], _outputs(inputs, live_state(after), snapshot(live)))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """One fetch; a released number drops out of state; drift shows next preview.

        It also settles an unconfirmed create: what Twilio has is now in state.
        """
        record = twilio_api.fetch_number(id_)
        if record is None:
            refuse_other_account(props, twilio_api.account_sid(), _named(id_, props))
            return ReadResult(None, {})
        old = without_provider(props)
        old.pop(K.UNCONFIRMED, None)
        live = live_state(record)
        # A URL set outside Pulumi may carry credentials we must not put in state.
        managed = {
            k: live[k] if live[k] == old[k] else mask_credentials(live[k])
            for k in SMS_KEYS
            if k in old
        }
        outputs = {**old, **managed, **{k: live[k] for k in FACT_KEYS}}
        inputs = {k: outputs[k] for k in (*IDENTITY_KEYS, *SMS_KEYS, K.ON_DELETE) if k in outputs}
        return ReadResult(id_, outputs, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """One update with only what changed; a field no longer managed is given back.

        After an unconfirmed create it sends every managed setting, and clears the marker.
        A failed update keeps the old state (originals and marker): nothing is lost.
        """
        problem = _restore_impossible(olds, news)
        if problem is not None:
            raise ConfigurationError(problem)
        inputs = without_provider(news)
        old, new = effective(olds), effective(inputs)
        changes = {k: v for k, v in new.items() if old.get(k) != v}
        if olds.get(K.UNCONFIRMED):
            changes = dict(new)  # create's update is not confirmed: send every managed setting
        original = olds.get(K.ORIGINAL_SETTINGS) or {}
        given_back = {k: original[k] for k in old.keys() - new.keys() if k in original}
        changes.update(_restorable(given_back, olds))
        kept = {k: olds[k] for k in FACT_KEYS if k in olds}
        if not changes:
            return UpdateResult(_outputs(inputs, kept, olds.get(K.ORIGINAL_SETTINGS)))
        after = twilio_api.update_number(
            id_, settings_params(changes), number=olds.get(K.PHONE_NUMBER) or id_
        )
        return UpdateResult(_outputs(inputs, live_state(after), olds.get(K.ORIGINAL_SETTINGS)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """restore: one update back; clear: one update to blank; leave: nothing. Never DELETE."""
        mode = props.get(K.ON_DELETE, "restore")
        managed = [k for k in SMS_KEYS if k in props]
        if mode == "restore":
            original = props.get(K.ORIGINAL_SETTINGS) or {}
            params = _restorable({k: original[k] for k in managed if k in original}, props)
        elif mode == "clear":
            params = {k: "" for k in managed if k in CLEARABLE_KEYS}
        else:
            return
        if not params:
            return
        try:
            twilio_api.update_number(
                id_, settings_params(params), number=props.get(K.PHONE_NUMBER) or id_
            )
        except NotFoundError:
            refuse_other_account(props, twilio_api.account_sid(), _named(id_, props))
            return  # released out of band: nothing left to give back
