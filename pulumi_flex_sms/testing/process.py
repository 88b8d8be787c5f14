"""The emulator as a child process: ``python -m pulumi_flex_sms.emulator --port 0``.

Standard library only, so the pytest plugin can import it when pytest starts.
:func:`start_process` waits for the first line the emulator prints, which
names its base URL and its default account's credentials::

    Twilio emulator listening on http://127.0.0.1:PORT (account AC..., auth token ...)

and :meth:`EmulatorProcess.stop` stops it by pid.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FIRST_LINE_PREFIX", "EmulatorProcess", "start_process"]

FIRST_LINE_PREFIX = "Twilio emulator listening on "
_CREDENTIALS = re.compile(r"\(account (AC\w+), auth token (\S+)\)$")


@dataclass
class EmulatorProcess:
    """``python -m pulumi_flex_sms.emulator`` running as a child process."""

    process: subprocess.Popen[str]
    first_line: str
    stderr_path: Path
    _stderr: str | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return next(token for token in self.first_line.split() if token.startswith("http://"))

    @property
    def account_sid(self) -> str:
        """The default account's SID, as the first line names it."""
        return self._credentials()[0]

    @property
    def auth_token(self) -> str:
        """The default account's auth token, as the first line names it."""
        return self._credentials()[1]

    def _credentials(self) -> tuple[str, str]:
        match = _CREDENTIALS.search(self.first_line)
        if match is None:
            raise RuntimeError(f"no credentials in the emulator's first line {self.first_line!r}")
        return match.group(1), match.group(2)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Signal the process by pid and wait; returns its exit status."""
        if self.process.poll() is None:
            os.kill(self.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self._stderr is None:
            self._stderr = self.stderr_path.read_text(errors="replace")
            self.stderr_path.unlink(missing_ok=True)
        return self.process.returncode

    def stderr(self) -> str:
        """What the process wrote to stderr (complete once stopped)."""
        if self._stderr is not None:
            return self._stderr
        return self.stderr_path.read_text(errors="replace")


def start_process(args: Sequence[str] = (), timeout: float = 20.0) -> EmulatorProcess:
    """Start the emulator with ``args`` (``--port 0`` unless given); wait for its first line."""
    argv = list(args)
    if "--port" not in argv:
        argv += ["--port", "0"]
    stderr_file = tempfile.NamedTemporaryFile(prefix="emulator-", suffix=".stderr", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_flex_sms.emulator", *argv],
        stdout=subprocess.PIPE,
        stderr=stderr_file,
        text=True,
    )
    stderr_file.close()
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    line = ""
    while not line.endswith("\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not selector.select(remaining):
            break
        chunk = process.stdout.readline()
        if not chunk:
            break
        line += chunk
    selector.close()
    if not line.startswith(FIRST_LINE_PREFIX):
        process.kill()
        process.wait()
        process.stdout.close()
        stderr = Path(stderr_file.name).read_text(errors="replace")
        Path(stderr_file.name).unlink(missing_ok=True)
        raise RuntimeError(f"emulator did not start: first line {line!r}; stderr: {stderr}")
    return EmulatorProcess(process, line.rstrip("\n"), Path(stderr_file.name))
