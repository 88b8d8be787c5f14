"""twilio-node and the ``twilio`` CLI, unmodified, reach the emulator through its proxy.

Both read ``HTTP_PROXY`` (for HTTPS too; twilio-node's ``RequestClient``,
twilio-cli-core's ``CliRequestClient``) and Node adds ``NODE_EXTRA_CA_CERTS`` to
its roots: the environment the emulator prints. They are installed once with
``npm install --prefix`` into ``.cache/node-clients/`` (gitignored) and reused;
the tests skip, with the reason, where ``node``/``npm`` are missing or the
install fails (offline). A fresh install of both took about 40 s here (2 cores;
twilio-cli ~36 s, twilio ~6 s); later runs reuse it. Every answer is checked
against Twilio's OpenAPI specs by the recorder, as for twilio-python.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.emulator import STANDARD
from support.openapi import REPO_ROOT, spec_validator
from support.proxy import Proxied, cache_dir, clean_environ

pytestmark = pytest.mark.spec

#: The majors these tests were written against (their proxy variable is HTTP_PROXY).
README = (REPO_ROOT / "README.md").read_text()
PACKAGES = {"twilio-node": "twilio@6", "twilio-cli": "twilio-cli@6"}
INSTALL_TIMEOUT = 300


def _install(name: str) -> Path:
    """``npm install --prefix .cache/node-clients/<name>`` once; skip if it cannot be done."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the Node.js clients; not on PATH")
    prefix = cache_dir("node-clients") / name
    marker = prefix / "installed.json"
    spec = PACKAGES[name]
    if marker.is_file() and json.loads(marker.read_text()).get("spec") == spec:
        return prefix
    started = time.monotonic()
    try:
        subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", spec],
            check=True,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )  # this process's environment: npm may need its proxy and CA settings
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", None) or exc
        pytest.skip(f"npm install {spec} failed (offline?): {str(detail)[-300:]}")
    seconds = round(time.monotonic() - started, 1)
    marker.write_text(json.dumps({"spec": spec, "install_seconds": seconds}))
    return prefix


@pytest.fixture(scope="module")
def twilio_node() -> Path:
    return _install("twilio-node")


@pytest.fixture(scope="module")
def twilio_cli() -> Path:
    return _install("twilio-cli")


def _node_env(proxy: Proxied, **extra: str) -> dict[str, str]:
    env = proxy.endpoint.environment()
    return clean_environ(
        {
            "HTTP_PROXY": env["HTTP_PROXY"],
            "NODE_EXTRA_CA_CERTS": env["NODE_EXTRA_CA_CERTS"],
            "TWILIO_ACCOUNT_SID": STANDARD.account_sid,
            "TWILIO_AUTH_TOKEN": STANDARD.auth_token,
            **extra,
        }
    )


