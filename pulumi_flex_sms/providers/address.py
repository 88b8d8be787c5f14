"""The dynamic provider behind :class:`pulumi_flex_sms.FlexSmsAddress`.

One Twilio call per mutation where one is enough; none in check and diff.
Released as ``pulumi_flex_sms.providers.address.FlexSmsAddressProvider``: that
path is in every user's state, never move or rename it.

A create whose answer is lost is looked up before it is sent again, so it never
makes a duplicate. When neither the answers nor the look-ups can tell whether it
was made, the create still succeeds, provisionally: its ID is the address (which
Twilio's fetch, update and delete accept in place of the ``IG...`` SID) and the
``unconfirmed`` output says what is unknown. A refresh or the next ``pulumi up``
settles it (finds it and records its SID, or creates it), so nothing is ever
left outside state. Only a create that provably made nothing fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from .. import twilio_api
from ..errors import ConflictError
from ..keys import AddressKeys as K
from ..keys import AutoCreationKeys as AC
from ..models._common import has_unknown
from ..models.address import (
    INPUT_KEYS,
    OUTPUT_KEYS,
    REPLACE_KEYS,
    check_address,
    create_params,
    effective,
    live_state,
    update_params,
)
from ..twilio_api import Occupied, Unconfirmed
from ..urls import mask_credentials
from ._base import FlexSmsProviderBase, refuse_other_account, warn, without_provider

__all__ = ["FlexSmsAddressProvider"]

#: autoCreation keys whose absence means "Twilio's default", which we do not know.
_UNMANAGED_WHEN_ABSENT = (AC.STUDIO_RETRY_COUNT,)


def _named(id_: str, state: Mapping[str, Any]) -> str:
    return f"The address configuration {id_} for {state.get(K.ADDRESS) or id_}"


def _references(inputs: Mapping[str, Any]) -> dict[str, str]:
    ac = inputs.get(K.AUTO_CREATION) or {}
    refs = {
        "auto_creation.studio_flow_sid": ac.get(AC.STUDIO_FLOW_SID),
        "auto_creation.conversation_service_sid": ac.get(AC.CONVERSATION_SERVICE_SID),
    }
    return {prop: sid for prop, sid in refs.items() if sid}


def _same_configuration(live: Mapping[str, Any], inputs: Mapping[str, Any]) -> bool:
    wanted = effective(inputs)
    got = effective(live_state(live))
    got_ac, wanted_ac = got.get(K.AUTO_CREATION, {}), wanted.get(K.AUTO_CREATION, {})
    for key in _UNMANAGED_WHEN_ABSENT:
        if key not in wanted_ac:
            got_ac.pop(key, None)
    return got == wanted


def _outputs(inputs: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    live = live_state(record)
    return {**without_provider(inputs), **{k: live[k] for k in OUTPUT_KEYS if k in live}}


def _provisional(inputs: Mapping[str, Any], why: str) -> dict[str, Any]:
    """Outputs of a create whose outcome is unknown; the user hears of it now."""
    address = inputs[K.ADDRESS]
    warn(
        f"FlexSmsAddress {address}: the create was sent but is not confirmed: {why}. It is "
        "kept in state with the address as its ID, so nothing is left outside state; "
        "`pulumi refresh` or the next `pulumi up` settles it (records its SID, or creates it)."
    )
    return {
        **without_provider(inputs),
        K.UNCONFIRMED: (
            f"the create is not confirmed: {why}. The ID is the address until `pulumi refresh` "
            "or the next `pulumi up` settles it."
        ),
    }


class FlexSmsAddressProvider(FlexSmsProviderBase):
    """CRUD for a Conversations Address Configuration of type ``sms``."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise; no Twilio call. Unknown values pass through."""
        return self._check_result(*check_address(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare normalised inputs only; no Twilio call.

        A change is a replace, a value unknown until deploy, or what update would
        send: inputs that differ only in what Twilio keeps of its own (the type of
        a disabled autoCreation, read back by a refresh) are no change, or every
        preview after a refresh would show an update that sends nothing.
        """
        old, new = effective(olds), effective(news)
        unknown = [key for key in INPUT_KEYS if has_unknown(new.get(key))]
        replaces = [k for k in REPLACE_KEYS if k in unknown or old.get(k) != new.get(k)]
        updates = not unknown and bool(update_params(olds, news))
        # An unconfirmed create is settled by update: found, or made.
        unconfirmed = bool(olds.get(K.UNCONFIRMED))
        moves = K.ADDRESS in replaces and K.ADDRESS not in unknown
        return DiffResult(
            changes=bool(unknown or replaces or updates or unconfirmed),
            replaces=replaces,
            stables=[K.SID, K.ACCOUNT_SID, K.URL, K.DATE_CREATED],
            # One configuration per address: at the same address the old one must go
            # first. At another address the new one is made first, so a create Twilio
            # refuses (a missing flow, say) leaves the old address routed as it was.
            delete_before_replace=not moves,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """One POST; with ``adopt_existing`` one GET first and an update if it exists."""
        inputs = without_provider(props)
        address = inputs[K.ADDRESS]
        if inputs.get(K.ADOPT_EXISTING):
            existing = twilio_api.fetch_address_configuration(address)
            if existing is not None:
                adopted = self._adopt(existing, inputs)
                return CreateResult(adopted["sid"], _outputs(inputs, adopted))
        record, why = self._create(inputs)
        if record is None:
            return CreateResult(address, _provisional(inputs, why or ""))
        return CreateResult(record["sid"], _outputs(inputs, record))

    def _create(self, inputs: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        """(configuration, None) once made or found; (None, why) while its outcome is unknown."""
        outcome = twilio_api.create_address_configuration(
            create_params(inputs),
            is_ours=lambda found: _same_configuration(found, inputs),
            references=_references(inputs),
        )
        if isinstance(outcome, Unconfirmed):
            return None, outcome.why
        if isinstance(outcome, Occupied):
            return self._conflict(outcome.record, inputs), None
        return outcome.record, None

    def _settle(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Outputs once an unconfirmed create is found (and brought up to date) or made."""
        # A failure fails the update: the marker stays.
        existing = twilio_api.fetch_address_configuration(inputs[K.ADDRESS])
        if existing is None:
            record, why = self._create(inputs)  # it never landed
            return _outputs(inputs, record) if record else _provisional(inputs, why or "")
        if _same_configuration(existing, olds) or _same_configuration(existing, inputs):
            return _outputs(inputs, self._adopt(existing, inputs))  # what our create sent
        hint = (
            " This program's create for it was not confirmed, and the configuration found is "
            "not what it sent, so it is not taken for this program's."
        )
        return _outputs(inputs, self._conflict(existing, inputs, hint))

    def _conflict(
        self, existing: dict[str, Any], inputs: Mapping[str, Any], hint: str = ""
    ) -> dict[str, Any]:
        if inputs.get(K.ADOPT_EXISTING):
            return self._adopt(existing, inputs)
        if not hint and _same_configuration(existing, inputs):
            hint = (
                " It matches the desired configuration, so it is probably left from an "
                "interrupted `pulumi up`."
            )
        raise ConflictError(
            f"An address configuration already exists for {inputs[K.ADDRESS]} "
            f"({existing['sid']}), and Twilio allows one per address.{hint} Set "
            "adopt_existing=True to take it over (it is then updated to this program's "
            "settings and deleted on destroy), or delete it in the Flex Console."
        )

    def _adopt(self, existing: dict[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
        live = live_state(existing)
        params = update_params(live, inputs)
        if not params:
            return existing
        return self._update_remote(existing["sid"], params, inputs)

    def _update_remote(
        self, sid: str, params: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        missing = (
            f"The address configuration {sid} no longer exists in Twilio (deleted outside "
            "Pulumi). Run `pulumi refresh` to drop it from state, then `pulumi up` to create "
            "it again."
        )
        return twilio_api.update_address_configuration(
            sid,
            params,
            address=inputs.get(K.ADDRESS),
            references=_references(inputs),
            missing=missing,
        )

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """One GET; gone means dropped from state, drift shows as a diff next preview.

        The ID it returns is always the ``IG...`` SID, which settles an unconfirmed
        create found at its address; one not found there (or found but not what it
        sent) is dropped from state, and the next ``pulumi up`` creates it.
        """
        record = twilio_api.fetch_address_configuration(id_)
        if record is None:
            refuse_other_account(props, twilio_api.account_sid(), _named(id_, props))
            return ReadResult(None, {})
        old = without_provider(props)
        if old.pop(K.UNCONFIRMED, None) and not _same_configuration(record, old):
            return ReadResult(None, {})  # someone else's: never claim it
        live = live_state(record)
        ac = live.get(K.AUTO_CREATION) or {}
        old_url = (old.get(K.AUTO_CREATION) or {}).get(AC.WEBHOOK_URL)
        if ac.get(AC.WEBHOOK_URL) not in (None, old_url):
            ac[AC.WEBHOOK_URL] = mask_credentials(ac[AC.WEBHOOK_URL])  # set outside Pulumi
        inputs = self._inputs_from_live(live, old)
        outputs = {**inputs, **{k: live[k] for k in OUTPUT_KEYS if k in live}}
        return ReadResult(record["sid"] or id_, outputs, inputs)

    @staticmethod
    def _inputs_from_live(live: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
        inputs = {key: live[key] for key in INPUT_KEYS if key in live}
        ac = dict(inputs.get(K.AUTO_CREATION) or {})
        old_ac = old.get(K.AUTO_CREATION) or {}
        for key in _UNMANAGED_WHEN_ABSENT:
            if key not in old_ac:
                ac.pop(key, None)
        if ac.get(AC.WEBHOOK_METHOD) == "POST" and AC.WEBHOOK_METHOD not in old_ac:
            ac.pop(AC.WEBHOOK_METHOD)  # Twilio's default, not a setting of ours
        if ac:
            inputs[K.AUTO_CREATION] = ac
        inputs[K.ADOPT_EXISTING] = bool(old.get(K.ADOPT_EXISTING, False))
        return inputs

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """One POST with only what changed; a removed optional value is cleared on Twilio.

        After an unconfirmed create it settles that first (see :meth:`_settle`).
        """
        inputs = without_provider(news)
        if olds.get(K.UNCONFIRMED):
            return UpdateResult(self._settle(olds, inputs))
        params = update_params(olds, inputs)
        if not params:
            kept = {k: olds[k] for k in OUTPUT_KEYS if k in olds}
            return UpdateResult({**inputs, **kept})
        record = self._update_remote(id_, params, inputs)
        return UpdateResult(_outputs(inputs, record))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """One DELETE; already gone is success.

        An unconfirmed create is deleted only if what is at its address is what it sent.
        """
        if props.get(K.UNCONFIRMED):
            existing = twilio_api.fetch_address_configuration(id_)
            if existing is None or not _same_configuration(existing, props):
                return  # it never landed, or it is someone else's
            id_ = existing["sid"]
        if not twilio_api.delete_address_configuration(id_):  # already gone is success...
            # ...in its own account only
            refuse_other_account(props, twilio_api.account_sid(), _named(id_, props))
