"""The example tests set stack config in Pulumi's process-wide runtime: keep it per test."""

from support.pulumi_runtime import isolated_pulumi_config  # noqa: F401 (autouse fixture)
