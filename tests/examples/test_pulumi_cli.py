"""Which Pulumi CLI `make demo` runs (examples/flex_sms/pulumi_cli.py), with fakes.

Fake ``pulumi`` executables print a version; fake installers stand in for the SDK's
``PulumiCommand.install``, either creating the executable or raising what the SDK
raises when get.pulumi.com cannot be reached. One test drives the real SDK installer
into a proxy on a closed loopback port, so nothing leaves the machine.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import urllib.error
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support.example_program import EXAMPLE

pytestmark = pytest.mark.skipif(os.name == "nt", reason="fake CLIs are POSIX shell scripts")


def _load() -> ModuleType:
    # examples/ is not a package; load the file run.sh runs, without touching sys.path.
    spec = importlib.util.spec_from_file_location("flex_sms_pulumi_cli", EXAMPLE / "pulumi_cli.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


pulumi_cli = _load()
MINIMUM = str(pulumi_cli.MINIMUM_VERSION)
TOO_OLD = "3.100.0"
NEWER = "3.272.0"


def fake_pulumi(directory: Path, version: str) -> Path:
    """A `pulumi` that answers `pulumi version` like the real one (`v3.272.0`)."""
    directory.mkdir(parents=True, exist_ok=True)
    command = directory / "pulumi"
    command.write_text(f'#!/bin/sh\n[ "$1" = version ] && echo v{version}\n')
    command.chmod(0o755)
    return command


class FakeInstaller:
    """Records each call; creates ``root/bin/pulumi`` at ``version``, or raises ``error``."""

    def __init__(self, version: str | None = NEWER, error: BaseException | None = None) -> None:
        self.version = version
        self.error = error
        self.roots: list[Path] = []

    def __call__(self, root: Path) -> None:
        self.roots.append(root)
        if self.error is not None:
            raise self.error
        if self.version is not None:
            fake_pulumi(root / "bin", self.version)


# What PulumiCommand.install raises here, where get.pulumi.com does not resolve:
# urllib's URLError wrapping the resolver's error (see test_the_real_sdk_installer...).
OFFLINE = urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))


@pytest.fixture
def empty_path(tmp_path: Path) -> str:
    (tmp_path / "empty").mkdir()
    return str(tmp_path / "empty")


def find(tmp_path: Path, search_path: str, install: FakeInstaller) -> tuple[Any, list[str]]:
    said: list[str] = []
    cli = pulumi_cli.find_or_install(
        tmp_path / ".pulumi-cli", search_path=search_path, install=install, say=said.append
    )
    return cli, said


def test_a_recent_enough_cli_on_path_is_used_and_nothing_is_installed(tmp_path: Path) -> None:
    on_path = fake_pulumi(tmp_path / "bin", NEWER)
    install = FakeInstaller()
    cli, said = find(tmp_path, str(tmp_path / "bin"), install)
    assert (cli.command, str(cli.version), cli.source) == (on_path, NEWER, "PATH")
    assert install.roots == [] and said == []


def test_the_minimum_version_itself_is_enough(tmp_path: Path) -> None:
    fake_pulumi(tmp_path / "bin", MINIMUM)
    cli, _ = find(tmp_path, str(tmp_path / "bin"), FakeInstaller(error=AssertionError("no")))
    assert cli.source == "PATH"


def test_a_cli_older_than_the_minimum_on_path_is_passed_over_for_an_install(
    tmp_path: Path,
) -> None:
    old = fake_pulumi(tmp_path / "bin", TOO_OLD)
    install = FakeInstaller()
    cli, said = find(tmp_path, str(tmp_path / "bin"), install)
    assert install.roots == [tmp_path / ".pulumi-cli"]
    assert cli.command == tmp_path / ".pulumi-cli" / "bin" / "pulumi" and cli.source == "installed"
    assert f"({old}) is {TOO_OLD}" in said[0] and MINIMUM in said[0]


def test_a_cli_whose_version_cannot_be_read_is_passed_over(tmp_path: Path) -> None:
    broken = tmp_path / "bin" / "pulumi"
    broken.parent.mkdir()
    broken.write_text("#!/bin/sh\necho 'not a version'\n")
    broken.chmod(0o755)
    cli, said = find(tmp_path, str(tmp_path / "bin"), FakeInstaller())
    assert cli.source == "installed"
    assert "of unknown version" in said[0]


def test_absent_and_installable_installs_into_the_project_folder(
    tmp_path: Path, empty_path: str
) -> None:
    install = FakeInstaller()
    cli, said = find(tmp_path, empty_path, install)
    assert install.roots == [tmp_path / ".pulumi-cli"]
    assert (cli.command, str(cli.version), cli.source) == (
        tmp_path / ".pulumi-cli" / "bin" / "pulumi",
        NEWER,
        "installed",
    )
    assert said == [
        f"== the Pulumi CLI is not installed; installing it into {tmp_path / '.pulumi-cli'}/ "
        "(once; `make clean` removes it)"
    ]


def test_a_copy_installed_by_an_earlier_run_is_reused(tmp_path: Path, empty_path: str) -> None:
    copy = fake_pulumi(tmp_path / ".pulumi-cli" / "bin", NEWER)
    install = FakeInstaller(error=AssertionError("must not install again"))
    cli, said = find(tmp_path, empty_path, install)
    assert (cli.command, cli.source) == (copy, "project")
    assert install.roots == [] and said == []


def test_an_outdated_project_copy_is_installed_over(tmp_path: Path, empty_path: str) -> None:
    fake_pulumi(tmp_path / ".pulumi-cli" / "bin", TOO_OLD)
    install = FakeInstaller()
    cli, _ = find(tmp_path, empty_path, install)
    assert install.roots == [tmp_path / ".pulumi-cli"]
    assert (str(cli.version), cli.source) == (NEWER, "installed")


def test_absent_and_offline_is_one_message_with_the_network_error_and_the_manual_install(
    tmp_path: Path, empty_path: str
) -> None:
    with pytest.raises(pulumi_cli.CliUnavailable) as raised:
        find(tmp_path, empty_path, FakeInstaller(error=OFFLINE))
    message = str(raised.value)
    assert message.startswith("the Pulumi CLI is not installed, and installing it into ")
    assert "could not download it from https://get.pulumi.com" in message
    assert "([Errno -2] Name or service not known)" in message
    assert "curl -fsSL https://get.pulumi.com | sh" in message
    assert "brew install pulumi/tap/pulumi" in message and "choco install pulumi" in message
    assert not (tmp_path / ".pulumi-cli" / "bin" / "pulumi").exists()


def test_too_old_and_offline_says_the_cli_on_path_is_too_old(tmp_path: Path) -> None:
    fake_pulumi(tmp_path / "bin", TOO_OLD)
    with pytest.raises(pulumi_cli.CliUnavailable) as raised:
        find(tmp_path, str(tmp_path / "bin"), FakeInstaller(error=TimeoutError("timed out")))
    message = str(raised.value)
    assert f"is {TOO_OLD}; the demo needs {MINIMUM} or later" in message
    assert "could not download it from https://get.pulumi.com (timed out)" in message


def test_a_failing_install_script_shows_the_end_of_its_output(
    tmp_path: Path, empty_path: str
) -> None:
    output = b"".join(b"line %d\n" % i for i in range(10)) + b"curl: (6) Could not resolve host\n"
    failed = subprocess.CalledProcessError(22, ["install.sh"], output=output)
    with pytest.raises(pulumi_cli.CliUnavailable) as raised:
        find(tmp_path, empty_path, FakeInstaller(error=failed))
    message = str(raised.value)
    assert "Pulumi's install script failed (exit 22)" in message
    assert "curl: (6) Could not resolve host" in message
    assert "line 9" in message and "line 5" not in message  # the last five lines only
    assert pulumi_cli.MANUAL_INSTALL in message


def test_an_install_that_leaves_no_cli_is_an_error_not_a_path(
    tmp_path: Path, empty_path: str
) -> None:
    with pytest.raises(pulumi_cli.CliUnavailable) as raised:
        find(tmp_path, empty_path, FakeInstaller(version=None))
    assert "left no working pulumi" in str(raised.value)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def no_route_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send urllib's https through a proxy on a closed loopback port: a refused download."""
    proxy = f"http://127.0.0.1:{_closed_port()}"
    for name in ("https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(name, proxy)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_route_out")
def test_the_real_sdk_installer_raises_an_oserror_when_it_cannot_download(
    tmp_path: Path, empty_path: str
) -> None:
    # The fake above is only as good as this: the SDK's failure is an OSError (URLError).
    with pytest.raises(OSError) as raised:
        pulumi_cli.install_with_sdk(tmp_path / ".pulumi-cli")
    assert isinstance(raised.value, urllib.error.URLError)
    with pytest.raises(pulumi_cli.CliUnavailable, match="could not download it"):
        pulumi_cli.find_or_install(tmp_path / ".pulumi-cli", search_path=empty_path)
    assert not (tmp_path / ".pulumi-cli" / "bin" / "pulumi").exists()


def test_the_readme_states_the_minimum_version() -> None:
    readme = (EXAMPLE.parents[1] / "README.md").read_text()
    minimum = pulumi_cli.MINIMUM_VERSION
    assert f"on your PATH ({minimum.major}.{minimum.minor} or later)" in readme
