"""docs/audit.md says what the code does: its JSON example, and what the pack cannot see."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from pulumi_flex_sms.audit.program import hidden_from_pack
from pulumi_flex_sms.audit.report import json_schema
from pulumi_flex_sms.routing import PROBLEM_CODES, Problem

DOC = (Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text()


def test_the_json_example_follows_the_schema() -> None:
    example = re.search(r"```json\n(.*?)```", DOC, re.S)
    assert example, "docs/audit.md lost its JSON example"
    jsonschema.validate(json.loads(example.group(1)), json_schema())


def test_the_table_of_what_the_pack_sees_is_the_codes() -> None:
    section = DOC.split("### What the policy pack sees in the emitted stack", 1)[1]
    rows = re.findall(r"^\| `([a-z-]+)`[^|]*\| (yes|no) \| ([^|]*)\|$", section, re.M)
    assert {code for code, _, _ in rows} == set(PROBLEM_CODES)
    for code, sees, why in rows:
        hidden = hidden_from_pack(None, Problem(code, "s", "summary", "fix"))  # type: ignore[arg-type]
        assert (sees == "yes") == (hidden is None), code
        assert why.strip() == (hidden or ""), code
