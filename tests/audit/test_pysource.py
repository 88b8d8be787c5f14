"""The emitted program's source writer: values survive, lines fit, ruff keeps the layout."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_flex_sms.audit.pysource import (
    LINE_LENGTH,
    Code,
    assignment,
    block,
    call,
    comment,
    literal,
)

AWKWARD = [
    "",
    "plain",
    'quote " and backslash \\ and tab \t and newline \n',
    "ünïcödé and emoji 📟 and a line separator \u2028",
    "x" * 300,
    "https://legacy.example.com/" + "segment-with-escapes-\\-" * 12,
]


@pytest.mark.parametrize("value", AWKWARD)
def test_a_string_comes_back_as_it_was_whatever_its_length(value: str) -> None:
    lines = assignment("target", call("Thing", "name", text=value, values=[value, 3, True]))
    source = "\n".join(lines)
    assert all(len(line) <= LINE_LENGTH for line in lines), max(lines, key=len)
    tree = ast.parse(source)
    node = tree.body[0]
    assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
    keywords = {k.arg: ast.literal_eval(k.value) for k in node.value.keywords}
    assert keywords == {"text": value, "values": [value, 3, True]}


def test_literals_and_code() -> None:
    assert literal("a") == '"a"'
    assert literal(True) == "True" and literal(None) == "None" and literal(3) == "3"
    assert literal(Code('config.require_secret("k")')) == 'config.require_secret("k")'
    with pytest.raises(TypeError):
        literal(1.5)


def test_none_keywords_are_left_out() -> None:
    assert assignment("x", call("F", a=None, b=1)) == ["x = F(", "    b=1,", ")"]


def test_comments_wrap_within_the_line_and_keep_urls_whole() -> None:
    url = "https://example.com/" + "a" * 120
    text = "word " * 40 + url + " " + "b" * 150 + "\nFix: second paragraph " + "c " * 50
    lines = comment(text)
    assert all(line.startswith("# ") for line in lines)
    assert any(line.endswith(url) for line in lines)  # whole, on a line of its own
    assert all(len(line) <= LINE_LENGTH for line in lines if url not in line)
    assert any(line.startswith("#   Fix: second paragraph") for line in lines)


def test_ruff_formats_it_as_written(tmp_path: Path) -> None:
    program = [
        '"""Doc."""',
        "",
        *assignment("thing", call("dict", a="x" * 200, b=[1, 2], c=call("dict", d=False))),
        "",
        *comment("a comment " * 30),
        *assignment("other", call("list", ["https://example.com/" + "p" * 100])),
    ]
    (tmp_path / "m.py").write_text(block(program))
    for args in (["format", "--check", "--diff"], ["check", "--select", "E,F,W,I,B,UP,RUF"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "--isolated", "m.py"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
