"""What Twilio would do with an inbound SMS: routing with autocreation, offline.

No HTTP is sent; the report says which conversation the message lands in,
which integration (Studio flow or webhook) is attached, and whether the
number's own "A message comes in" handler fires. It reads every domain's rows
(numbers, address configurations, services, flows) and keeps the conversations
it creates (rows ``simulated_conversation``).

The model (docs/emulator.md, "Simulating an inbound SMS"; Twilio's
https://www.twilio.com/docs/conversations/inbound-autocreation and
https://www.twilio.com/docs/flex/admin-guide/setup/conversations/manage-conversations-sms-addresses):

1. ``to`` must be a number some account owns; that account handles it.
2. A conversation already bound to the (``from``, ``to``) pair gets the
   message appended.
3. Otherwise, an address configuration for ``to`` with autocreation enabled
   creates a conversation in its service (or the default service) and attaches
   its integration: ``studio`` (flow, retries), ``webhook`` (url, method,
   filters), or none for ``default`` (which does not reach Flex).
4. The number's ``sms_application_sid``, else its ``sms_url``, fires too: "in
   parallel" per the Flex docs (``sms_url_mode="parallel"``, the default), or
   only when no conversation took the message (``"exclusive"``, the older
   either/or behaviour some third parties describe).
"""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..domain import DomainBackend, new_sid
from ..errors import BadRequest
from ..store import ADDRESS, CONVERSATION, FLOW, NUMBER, SERVICE, Transaction

__all__ = ["SMS_URL_MODES", "SimulationBackend"]

SMS_URL_MODES = ("parallel", "exclusive")


def _e164(value: object, name: str) -> str:
    if not p.is_e164(value):
        raise BadRequest(f"{name}: {p.shown(value)} is not an E.164 phone number")
    return value


class SimulationBackend(DomainBackend):
    """Inbound SMS routed over the other domains' state."""

    def simulate_inbound_sms(
        self, sender: object, to: object, body: str = "", sms_url_mode: str = "parallel"
    ) -> dict[str, Any]:
        """Route one SMS from ``sender`` to ``to``; conversations it creates are kept.

        ``sender`` and ``to`` come from a client's document as they are, so
        anything but an E.164 string is refused here.
        """
        sender, to = _e164(sender, "from"), _e164(to, "to")
        if sms_url_mode not in SMS_URL_MODES:
            raise BadRequest(
                f"sms_url_mode: {p.shown(sms_url_mode)} is not one of parallel, exclusive"
            )
        report: dict[str, Any] = {"from": sender, "to": to, "body": body, "warnings": []}
        with self.store.transaction() as tx:
            number = tx.find_any(NUMBER, to)
            if number is None:
                report.update(account_sid=None, phone_number_sid=None, delivered=False)
                report["warnings"].append(f"{to} is not a number of any account")
                return report
            account = number["account_sid"]
            report.update(account_sid=account, phone_number_sid=number["sid"], delivered=True)
            report["conversation"] = self._route(tx, account, sender, to, body, report["warnings"])
        handled = report["conversation"]["outcome"] != "none"
        report["messaging_webhook"] = self._messaging_webhook(
            number, handled, sms_url_mode, report["warnings"]
        )
        return report

    def _route(
        self, tx: Transaction, account: str, sender: str, to: str, body: str, warnings: list[str]
    ) -> dict[str, Any]:
        pair = f"{sender}|{to}"
        existing = tx.find(CONVERSATION, account, pair)
        if existing is not None:
            record = dict(existing)
            record["messages"] = [*record["messages"], body]
            tx.update(CONVERSATION, record["sid"], record, key=pair)
            return {"outcome": "appended", **self._public(record)}

        config = tx.find(ADDRESS, account, to)
        if config is None:
            warnings.append(f"no address configuration for {to}: no conversation is created")
            return {"outcome": "none", "reason": "no address configuration"}
        auto = config["auto_creation"]
        if not auto.get("enabled"):
            warnings.append(f"autocreation is disabled on {config['sid']}")
            return {
                "outcome": "none",
                "reason": "autocreation disabled",
                "address_configuration_sid": config["sid"],
            }
        integration = self._integration(tx, account, auto, warnings)
        service = auto.get("conversation_service_sid")
        if service and tx.get(SERVICE, service) is None:
            warnings.append(f"conversation service {service} no longer exists")
        record = {
            "sid": new_sid("CH"),
            "account_sid": account,
            "conversation_service_sid": service or None,
            "address_configuration_sid": config["sid"],
            "from": sender,
            "to": to,
            "integration": integration,
            "messages": [body],
            "date_created": self._now(),
        }
        tx.insert(CONVERSATION, record["sid"], account, record, key=pair)
        return {"outcome": "created", **self._public(record)}

    @staticmethod
    def _integration(
        tx: Transaction, account: str, auto: dict[str, Any], warnings: list[str]
    ) -> dict[str, Any] | None:
        if auto["type"] == "studio":
            flow = auto["studio_flow_sid"]
            if tx.get(FLOW, flow) is None:
                warnings.append(f"studio flow {flow} no longer exists: delivery would fail")
            return {
                "type": "studio",
                "studio_flow_sid": flow,
                "studio_retry_count": auto["studio_retry_count"],
            }
        if auto["type"] == "webhook":
            return {
                "type": "webhook",
                "url": auto["webhook_url"],
                "method": auto["webhook_method"],
                "filters": auto["webhook_filters"],
            }
        warnings.append(
            "autocreation type default attaches no webhook or Studio integration: "
            "the conversation does not reach Flex"
        )
        return None

    @staticmethod
    def _public(record: dict[str, Any]) -> dict[str, Any]:
        return {
            "sid": record["sid"],
            "conversation_service_sid": record["conversation_service_sid"],
            "address_configuration_sid": record["address_configuration_sid"],
            "integration": record["integration"],
            "message_count": len(record["messages"]),
        }

    @staticmethod
    def _messaging_webhook(
        number: dict[str, Any], handled: bool, mode: str, warnings: list[str]
    ) -> dict[str, Any]:
        application, url = number.get("sms_application_sid"), number.get("sms_url") or ""
        configured = bool(application or url)
        fires = configured and (mode == "parallel" or not handled)
        if application:
            target = {"application_sid": application}
        else:
            target = {"url": url or None, "method": number.get("sms_method")}
        if fires and handled:
            warnings.append(
                f"{number['phone_number']} also runs its own "
                + ("application " + application if application else "sms_url " + url)
                + " in parallel to the conversation; Flex wants it blank"
            )
        return {"fires": fires, "mode": mode, **target}
