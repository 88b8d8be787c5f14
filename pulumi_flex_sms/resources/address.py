"""FlexSmsAddress: a Twilio Conversations Address Configuration for an SMS number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast, overload

import pulumi

from ..keys import TYPE_MODULE, to_state_key
from ..providers.address import FlexSmsAddressProvider
from ._base import (
    FlexSmsResource,
    OutputProperty,
    secret_if_credentials,
    set_given,
    split_args,
)

__all__ = ["AutoCreationArgs", "FlexSmsAddress", "FlexSmsAddressArgs"]


@pulumi.input_type
class AutoCreationArgs:
    """How Twilio handles an inbound message that does not belong to a conversation yet."""

    def __init__(
        __self__,
        *,
        enabled: pulumi.Input[bool],
        type: pulumi.Input[str] | None = None,
        conversation_service_sid: pulumi.Input[str] | None = None,
        webhook_url: pulumi.Input[str] | None = None,
        webhook_method: pulumi.Input[str] | None = None,
        webhook_filters: pulumi.Input[list[pulumi.Input[str]]] | None = None,
        studio_flow_sid: pulumi.Input[str] | None = None,
        studio_retry_count: pulumi.Input[int] | None = None,
    ) -> None:
        """
        :param enabled: Start a conversation for a message from a new sender.
        :param type: ``studio`` (hand the conversation to a Studio flow: what Flex uses),
               ``webhook`` (call your URL), or ``default`` (no integration).
        :param conversation_service_sid: ``IS...`` service for new conversations; the
               account's default service if unset.
        :param webhook_url: For ``webhook``: the https URL Twilio calls.
        :param webhook_method: For ``webhook``: ``GET`` or ``POST`` (default).
        :param webhook_filters: For ``webhook``: the events that call it, e.g. ``onMessageAdded``.
        :param studio_flow_sid: For ``studio``: the ``FW...`` flow that receives the conversation.
        :param studio_retry_count: For ``studio``: retries of a failed call to the flow, 0-3.
        """
        webhook_url = secret_if_credentials(webhook_url)
        set_given(__self__, locals())

    # pulumi.get is typed Any; each getter casts to the type of the __init__ argument
    # that set_given stored under its name.
    @property
    @pulumi.getter
    def enabled(self) -> pulumi.Input[bool]:
        """Start a conversation for a message from a new sender (state key ``enabled``)."""
        return cast("pulumi.Input[bool]", pulumi.get(self, "enabled"))

    @property
    @pulumi.getter
    def type(self) -> pulumi.Input[str] | None:
        """``studio``, ``webhook`` or ``default`` (state key ``type``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "type"))

    @property
    @pulumi.getter(name="conversationServiceSid")
    def conversation_service_sid(self) -> pulumi.Input[str] | None:
        """``IS...`` Conversations service (state key ``conversationServiceSid``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "conversation_service_sid"))

    @property
    @pulumi.getter(name="webhookUrl")
    def webhook_url(self) -> pulumi.Input[str] | None:
        """https URL for type ``webhook`` (state key ``webhookUrl``; secret with credentials)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "webhook_url"))

    @property
    @pulumi.getter(name="webhookMethod")
    def webhook_method(self) -> pulumi.Input[str] | None:
        """``GET`` or ``POST`` for type ``webhook`` (state key ``webhookMethod``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "webhook_method"))

    @property
    @pulumi.getter(name="webhookFilters")
    def webhook_filters(self) -> pulumi.Input[list[pulumi.Input[str]]] | None:
        """Events that call the webhook (state key ``webhookFilters``, sorted)."""
        return cast(
            "pulumi.Input[list[pulumi.Input[str]]] | None", pulumi.get(self, "webhook_filters")
        )

    @property
    @pulumi.getter(name="studioFlowSid")
    def studio_flow_sid(self) -> pulumi.Input[str] | None:
        """``FW...`` Studio flow for type ``studio`` (state key ``studioFlowSid``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "studio_flow_sid"))

    @property
    @pulumi.getter(name="studioRetryCount")
    def studio_retry_count(self) -> pulumi.Input[int] | None:
        """Retries of a failed call to the flow, 0-3 (state key ``studioRetryCount``)."""
        return cast("pulumi.Input[int] | None", pulumi.get(self, "studio_retry_count"))


