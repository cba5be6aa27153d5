"""Idempotent writes across retries and restarts, rate limits, body limits, and a service that goes
away: each against a real `python -m memory serve` process on 127.0.0.1."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from memory.client import MemoryClient, _result
from memory.errors import (
    IdempotencyError,
    RateLimitError,
    RequestTooLargeError,
    ServiceUnavailableError,
)
from tests.server.processes import ServiceProcess, memory_cli
from tests.server.proxy import LossyProxy

LIMITS = {
    "MEMORY_SERVER__RATE_PER_S": "50",
    "MEMORY_SERVER__BURST": "60",
    "MEMORY_SERVER__MAX_JSON_MB": "0.05",
    "MEMORY_INGESTION__MAX_FILE_MB": "0.05",
}


@pytest.fixture(scope="module")
def shard(tmp_path_factory):
    data = tmp_path_factory.mktemp("resilience") / "data"
    key = memory_cli(data, "keys", "create", "--tenant", "acme")
    proc = ServiceProcess(data, **LIMITS).start()
    proc.key = key
    yield proc
    proc.stop()


def post(shard, body: dict, idem: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {shard.key}"}
    if idem:
        headers["Idempotency-Key"] = idem
    return httpx.post(f"{shard.url}/v1/memories", json=body, headers=headers, timeout=60)


def count(shard, user: str) -> int:
    return len(MemoryClient(shard.url, shard.key, retries=0).get_all(user_id=user))


def test_idempotency_key_stores_once_even_across_a_restart(shard) -> None:
    body = {"messages": "I keep bees in the garden.", "user_id": "idem", "infer": False}
    first = post(shard, body, idem="k-1")
    again = post(shard, body, idem="k-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert count(shard, "idem") == 1
    changed = post(shard, {**body, "messages": "something else"}, idem="k-1")
    assert changed.status_code == 409 and changed.json()["error"]["type"] == "IdempotencyError"
    shard.restart()
    after = post(shard, body, idem="k-1")
    assert after.json() == first.json() and after.headers.get("Idempotent-Replayed") == "true"
    assert count(shard, "idem") == 1
    assert post(shard, body, idem="k-2").status_code == 200 and count(shard, "idem") == 2
    with pytest.raises(IdempotencyError, match="different request"):
        _result(changed)  # the client raises the same class for it


def test_client_retries_a_lost_answer_with_the_same_key(shard) -> None:
    with LossyProxy(shard.url, lose_answers=2) as proxy:
        client = MemoryClient(proxy.url, shard.key, retries=3, backoff_s=0.05)
        result = client.add("My bike is a green Bianchi.", user_id="retry", infer=False)
    writes = [s for s in proxy.seen if s[0] == "POST"]
    assert len(writes) == 3 and len({key for _, _, key in writes}) == 1 and writes[0][2]
    stored = MemoryClient(shard.url, shard.key).get_all(user_id="retry")
    assert [m.id for m in stored] == [result.operations[0].memory_id]


def test_client_waits_for_a_service_that_comes_back(tmp_path) -> None:
    data = tmp_path / "data"
    key = memory_cli(data, "keys", "create", "--tenant", "acme")
    proc = ServiceProcess(data)
    starter = threading.Thread(target=proc.start)
    try:
        starter.start()  # the client's first tries meet a closed port
        client = MemoryClient(proc.url, key, retries=12, backoff_s=0.5)
        assert client.add("Back online.", user_id="u", infer=False).operations
        proc.stop()  # stopped mid-way: a clear error, after a bounded number of tries
        gone = MemoryClient(proc.url, key, retries=2, backoff_s=0.05)
        started = time.monotonic()
        with pytest.raises(ServiceUnavailableError, match=f"{proc.url} could not be reached"):
            gone.get_all(user_id="u")
        assert time.monotonic() - started < 10
    finally:
        starter.join(timeout=180)
        proc.stop()


def test_rate_limit_per_key_answers_429_with_retry_after(shard) -> None:
    other = memory_cli(shard.data_dir, "keys", "create", "--tenant", "acme")
    headers = {"Authorization": f"Bearer {shard.key}"}
    codes = []
    with httpx.Client(base_url=shard.url, headers=headers) as http:
        for _ in range(150):  # 60 at once, then 50/s: a burst of 150 must hit the limit
            answer = http.get("/v1/memories", params={"user_id": "rate", "limit": 1})
            codes.append(answer.status_code)
            if answer.status_code == 429:
                assert int(answer.headers["Retry-After"]) >= 1
                assert answer.json()["error"]["type"] == "RateLimitError"
                break
    assert 429 in codes and codes.count(200) >= 50
    assert MemoryClient(shard.url, other, retries=0).get_all(user_id="rate") == []  # another key: own bucket
    time.sleep(1.5)
    assert MemoryClient(shard.url, shard.key, retries=0).get_all(user_id="rate") == []
    with pytest.raises(RateLimitError) as caught:
        limited = MemoryClient(shard.url, shard.key, retries=0)
        for _ in range(150):
            limited.get_all(user_id="rate")
    assert caught.value.retry_after >= 1
    time.sleep(1.5)


def test_oversized_bodies_are_refused_and_nothing_is_stored(shard, tmp_path) -> None:
    client = MemoryClient(shard.url, shard.key, retries=0)
    with pytest.raises(RequestTooLargeError, match="JSON body is over the limit of 51 KB"):
        client.add("word " * 20_000, user_id="big")
    big = tmp_path / "big.txt"
    big.write_text("a line of text that repeats\n" * 5_000)
    with pytest.raises(RequestTooLargeError, match="upload is over the limit"):
        client.ingest(big, user_id="big")
    chunked = httpx.post(
        f"{shard.url}/v1/memories",
        content=iter([b'{"messages": "', b"x" * 60_000, b'", "user_id": "big"}']),
        headers={"Authorization": f"Bearer {shard.key}", "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    assert client.get_all(user_id="big") == []
    assert uuid.UUID(client.add("small enough", user_id="big", infer=False).operations[0].memory_id)
