"""The ready ``flex-sms`` policy pack: ``pulumi preview --policy-pack <this directory>``.

The engine reads the pack's gRPC port from the first line of stdout, so nothing
here may print to stdout; problems go to stderr.
"""

import sys

from pulumi_policy import PolicyPack

try:
    from pulumi_flex_sms.policies import ALL_POLICIES, PACK_NAME
except ModuleNotFoundError as exc:  # pragma: no cover - exercised by users, not tests
    if exc.name not in ("pulumi_flex_sms", "pulumi_flex_sms.policies"):
        raise
    sys.stderr.write(
        f"flex-sms policy pack: pulumi-flex-sms is not installed in {sys.executable}, the "
        "Python that runs this pack. Install it there (pip install pulumi-flex-sms), or set "
        "runtime.options.virtualenv in PulumiPolicy.yaml to a virtualenv that has it "
        "(flex-sms policy-pack --write DIR --virtualenv PATH).\n"
    )
    raise SystemExit(1) from None

PolicyPack(
    name=PACK_NAME,
    policies=list(ALL_POLICIES),
    description=(
        "No inbound SMS handler on a number whose Flex address auto-creates conversations, "
        "plus the checks a careful reviewer makes."
    ),
)