NODE_SCRIPT = """
const twilio = require("twilio");
const sid = process.env.TWILIO_ACCOUNT_SID, token = process.env.TWILIO_AUTH_TOKEN;
(async () => {
  const client = twilio(sid, token);
  const addresses = client.conversations.v1.addressConfigurations;
  const created = [];
  for (const address of JSON.parse(process.argv[2])) {
    created.push(await addresses.create({ type: "sms", address }));
  }
  const listed = await addresses.list({ pageSize: 1 });  // follows nextPageUrl
  const fetched = await addresses(created[0].sid).fetch();
  let missing;
  try { await addresses("IG" + "0".repeat(32)).fetch(); }
  catch (e) { missing = [e.status, e.code]; }
  const regional = twilio(sid, token, { region: "ie1", edge: "dublin" });
  const far = await regional.conversations.v1.addressConfigurations.list();
  console.log(JSON.stringify({
    created: created.map((c) => c.url), listed: listed.map((c) => c.sid),
    fetched: fetched.address, missing, regional: far.length,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def test_twilio_node(proxy: Proxied, twilio_node: Path, tmp_path: Path) -> None:
    numbers = [n.phone_number for n in STANDARD.numbers]
    script = tmp_path / "client.js"
    script.write_text(NODE_SCRIPT)
    completed = subprocess.run(
        ["node", str(script), json.dumps(numbers)],
        env={**_node_env(proxy), "NODE_PATH": str(twilio_node / "node_modules")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert all(
        url.startswith("https://conversations.twilio.com/v1/Configuration/Addresses/IG")
        for url in result["created"]
    )
    assert sorted(result["listed"]) == sorted(url.rsplit("/", 1)[1] for url in result["created"])
    assert result["fetched"] == numbers[0]
    assert result["missing"] == [404, 20404]
    assert result["regional"] == 3
    pages = [e for e in proxy.recorder.exchanges if e.method == "GET" and "PageSize=1" in e.url]
    assert len(pages) == 3  # page 0, then two next_page_urls followed
    hosts = {e.url.split("/")[2] for e in proxy.recorder.exchanges if e.tunnelled}
    assert hosts == {"conversations.twilio.com", "conversations.dublin.ie1.twilio.com"}
    assert proxy.recorder.validated == (len(proxy.recorder.exchanges) if spec_validator() else 0)


def _readme_cli_block() -> tuple[dict[str, str], list[list[str]]]:
    """The README's twilio CLI example: its exported credentials and its ``twilio`` commands."""
    block = re.search(r'```bash\neval "\$\(flex-sms emulator env\)"(.*?)```', README, re.S)
    assert block, "README lost its twilio CLI example"
    lines = [line.partition("#")[0].strip() for line in block.group(1).splitlines()]
    exports = dict(
        line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export ")
    )
    commands = [shlex.split(line)[1:] for line in lines if line.startswith("twilio ")]
    return exports, commands


def _twilio(cli: Path, env: dict[str, str], home: Path, args: list[str]) -> Any:
    completed = subprocess.run(
        [str(cli / "node_modules" / ".bin" / "twilio"), *args, "-o", "json"],
        # HOME: the CLI keeps its config and caches there; no update check (it
        # would be refused by the proxy anyway, never sent to the registry).
        env={**env, "HOME": str(home), "TWILIO_SKIP_NEW_VERSION_CHECK": "1"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    return json.loads(completed.stdout)


def test_the_twilio_cli_as_the_readme_shows_it(
    proxy: Proxied, twilio_cli: Path, tmp_path: Path
) -> None:
    exports, commands = _readme_cli_block()
    readme_seed = re.search(r"```yaml\n(# flex-sms emulator --seed.*?)```", README, re.S)
    assert readme_seed, "README lost its seed example"
    proxy.control.seed(yaml.safe_load(readme_seed.group(1)))
    env = {**_node_env(proxy), **exports}  # the README's credentials
    assert [c[0] for c in commands] == [
        "api:conversations:v1:configuration:addresses:create",
        "api:conversations:v1:configuration:addresses:list",  # the command
    ]
    created = _twilio(twilio_cli, env, tmp_path, commands[0])
    listed = _twilio(twilio_cli, env, tmp_path, commands[1])
    sid = created[0]["sid"]
    assert [(c["sid"], c["address"]) for c in listed] == [(sid, "+13115552368")]
    assert listed[0]["url"] == f"https://conversations.twilio.com/v1/Configuration/Addresses/{sid}"
    assert [(e["method"], e["status"], e["account_sid"]) for e in proxy.control.requests()] == [
        ("POST", 201, exports["TWILIO_ACCOUNT_SID"]),
        ("GET", 200, exports["TWILIO_ACCOUNT_SID"]),
    ]
    assert proxy.recorder.validated == (2 if spec_validator() else 0)


def test_installs_are_kept_out_of_git() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(cache_dir("node-clients"))],
        cwd=Path(__file__).parent,
        check=False,
    )
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0, ".cache/ must be in .gitignore"
    assert os.path.isdir(cache_dir("node-clients"))
