"""Where backend methods run: on the event loop while the store is free, else in a worker."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from pulumi_flex_sms.emulator.server import EmulatorServer
from pulumi_flex_sms.emulator.studio.backend import StudioBackend


def test_a_busy_store_sends_the_call_to_a_worker_and_the_loop_stays_free(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran_on: list[str] = []
    real = StudioBackend.list_flows

    def list_flows(self: StudioBackend, *args: Any) -> Any:
        ran_on.append(threading.current_thread().name)
        return real(self, *args)

    monkeypatch.setattr(StudioBackend, "list_flows", list_flows)
    with EmulatorServer() as server, ThreadPoolExecutor(1) as pool:
        http = requests.Session()
        http.auth = (server.account_sid, server.auth_token)
        flows = f"{server.base_url}/studio/v2/Flows"
        assert http.get(flows, timeout=30).status_code == 200
        assert ran_on == [f"twilio-emulator:{server.port}"]  # the server's loop thread

        refused = threading.Semaphore(0)
        try_acquire = server.store.try_acquire

        def noting_refusals() -> bool:
            taken = try_acquire()
            if not taken:
                refused.release()
            return taken

        monkeypatch.setattr(server.store, "try_acquire", noting_refusals)
        assert try_acquire()  # another thread is in the store
        try:
            pending = pool.submit(requests.get, flows, auth=http.auth, timeout=60)
            # Refused twice: the credential check (which then needs no store), the list.
            assert refused.acquire(timeout=30) and refused.acquire(timeout=30)
            # The loop still answers while that request waits for the store.
            health = requests.get(f"{server.base_url}/_emulator/health", timeout=30)
            assert health.status_code == 200
            assert not pending.done()
        finally:
            server.store.release()
        assert pending.result(timeout=60).status_code == 200
        assert len(ran_on) == 2 and ran_on[1] != ran_on[0]
