"""How long the flex-sms stack policies take as stacks grow: linear, not quadratic.

Prints, for stacks of 100, 1,000 and 10,000 resources (a realistic mix: Flex
addresses, their number configs, some given only by SID and paired through
another provider's phone-number resource, the bridged Twilio provider's Studio
flows, Messaging Service memberships and legacy Flex Flows that the routing
policies read, and unrelated resources):

* the mandatory stack policy's function alone (the SDK's proxied properties
  built beforehand), and every stack policy of the pack;
* AnalyzeStack over gRPC against the launched ready pack, which is what the
  engine pays (the SDK deserializes every resource once per stack policy).

The per-resource cost should stay flat as the stack grows. Figures only: nothing
here asserts a timing.

    make bench
    PYTHONPATH=tests .venv/bin/python benchmarks/bench_policies.py [--sizes 100,1000,10000] \
        [--repeat 3]

The gRPC harness and property bags are the tests' own (``tests/support``, imported as
``support`` as under pytest).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy
from support.analyzer import PolicyPackProcess, urn
from support.policy_stacks import (
    ADDRESS,
    NUMBER,
    OTHER_NUMBER,
    PET,
    TWILIO_FLEX_FLOW,
    TWILIO_FLOW,
    TWILIO_SERVICE_NUMBER,
    address_outputs,
    number_inputs,
    number_outputs,
    pn_sid,
    twilio_flex_flow,
    twilio_flow,
    twilio_service_number,
)

from pulumi_flex_sms.policies import (
    ALL_POLICIES,
    no_inbound_handler_with_autocreation,
)

Entry = tuple[str, str, dict[str, Any]]


def mixed_stack(size: int) -> list[Entry]:
    """``size`` resources: per 10, 2 addresses, 2 number configs, 1 pairing resource, 3
    bridged-provider resources (the address's Studio flow, the other number's Messaging
    Service membership and a disabled legacy Flex Flow), 2 others.

    Every 50th number keeps a webhook, so the policy also does its reporting work; the
    routing policies read every flow, membership and Flex Flow but find nothing.
    """
    stack: list[Entry] = []
    i = 0
    while len(stack) < size:
        number = f"+1311{i:07d}"
        hook = "https://hooks.example.com/sms" if i % 25 == 0 else ""
        flow_sid = f"FW{i:032x}"
        block: list[Entry] = [
            (ADDRESS, f"address-{i}", address_outputs(number, studioFlowSid=flow_sid)),
            (ADDRESS, f"sales-address-{i}", address_outputs(f"+1312{i:07d}", enabled=False)),
            (NUMBER, f"number-{i}", number_outputs(number, sms_url=hook)),
            # Given only by SID; the other provider's resource below pairs it.
            (NUMBER, f"sid-number-{i}", number_inputs(None, sid=pn_sid(f"+1312{i:07d}"))),
            (
                OTHER_NUMBER,
                f"bought-{i}",
                {"sid": pn_sid(f"+1312{i:07d}"), "phoneNumber": f"+1312{i:07d}"},
            ),
        ]
        block += [
            (TWILIO_FLOW, f"flow-{i}", twilio_flow(sid=flow_sid)),
            (TWILIO_SERVICE_NUMBER, f"pool-{i}", twilio_service_number(pn_sid(f"+1312{i:07d}"))),
            (TWILIO_FLEX_FLOW, f"legacy-{i}", twilio_flex_flow(number, enabled=False)),
        ]
        block += [(PET, f"pet-{i}-{k}", {"length": 2, "id": f"pet-{i}-{k}"}) for k in range(2)]
        stack.extend(block)
        i += 1
    return stack[:size]


def policy_resources(stack: list[Entry]) -> list[PolicyResource]:
    """The stack as the SDK hands it to a stack policy."""
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)
    return [
        PolicyResource(
            t,
            unknown_checking_proxy(deserialize_properties(p)),
            urn(t, n),
            n,
            options,
            None,
            None,
            [],
            {},
        )
        for t, n, p in stack
    ]


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Fastest of ``repeat`` runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    stack_policies = [p for p in ALL_POLICIES if isinstance(p, StackValidationPolicy)]

    rows = []
    with PolicyPackProcess() as pack:
        pack.configure({})
        for size in sizes:
            stack = mixed_stack(size)
            resources = policy_resources(stack)
            found: list[str] = []

            def mandatory(resources=resources, found=found) -> None:
                found.clear()
                no_inbound_handler_with_autocreation.validate(
                    StackValidationArgs(resources), lambda m, u=None: found.append(u)
                )

            def every_stack_policy(resources=resources) -> None:
                for policy in stack_policies:
                    policy.validate(StackValidationArgs(resources), lambda m, u=None: None)

            t_mandatory = best_of(args.repeat, mandatory)
            t_all = best_of(args.repeat, every_stack_policy)
            t_grpc = best_of(args.repeat, lambda stack=stack: pack.analyze_stack(stack))
            result = pack.analyze_stack(stack)
            rows.append((size, t_mandatory, t_all, t_grpc, len(found), len(result.mandatory)))

    print(
        f"AnalyzeStack cost by stack size (best of {args.repeat}; "
        f"{len(stack_policies)} stack policies in the pack)"
    )
    header = (
        f"{'resources':>10} | {'mandatory policy fn':>22} | {'all stack policies fn':>22} | "
        f"{'AnalyzeStack over gRPC':>24} | violations"
    )
    print(header)
    print("-" * len(header))
    for size, t_mandatory, t_all, t_grpc, direct, remote in rows:
        print(
            f"{size:>10,} | {t_mandatory * 1e3:8.2f} ms {t_mandatory / size * 1e6:6.2f} us/res | "
            f"{t_all * 1e3:8.2f} ms {t_all / size * 1e6:6.2f} us/res | "
            f"{t_grpc * 1e3:9.1f} ms {t_grpc / size * 1e6:7.1f} us/res | "
            f"{direct} fn, {remote} gRPC"
        )
    first, last = rows[0], rows[-1]
    growth = last[0] / first[0]
    print(
        f"\n{growth:,.0f}x the resources took {last[1] / first[1]:,.1f}x (mandatory fn), "
        f"{last[2] / first[2]:,.1f}x (all stack policies fn), "
        f"{last[3] / first[3]:,.1f}x (gRPC) the time; linear growth is ~{growth:,.0f}x, "
        f"quadratic would be ~{growth**2:,.0f}x."
    )


if __name__ == "__main__":
    main()
