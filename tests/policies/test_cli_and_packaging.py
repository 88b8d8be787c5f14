"""``flex-sms policy-pack`` and the files of the ready pack."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

import pulumi_flex_sms
from pulumi_flex_sms import cli as flex_sms
from pulumi_flex_sms.policies import ALL_POLICIES, POLICIES_BY_NAME, pack_dir
from pulumi_flex_sms.policies.cli import PACK_FILES, main

REPO = Path(__file__).resolve().parents[2]


def test_pack_dir_holds_the_pack_files() -> None:
    assert sorted(p.name for p in pack_dir().iterdir() if p.name != "__pycache__") == sorted(
        PACK_FILES
    )


def test_policy_yaml_runtime_and_version_match_the_package() -> None:
    text = (pack_dir() / "PulumiPolicy.yaml").read_text()
    assert re.search(r"^runtime: python$", text, re.M)
    assert re.search(rf"^version: {re.escape(pulumi_flex_sms.__version__)}$", text, re.M)


def test_pack_entry_point_builds_the_pack_from_the_module() -> None:
    source = (pack_dir() / "__main__.py").read_text()
    assert "from pulumi_flex_sms.policies import ALL_POLICIES, PACK_NAME" in source
    assert "print(" not in source  # the engine reads the port from stdout


def test_example_config_ships_with_the_pack_and_names_real_policies() -> None:
    shipped = json.loads((pack_dir() / "policy-config.example.json").read_text())
    example = json.loads((REPO / "examples" / "policy" / "policy-config.json").read_text())
    assert shipped == example
    assert set(example) <= set(POLICIES_BY_NAME)


def test_policy_names_are_unique_and_documented() -> None:
    assert len({p.name for p in ALL_POLICIES}) == len(ALL_POLICIES)
    docs = (REPO / "docs" / "policies.md").read_text()
    for policy in ALL_POLICIES:
        assert f"`{policy.name}`" in docs, policy.name


def test_prints_the_pack_location(capsys: pytest.CaptureFixture[str]) -> None:
    assert flex_sms.main(["policy-pack"]) == 0
    assert capsys.readouterr().out.strip() == str(pack_dir())


def test_write_copies_the_pack_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "policy"
    assert main(["--write", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target.resolve())
    for name in PACK_FILES:
        assert (target / name).read_bytes() == (pack_dir() / name).read_bytes()

    (target / "__main__.py").write_text("# edited\n")
    assert main(["--write", str(target)]) == 1
    captured = capsys.readouterr()
    assert "--force" in captured.err and captured.out == ""
    assert (target / "__main__.py").read_text() == "# edited\n"

    assert main(["--write", str(target), "--force"]) == 0
    assert (target / "__main__.py").read_bytes() == (pack_dir() / "__main__.py").read_bytes()


def test_write_leaves_other_files_alone(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    assert main(["--write", str(tmp_path)]) == 0
    assert (tmp_path / "README.md").read_text() == "mine\n"


def test_write_with_virtualenv_sets_the_runtime_option(tmp_path: Path) -> None:
    venv = str(tmp_path / "my venv")
    assert main(["--write", str(tmp_path / "p"), "--virtualenv", venv]) == 0
    text = (tmp_path / "p" / "PulumiPolicy.yaml").read_text()
    assert "runtime: python\n" not in text
    assert f"runtime:\n  name: python\n  options:\n    virtualenv: {json.dumps(venv)}\n" in text


def test_written_pack_states_the_version_of_the_package_that_wrote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pulumi_flex_sms, "__version__", "9.8.7")
    assert main(["--write", str(tmp_path), "--virtualenv", "venv"]) == 0
    written = yaml.safe_load((tmp_path / "PulumiPolicy.yaml").read_text())
    shipped = yaml.safe_load((pack_dir() / "PulumiPolicy.yaml").read_text())
    assert written == {
        **shipped,
        "version": "9.8.7",
        "runtime": {"name": "python", "options": {"virtualenv": "venv"}},
    }


@pytest.mark.parametrize("argv", [["--force"], ["--virtualenv", "v"], ["--bogus"]])
def test_bad_usage_exits_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
