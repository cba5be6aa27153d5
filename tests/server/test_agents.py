"""An agent's shared memory over HTTP: operator keys write it, every customer of that tenant reads it
beside their own, app keys cannot write it, and another tenant's agent of the same name is apart."""

from __future__ import annotations

import httpx
import pytest

from memory.client import MemoryClient


def call(service, key: str, method: str, path: str, **kwargs) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.request(method, service.url + path, headers=headers, timeout=60, **kwargs)


@pytest.mark.parametrize("path", ["/v1/agents/help-bot/memories"])
def test_only_operator_keys_write_an_agents_memory(service, path) -> None:
    refused = call(
        service, service.keys["acme"], "POST", path, json={"messages": "Always offer a replacement."}
    )
    assert refused.status_code == 403 and "operator key" in refused.json()["error"]["message"]
    assert call(service, service.keys["acme"], "GET", path).status_code == 403


def test_the_playbook_reaches_each_customer_of_the_tenant_and_no_other_tenant(service) -> None:
    operator = service.keys["acme-operator"]
    added = call(
        service,
        operator,
        "POST",
        "/v1/agents/help-bot/memories",
        json={"messages": "Always offer a replacement before a refund."},
    )
    assert added.status_code == 200, added.text
    listed = call(service, operator, "GET", "/v1/agents/help-bot/memories").json()
    rule = next(m for m in listed if "replacement" in m["text"])
    assert rule["agent_id"] == "help-bot"
    with MemoryClient(service.url, service.keys["acme"], retries=1) as acme:
        for customer in ("cust-1", "cust-2"):
            hits = acme.search("can I get a refund?", user_id=customer, agent_id="help-bot")
            shared = [h.memory for h in hits if h.memory.scope == "agent"]
            assert [m.text for m in shared] == [rule["text"]] and shared[0].agent_id == "help-bot"
    with MemoryClient(service.url, service.keys["globex"], retries=1) as globex:
        hits = globex.search("can I get a refund?", user_id="cust-1", agent_id="help-bot")
        assert all("replacement" not in h.memory.text for h in hits)
    other = call(service, service.keys["globex-operator"], "GET", "/v1/agents/help-bot/memories").json()
    assert other == []
    gone = call(service, operator, "DELETE", f"/v1/agents/help-bot/memories/{rule['id']}")
    assert gone.status_code == 200
    assert call(service, operator, "GET", "/v1/agents/help-bot/memories").json() == []
