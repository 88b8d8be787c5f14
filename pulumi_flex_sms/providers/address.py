"""The dynamic provider behind :class:`pulumi_flex_sms.FlexSmsAddress`.

One Twilio call per mutation where one is enough; none in check and diff.
Released as ``pulumi_flex_sms.providers.address.FlexSmsAddressProvider``: that
path is in every user's state, never move or rename it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from .. import gateway
from ..errors import ConflictError, RequestRejectedError, ResponseLostError
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
from ..urls import mask_credentials
from ._base import FlexSmsProviderBase, fetch_or_none, without_provider

__all__ = ["FlexSmsAddressProvider"]

_RECORD_FIELDS = (
    "sid",
    "account_sid",
    "address",
    "friendly_name",
    "address_country",
    "auto_creation",
    "date_created",
    "date_updated",
    "url",
)
#: autoCreation keys whose absence means "Twilio's default", which we do not know.
_UNMANAGED_WHEN_ABSENT = (AC.STUDIO_RETRY_COUNT,)


def _record(instance: Any) -> dict[str, Any]:
    return {name: getattr(instance, name, None) for name in _RECORD_FIELDS}


def _references(inputs: Mapping[str, Any]) -> dict[str, str]:
    ac = inputs.get(K.AUTO_CREATION) or {}
    refs = {
        "auto_creation.studio_flow_sid": ac.get(AC.STUDIO_FLOW_SID),
        "auto_creation.conversation_service_sid": ac.get(AC.CONVERSATION_SERVICE_SID),
    }
    return {prop: sid for prop, sid in refs.items() if sid}


def _configurations() -> Any:
    return gateway.client().conversations.v1.address_configurations


def _fetch(sid_or_address: str) -> dict[str, Any] | None:
    """One GET by IG SID or by the address itself (Twilio accepts both)."""
    instance = fetch_or_none(
        lambda: _configurations()(sid_or_address).fetch(),
        f"read the address configuration {sid_or_address}",
    )
    return None if instance is None else _record(instance)


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


class FlexSmsAddressProvider(FlexSmsProviderBase):
    """CRUD for a Conversations Address Configuration of type ``sms``."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise; no Twilio call. Unknown values pass through."""
        return self._check_result(*check_address(news))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare normalised inputs only; no Twilio call."""
        old, new = effective(olds), effective(news)
        changed = [
            key for key in INPUT_KEYS if has_unknown(new.get(key)) or old.get(key) != new.get(key)
        ]
        return DiffResult(
            changes=bool(changed),
            replaces=[key for key in changed if key in REPLACE_KEYS],
            stables=[K.SID, K.ACCOUNT_SID, K.URL, K.DATE_CREATED],
            # One configuration per address: the old one must go before the new one.
            delete_before_replace=True,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """One POST; with ``adopt_existing`` one GET first and an update if it exists."""
        inputs = without_provider(props)
        address = inputs[K.ADDRESS]
        if inputs.get(K.ADOPT_EXISTING):
            existing = _fetch(address)
            if existing is not None:
                record = self._adopt(existing, inputs)
                return CreateResult(record["sid"], _outputs(inputs, record))
        record = self._create(inputs)
        return CreateResult(record["sid"], _outputs(inputs, record))

    def _create(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        address = inputs[K.ADDRESS]
        action = f"create the address configuration for {address}"
        max_retries, wait = gateway.retry_budget()
        attempt = 0
        maybe_ours = False  # an earlier POST of this create may yet have been applied
        while True:
            attempt += 1
            try:
                with gateway.twilio_errors(action, references=_references(inputs)):
                    with gateway.creating():
                        return _record(_configurations().create(**create_params(inputs)))
            except ResponseLostError:
                # The POST may have been applied. Look before trying again, so a lost
                # answer never leaves a duplicate, nor an orphan outside state.
                maybe_ours = True
                existing = _fetch(address)
                if existing is not None:
                    if _same_configuration(existing, inputs):
                        return existing
                    return self._conflict(existing, inputs)
                if attempt > max_retries:
                    raise
                time.sleep(wait(attempt))
            except (RequestRejectedError, ConflictError):
                existing = _fetch(address)
                if existing is None:
                    raise
                if maybe_ours and _same_configuration(existing, inputs):
                    return existing  # the lost POST landed after we looked
                return self._conflict(existing, inputs)

    def _conflict(self, existing: dict[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
        if inputs.get(K.ADOPT_EXISTING):
            return self._adopt(existing, inputs)
        hint = (
            " It matches the desired configuration, so it is probably left from an "
            "interrupted `pulumi up`."
            if _same_configuration(existing, inputs)
            else ""
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
        action = f"update the address configuration {sid} for {inputs.get(K.ADDRESS)}"
        missing = (
            f"The address configuration {sid} no longer exists in Twilio (deleted outside "
            "Pulumi). Run `pulumi refresh` to drop it from state, then `pulumi up` to create "
            "it again."
        )
        with gateway.twilio_errors(action, references=_references(inputs), missing=missing):
            return _record(_configurations()(sid).update(**params))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """One GET; gone means dropped from state, drift shows as a diff next preview."""
        record = _fetch(id_)
        if record is None:
            return ReadResult(None, {})
        old = without_provider(props)
        live = live_state(record)
        ac = live.get(K.AUTO_CREATION) or {}
        old_url = (old.get(K.AUTO_CREATION) or {}).get(AC.WEBHOOK_URL)
        if ac.get(AC.WEBHOOK_URL) not in (None, old_url):
            ac[AC.WEBHOOK_URL] = mask_credentials(ac[AC.WEBHOOK_URL])  # set outside Pulumi
        inputs = self._inputs_from_live(live, old)
        outputs = {**inputs, **{k: live[k] for k in OUTPUT_KEYS if k in live}}
        return ReadResult(id_, outputs, inputs)

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
        """One POST with only what changed; a removed optional value is cleared on Twilio."""
        inputs = without_provider(news)
        params = update_params(olds, inputs)
        if not params:
            kept = {k: olds[k] for k in OUTPUT_KEYS if k in olds}
            return UpdateResult({**inputs, **kept})
        record = self._update_remote(id_, params, inputs)
        return UpdateResult(_outputs(inputs, record))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        """One DELETE; already gone is success."""
        fetch_or_none(
            lambda: _configurations()(id_).delete(),
            f"delete the address configuration {id_}",
        )
