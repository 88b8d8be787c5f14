"""``flex-sms audit``: every way a live account's inbound SMS misses Flex, and the code to adopt it.

A pure core and thin shells (docs/audit.md):

* :mod:`.report`: the findings, from an :class:`~pulumi_flex_sms.routing.AccountSnapshot`
  (the routing model's verdict for a first message from a new sender to each
  number, plus the account-level findings) and the ``--json`` object;
* :mod:`.table`: the report as a table for people;
* :mod:`.program`: the Pulumi program that adopts what the audit found
  (``--emit-pulumi DIR``), as file texts;
* :mod:`.account`: the shell that reads the account through
  :mod:`pulumi_flex_sms.twilio_api` (GET requests only);
* :mod:`.cli`: the command.

Nothing here is imported by ``import pulumi_flex_sms.audit``: each module loads
what it needs when it is imported, and the command imports the network and
Pulumi parts only when it runs.
"""

from __future__ import annotations

__all__: list[str] = []
