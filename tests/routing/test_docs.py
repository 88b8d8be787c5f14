"""docs/routing.md documents every problem code with the severity the model gives it."""

from __future__ import annotations

import re
from pathlib import Path

from pulumi_flex_sms.routing import PROBLEM_CODES, SEVERITY

DOC = (Path(__file__).resolve().parents[2] / "docs" / "routing.md").read_text(encoding="utf-8")


def test_every_problem_code_is_documented_with_its_severity() -> None:
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", DOC, re.M))
    assert rows == {code: SEVERITY[code] for code in PROBLEM_CODES}
