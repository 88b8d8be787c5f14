"""Stack policy: a Flex number should not sit in a Messaging Service.

A number in a Messaging Service's sender pool follows the service's Console
"Incoming Messages" setting, not its own: defer to the number's webhook, send
the service's webhook, autocreate a conversation, or drop the message. Flex's
set-up has no service on the number. The API (and so a stack) cannot show that
setting, so the finding is the routing model's ``messaging-service-overrides``
warning with "confirm it in the Console", reported where the stack adds the
number to the service: the bridged Twilio provider's
``MessagingServicesPhoneNumbersV1`` (``phoneNumberSid``, ``serviceSid``).

The membership names the number by SID. It is paired with its E.164 number
through the stack, as the number policies pair SIDs (a PhoneNumberMessagingConfig's
outputs, the bridged ``ApiAccountsIncomingPhoneNumbers``, ...); a SID nothing in
the stack pairs yet (a first preview) is checked once ``pulumi up`` has paired it.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from ..identifiers import is_sid
from ..keys import TWILIO_SERVICE_NUMBER_TYPE, TwilioServiceNumberKeys
from ..routing import problems
from .numbers import StackIndex
from .state import PendingUnknowns, describe, diagnostic, is_phone_number_sid, lookup

__all__ = [
    "check_no_messaging_service_with_autocreation",
    "no_messaging_service_with_autocreation",
    "service_label",
]


def service_label(membership: PolicyResource) -> str:
    """How a finding names the service: its SID when the stack knows it, else by the membership.

    (A service created in the same update has no SID during a preview.)
    """
    try:
        sid = lookup(membership.props, TwilioServiceNumberKeys.SERVICE_SID)
    except UnknownValueError:
        sid = None
    if is_sid(sid, "MG"):
        return str(sid)
    return f"the Messaging Service that {describe(membership)} adds it to"


def check_no_messaging_service_with_autocreation(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Report each number added to a Messaging Service while its address auto-creates.

    Reported on the ``MessagingServicesPhoneNumbersV1`` resource's URN.
    """
    index, memberships = StackIndex.build_for(args.resources, TWILIO_SERVICE_NUMBER_TYPE)
    pending = PendingUnknowns()
    for membership in memberships:
        try:
            sid = lookup(membership.props, TwilioServiceNumberKeys.PHONE_NUMBER_SID)
        except UnknownValueError as err:
            pending.add(err, membership)
            continue
        number = index.sid_to_number.get(sid) if is_phone_number_sid(sid) else None
        if number is None:
            continue  # not paired yet: see the module docstring
        if not index.autocreating.get(number):
            index.defer_unknown_address(pending)
            continue
        problem = problems.messaging_service_overrides(number, service_label(membership), None)
        report_violation(diagnostic(problem), membership.urn)
    pending.raise_first()


no_messaging_service_with_autocreation = StackValidationPolicy(
    name="flex-sms-no-messaging-service-with-autocreation",
    description=(
        "A number whose Conversations address auto-creates should not be in a Messaging "
        "Service (the Twilio provider's MessagingServicesPhoneNumbersV1): the service's "
        "Incoming Messages setting, not the address, then decides where its SMS go."
    ),
    validate=check_no_messaging_service_with_autocreation,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Remove the MessagingServicesPhoneNumbersV1 resource; or, if the number must stay in "
        "the service, set the service's Incoming Messages to 'Autocreate a Conversation' in "
        "the Console with the Flex Conversations service as the account's default."
    ),
)