@pulumi.input_type
class FlexSmsAddressArgs:
    """The arguments of a :class:`FlexSmsAddress`."""

    def __init__(
        __self__,
        *,
        address: pulumi.Input[str],
        friendly_name: pulumi.Input[str] | None = None,
        address_country: pulumi.Input[str] | None = None,
        auto_creation: pulumi.Input[AutoCreationArgs | Mapping[str, Any]] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        :param address: The Twilio phone number, E.164 (``+13115552368``). Changing it replaces.
        :param friendly_name: A name for people, at most 256 characters.
        :param address_country: ISO 3166-1 alpha-2 country (short codes only). Changing it replaces.
        :param auto_creation: How a message from a new sender starts a conversation.
        :param adopt_existing: On create, take over a configuration that already exists for
               the address (made in the Console, say) instead of failing.
        """
        set_given(__self__, locals())

    # pulumi.get is typed Any; each getter casts to the type of the __init__ argument
    # that set_given stored under its name.
    @property
    @pulumi.getter
    def address(self) -> pulumi.Input[str]:
        """The Twilio phone number in E.164 form (state key ``address``)."""
        return cast("pulumi.Input[str]", pulumi.get(self, "address"))

    @property
    @pulumi.getter(name="friendlyName")
    def friendly_name(self) -> pulumi.Input[str] | None:
        """A name for people (state key ``friendlyName``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "friendly_name"))

    @property
    @pulumi.getter(name="addressCountry")
    def address_country(self) -> pulumi.Input[str] | None:
        """ISO 3166-1 alpha-2 country (state key ``addressCountry``)."""
        return cast("pulumi.Input[str] | None", pulumi.get(self, "address_country"))

    @property
    @pulumi.getter(name="autoCreation")
    def auto_creation(self) -> pulumi.Input[AutoCreationArgs | Mapping[str, Any]] | None:
        """Autocreation settings (state key ``autoCreation``)."""
        return cast(
            "pulumi.Input[AutoCreationArgs | Mapping[str, Any]] | None",
            pulumi.get(self, "auto_creation"),
        )

    @property
    @pulumi.getter(name="adoptExisting")
    def adopt_existing(self) -> pulumi.Input[bool] | None:
        """Take over an existing configuration on create (state key ``adoptExisting``)."""
        return cast("pulumi.Input[bool] | None", pulumi.get(self, "adopt_existing"))


def _auto_creation_input(value: Any) -> Any:
    """Accept AutoCreationArgs, a dict with Python or camelCase keys, or an Output of either."""
    if value is None or isinstance(value, AutoCreationArgs):
        return value
    if isinstance(value, pulumi.Output):
        return value.apply(_auto_creation_input)
    if isinstance(value, Mapping):
        out = {to_state_key(str(k)): v for k, v in value.items()}
        if "webhookUrl" in out:
            out["webhookUrl"] = secret_if_credentials(out["webhookUrl"])
        return out
    return value  # let check() name the property and the expected shape


class FlexSmsAddress(FlexSmsResource, module=TYPE_MODULE, name="FlexSmsAddress"):
    """
    Routes inbound SMS on a Twilio number into Conversations (and so into Flex): a
    Conversations Address Configuration of type ``sms`` with autocreation.

    Once a conversation exists for a sender and the number, later messages from that
    sender join it. Keep the number's own "A message comes in" webhook blank (see
    :class:`PhoneNumberMessagingConfig`), or it fires as well.

    Credentials come from the provider config (``twilio:accountSid`` with
    ``twilio:authToken``, or ``twilio:apiKey`` with ``twilio:apiSecret``) or the
    ``TWILIO_*`` environment variables, never from this resource's inputs.

    ## Example Usage

    ```python
    from pulumi_flex_sms import AutoCreationArgs, FlexSmsAddress

    support = FlexSmsAddress(
        "support-line",
        address="+13115552368",
        friendly_name="Support line",
        auto_creation=AutoCreationArgs(
            enabled=True,
            type="studio",
            studio_flow_sid="FWxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            studio_retry_count=3,
        ),
    )
    ```

    ## Import

    ``pulumi import`` does not work for dynamic resources. To bring an address made
    in the Console under Pulumi, declare it with ``adopt_existing=True``.
    """

    @overload
    def __init__(
        self,
        resource_name: str,
        args: FlexSmsAddressArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        address: pulumi.Input[str],
        friendly_name: pulumi.Input[str] | None = None,
        address_country: pulumi.Input[str] | None = None,
        auto_creation: pulumi.Input[AutoCreationArgs | Mapping[str, Any]] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        args_obj, opts = split_args(FlexSmsAddressArgs, args, kwargs)
        props: dict[str, Any] = {
            "address": args_obj.address,
            "friendly_name": args_obj.friendly_name,
            "address_country": args_obj.address_country,
            "auto_creation": _auto_creation_input(args_obj.auto_creation),
            "adopt_existing": args_obj.adopt_existing,
            # Outputs must be named here (as None) to become attributes.
            "sid": None,
            "account_sid": None,
            "url": None,
            "date_created": None,
            "date_updated": None,
        }
        super().__init__(FlexSmsAddressProvider(), resource_name, props, opts)

    address = OutputProperty[str]("The Twilio phone number, E.164.")
    friendly_name = OutputProperty[str | None]("A name for people.")
    address_country = OutputProperty[str | None]("ISO 3166-1 alpha-2 country, if set.")
    auto_creation = OutputProperty[dict[str, Any] | None](
        "Autocreation settings, with Python keys (``studio_flow_sid``...)."
    )
    adopt_existing = OutputProperty[bool]("Whether create takes over an existing configuration.")
    sid = OutputProperty[str]("The configuration's SID, ``IG...``.")
    account_sid = OutputProperty[str]("The Twilio account, ``AC...``.")
    url = OutputProperty[str]("The configuration's URL in the Twilio API.")
    date_created = OutputProperty[str]("When Twilio created it, ISO 8601.")
    date_updated = OutputProperty[str]("When Twilio last changed it, ISO 8601.")
