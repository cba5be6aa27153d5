"""One service process per module, with keys for two tenants made by the real `keys create` command."""

from __future__ import annotations

import pytest

from memory.client import MemoryClient
from tests.server.processes import ServiceProcess, memory_cli


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    data = tmp_path_factory.mktemp("service") / "data"
    keys = {tenant: memory_cli(data, "keys", "create", "--tenant", tenant) for tenant in ("acme", "globex")}
    keys["acme-operator"] = memory_cli(data, "keys", "create", "--tenant", "acme", "--operator")
    keys["globex-operator"] = memory_cli(data, "keys", "create", "--tenant", "globex", "--operator")
    proc = ServiceProcess(data).start()
    proc.keys = keys
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def acme(service):
    with MemoryClient(service.url, service.keys["acme"], retries=1, backoff_s=0.05) as client:
        yield client


@pytest.fixture(scope="module")
def globex(service):
    with MemoryClient(service.url, service.keys["globex"], retries=1, backoff_s=0.05) as client:
        yield client
