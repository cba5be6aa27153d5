"""deploy/nginx/memory.conf in front of two service shards, all real processes on 127.0.0.1: routing
by (tenant, user) is stable, each user's data stays on its shard, and a shard restart loses nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

import httpx
import pytest

from memory.client import MemoryClient
from tests.server.processes import (
    REPO_ROOT,
    ServiceProcess,
    free_port,
    memory_cli,
    stop_process,
    wait_port,
)

USERS = [f"user-{n}" for n in range(12)]


def nginx_config(tmp_path, listen: int, shards: list[int]) -> str:
    """The shipped config with this test's ports, inside a minimal nginx.conf of its own prefix."""
    shipped = (REPO_ROOT / "deploy/nginx/memory.conf").read_text()
    assert "server 127.0.0.1:8801" in shipped and "listen 127.0.0.1:8765" in shipped
    site = shipped.replace("127.0.0.1:8801", f"127.0.0.1:{shards[0]}")
    site = site.replace("127.0.0.1:8802", f"127.0.0.1:{shards[1]}")
    site = site.replace("listen 127.0.0.1:8765", f"listen 127.0.0.1:{listen}")
    temp = tmp_path / "nginx-temp"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{site}
}}
"""


@pytest.fixture
def cluster(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(nginx), "nginx is missing: run `make system-deps`"
    keys = str(tmp_path / "keys.sqlite")
    key = memory_cli(tmp_path / "admin", "keys", "create", "--tenant", "acme", MEMORY_SERVER__KEYS_PATH=keys)
    shards = [
        ServiceProcess(tmp_path / f"shard-{n}", MEMORY_SERVER__KEYS_PATH=keys, MEMORY_SERVER__SHARD=f"s{n}")
        for n in (1, 2)
    ]
    listen = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config(tmp_path, listen, [s.port for s in shards]))
    proc = None
    try:
        for shard in shards:
            shard.start()
        proc = subprocess.Popen(
            [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_port(listen, proc)
        yield f"http://127.0.0.1:{listen}", key, shards
    finally:
        stop_process(proc, signal.SIGQUIT)  # nginx: graceful stop of master and workers
        for shard in shards:
            shard.stop()


def shard_of(url: str, key: str, user: str) -> str:
    answer = httpx.get(
        f"{url}/v1/memories",
        params={"user_id": user, "limit": 1},
        headers={"Authorization": f"Bearer {key}", "X-Memory-User": user},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.headers["X-Memory-Shard"]


def test_sharded_routing_placement_and_restart(cluster) -> None:
    url, key, shards = cluster
    via_nginx = MemoryClient(url, key, retries=1, backoff_s=0.1)
    placed = {user: shard_of(url, key, user) for user in USERS}
    assert set(placed.values()) == {"s1", "s2"}  # both shards take users
    for _ in range(3):  # stable: the same user lands on the same shard every time
        assert {user: shard_of(url, key, user) for user in USERS} == placed
    for user in USERS:
        via_nginx.add(f"{user} keeps a red notebook.", user_id=user, infer=False)

    direct = {f"s{n}": MemoryClient(s.url, key, retries=0) for n, s in enumerate(shards, start=1)}
    for user, home in placed.items():
        other = "s2" if home == "s1" else "s1"
        assert [m.text for m in direct[home].get_all(user_id=user)] == [f"{user} keeps a red notebook."]
        assert direct[other].get_all(user_id=user) == []  # nothing of the user on the other shard

    first = shards[0]
    first.stop()
    down_user = next(u for u, s in placed.items() if s == "s1")
    up_user = next(u for u, s in placed.items() if s == "s2")
    down = httpx.get(
        f"{url}/v1/memories",
        params={"user_id": down_user},
        headers={"Authorization": f"Bearer {key}", "X-Memory-User": down_user},
    )
    assert down.status_code == 502  # not rerouted to s2, where the user's data is not
    assert len(via_nginx.get_all(user_id=up_user)) == 1  # the other shard keeps serving
    first.start()
    assert {user: shard_of(url, key, user) for user in USERS} == placed
    for user in USERS:
        assert [m.text for m in via_nginx.get_all(user_id=user)] == [f"{user} keeps a red notebook."]
