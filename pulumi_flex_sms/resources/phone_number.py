"""PhoneNumberMessagingConfig: own an existing number's messaging settings, never release it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast, overload

import pulumi

from .. import settings
from ..identifiers import is_e164, is_sid, strip_phone_punctuation
from ..keys import TYPE_MODULE
from ..providers.phone_number import PhoneNumberMessagingConfigProvider
from ._base import (
    FlexSmsResource,
    OutputProperty,
    secret_if_credentials,
    set_given,
    split_args,
)

__all__ = ["PhoneNumberMessagingConfig", "PhoneNumberMessagingConfigArgs", "preflight_warning"]

_log = logging.getLogger("pulumi_flex_sms.preflight")


@pulumi.input_type
class PhoneNumberMessagingConfigArgs:
    """The arguments of a :class:`PhoneNumberMessagingConfig`."""

    def __init__(
        __self__,
        *,
        phone_number: pulumi.Input[str] | None = None,
        phone_number_sid: pulumi.Input[str] | None = None,
        sms_url: pulumi.Input[str] | None = None,
        sms_method: pulumi.Input[str] | None = None,
        sms_fallback_url: pulumi.Input[str] | None = None,
        sms_fallback_method: pulumi.Input[str] | None = None,
        sms_application_sid: pulumi.Input[str] | None = None,
        on_delete: pulumi.Input[str] | None = None,
    ) -> None:
        """
        :param phone_number: The number, E.164 (``+13115552368``); or give ``phone_number_sid``.
        :param phone_number_sid: The number's ``PN...`` SID. Give this or ``phone_number``.
        :param sms_url: "A message comes in" URL. Default ``""`` (blank), what Flex needs.
        :param sms_method: ``GET`` or ``POST`` for ``sms_url``; unmanaged if unset.
        :param sms_fallback_url: URL called when ``sms_url`` fails; ``""`` clears; unmanaged unset.
        :param sms_fallback_method: ``GET`` or ``POST`` for the fallback; unmanaged if unset.
        :param sms_application_sid: ``AP...`` TwiML app that takes messages instead of
               ``sms_url``; ``""`` detaches; unmanaged if unset.
        :param on_delete: What destroy does: ``restore`` (default) puts back the settings
               the number had before, ``clear`` blanks the managed fields, ``leave`` does
               nothing. The number itself is never released.
        """
        sms_url = secret_if_credentials(sms_url)
        sms_fallback_url = secret_if_credentials(sms_fallback_url)
        set_given(__self__, locals())

    # pulumi.get is typed Any; each getter casts to the type of the __init__ argument
    # that set_given stored under its name.
    @property
    @pulumi.getter(name="phoneNumber")
    def phone_number(self) -> pulumi.Input[str] | None:
        """The number, E.164 (state key ``phoneNumber``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "phone_number"))

    @property
    @pulumi.getter(name="phoneNumberSid")
    def phone_number_sid(self) -> pulumi.Input[str] | None:
        """The number's ``PN...`` SID (state key ``phoneNumberSid``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "phone_number_sid"))

    @property
    @pulumi.getter(name="smsUrl")
    def sms_url(self) -> pulumi.Input[str] | None:
        """ "A message comes in" URL; blank by default (state key ``smsUrl``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "sms_url"))

    @property
    @pulumi.getter(name="smsMethod")
    def sms_method(self) -> pulumi.Input[str] | None:
        """``GET`` or ``POST`` (state key ``smsMethod``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "sms_method"))

    @property
    @pulumi.getter(name="smsFallbackUrl")
    def sms_fallback_url(self) -> pulumi.Input[str] | None:
        """Fallback URL (state key ``smsFallbackUrl``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "sms_fallback_url"))

    @property
    @pulumi.getter(name="smsFallbackMethod")
    def sms_fallback_method(self) -> pulumi.Input[str] | None:
        """``GET`` or ``POST`` for the fallback (state key ``smsFallbackMethod``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "sms_fallback_method"))

    @property
    @pulumi.getter(name="smsApplicationSid")
    def sms_application_sid(self) -> pulumi.Input[str] | None:
        """``AP...`` TwiML app, ``""`` for none (state key ``smsApplicationSid``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "sms_application_sid"))

    @property
    @pulumi.getter(name="onDelete")
    def on_delete(self) -> pulumi.Input[str] | None:
        """``restore``, ``clear`` or ``leave`` (state key ``onDelete``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "on_delete"))


def preflight_warning(phone_number: str | None, phone_number_sid: str | None) -> str | None:
    """Why inbound messages may still bypass the blank ``sms_url``, or ``None``.

    Reads the live number once through the gateway (configured by the caller).
    A number in a Messaging Service or with a TwiML app attached keeps handing
    inbound messages to them however blank ``sms_url`` is.

    It runs in the program, before the provider's ``check``: a number or SID that
    check would refuse sends no request (check names the problem), and a number
    written loosely (``+1 (311) 555-2368``) is looked up in E.164.
    """
    from .. import twilio_api

    if phone_number_sid:
        sid = phone_number_sid.strip() if isinstance(phone_number_sid, str) else None
        if not is_sid(sid, "PN"):
            return None
        record = twilio_api.fetch_number(sid)
    else:
        number = strip_phone_punctuation(phone_number) if isinstance(phone_number, str) else None
        if not is_e164(number):
            return None
        record = twilio_api.find_number(number)
    if record is None:
        return None
    attached = record.get("sms_application_sid") or ""
    number = record.get("phone_number") or phone_number or phone_number_sid
    if attached.startswith("MG"):
        what = f"is in the Messaging Service {attached}"
        fix = "remove it from the service in the Console"
    elif attached:
        what = f"has the TwiML app {attached} attached"
        fix = 'set sms_application_sid="" to detach it'
    else:
        return None
    return (
        f"{number} {what}, which still takes inbound messages although sms_url is blank; "
        f"Flex would get them only if autocreation wins. To route them to Flex alone, {fix}."
    )


def _preflight_config() -> pulumi.Output[dict[str, str]]:
    """The stack config the provider would get for reaching Twilio; credentials stay secret."""
    values: dict[str, Any] = {}
    for key in settings.CONNECTION_KEYS:
        config = pulumi.Config(key.namespace)
        values[key.key] = config.get_secret(key.name) if key.secret else config.get(key.name)
    present = {k: v for k, v in values.items() if v is not None}
    if not present:
        return pulumi.Output.from_input({})
    return pulumi.Output.all(**present).apply(dict)


class PhoneNumberMessagingConfig(
    FlexSmsResource, module=TYPE_MODULE, name="PhoneNumberMessagingConfig"
):
    """
    Takes over the messaging settings of a Twilio number you already have, and gives
    them back on destroy. It never buys a number and never releases one.

    For Flex, keep ``sms_url`` blank (the default): while a :class:`FlexSmsAddress`
    auto-creates conversations for the number, a set "A message comes in" webhook
    fires as well. When the live number has a TwiML app or a Messaging Service that
    would still take inbound messages, the program prints a warning (a preflight
    read; turn it off with ``preflight=False``).

    ## Example Usage

    ```python
    from pulumi_flex_sms import PhoneNumberMessagingConfig

    number = PhoneNumberMessagingConfig(
        "support-line-number",
        phone_number="+13115552368",
        sms_url="",  # blank: Flex's address configuration takes inbound messages
        on_delete="restore",
    )
    ```

    ## Import

    Nothing to import: create takes the number over, recording its current settings
    (output ``original_settings``, always a secret: a recorded URL may carry
    credentials) for ``on_delete="restore"``.
    """

    @overload
    def __init__(
        self,
        resource_name: str,
        args: PhoneNumberMessagingConfigArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        preflight: bool = True,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        phone_number: pulumi.Input[str] | None = None,
        phone_number_sid: pulumi.Input[str] | None = None,
        sms_url: pulumi.Input[str] | None = None,
        sms_method: pulumi.Input[str] | None = None,
        sms_fallback_url: pulumi.Input[str] | None = None,
        sms_fallback_method: pulumi.Input[str] | None = None,
        sms_application_sid: pulumi.Input[str] | None = None,
        on_delete: pulumi.Input[str] | None = None,
        preflight: bool = True,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        preflight = bool(kwargs.pop("preflight", True))
        a, opts = split_args(PhoneNumberMessagingConfigArgs, args, kwargs)
        props: dict[str, Any] = {
            "phone_number": a.phone_number,
            "phone_number_sid": a.phone_number_sid,
            "sms_url": a.sms_url,
            "sms_method": a.sms_method,
            "sms_fallback_url": a.sms_fallback_url,
            "sms_fallback_method": a.sms_fallback_method,
            "sms_application_sid": a.sms_application_sid,
            "on_delete": a.on_delete,
            # Outputs must be named here (as None) to become attributes.
            "account_sid": None,
            "friendly_name": None,
            "original_settings": None,
        }
        # The recorded settings are given back verbatim, so they are kept exactly,
        # and a webhook URL may carry credentials: encrypt them in state.
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=["original_settings"])
        )
        super().__init__(PhoneNumberMessagingConfigProvider(), resource_name, props, opts)
        if preflight and a.sms_application_sid is None:
            self._preflight = self._start_preflight(a)

    def _start_preflight(self, a: PhoneNumberMessagingConfigArgs) -> pulumi.Output[None]:
        def run(values: list[Any]) -> Any:
            url, number, sid, config = values
            if url not in (None, "") or not config.get(settings.ACCOUNT_SID.key):
                return None  # not blank, or no credentials in the program: nothing to check
            return asyncio.to_thread(self._warn_if_bypassed, number, sid, config)

        return pulumi.Output.all(
            a.sms_url, a.phone_number, a.phone_number_sid, _preflight_config()
        ).apply(run)

    def _warn_if_bypassed(
        self, number: str | None, sid: str | None, config: dict[str, str]
    ) -> None:
        from .. import gateway

        try:
            gateway.configure(config)
            message = preflight_warning(number, sid)
        except Exception as exc:  # a preflight must never fail the program
            _log.debug("preflight skipped: %s", exc)
            return
        if message:
            pulumi.log.warn(message, resource=self)

    phone_number = OutputProperty[str](
        "The number, E.164 (resolved from the SID if that was given)."
    )
    phone_number_sid = OutputProperty[str](
        "The number's ``PN...`` SID (resolved from E.164 if that was given)."
    )
    sms_url = OutputProperty[str]('The "A message comes in" URL we keep; ``""`` is blank.')
    sms_method = OutputProperty[str | None]("Method for ``sms_url``, if managed.")
    sms_fallback_url = OutputProperty[str | None]("Fallback URL, if managed.")
    sms_fallback_method = OutputProperty[str | None]("Fallback method, if managed.")
    sms_application_sid = OutputProperty[str | None]('TwiML app SID, if managed (``""`` for none).')
    on_delete = OutputProperty[str]("``restore``, ``clear`` or ``leave``.")
    account_sid = OutputProperty[str]("The Twilio account, ``AC...``.")
    friendly_name = OutputProperty[str]("The number's friendly name in Twilio.")
    original_settings = OutputProperty[dict[str, str] | None](
        "The messaging settings before the takeover (what ``restore`` gives back)."
    )
