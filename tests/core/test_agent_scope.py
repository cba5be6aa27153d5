"""Agent scope: an agent's shared memory beside each customer's private one, through every public call,
on both vector stores. Customers c1 and c2 talk to agent A; c3 talks to agent B."""

from __future__ import annotations

import pytest

from memory import MemoryType
from memory.agent_scope import agent_owner
from memory.errors import InvalidInputError, NotFoundError
from memory.types import MemoryInput

A, B = "shop-bot", "bank-bot"
CUSTOMERS = {"c1": A, "c2": A, "c3": B}
# The order number checked for leaks carries letters that are not hex digits: no random id can spell it.
SAID = {
    "c1": "My order number is QX-4471 and the blender arrived broken.",
    "c2": "My order number is 9902 and the kettle leaks.",
    "c3": "My card number ends in 5150 and it was declined.",
}
RETURNS = b"Returns policy. Items can be returned within 30 days of delivery with the receipt."


@pytest.fixture(params=["edge", "qdrant"])
def shop(request, make_memory):
    """A memory with two agents' shared memories and three customers' own."""
    mem = make_memory(vector_store={"provider": request.param})
    mem.add("Always offer a replacement before a refund.", agent_id=A, scope="agent")
    mem.add("Never discuss interest rates.", agent_id=B, scope="agent")
    mem.ingest(RETURNS, filename="returns.txt", agent_id=A, scope="agent")
    for user, agent in CUSTOMERS.items():
        mem.add(SAID[user], user_id=user, agent_id=agent)
    return mem


def texts(items) -> str:
    return " | ".join(getattr(i, "text", "") for i in items)


def agent_items(mem, agent: str):
    return mem.get_all(agent_id=agent, scope="agent", include_past=True)


def test_reads_give_each_customer_their_own_and_their_agent_shared_memory(shop):
    for user, agent in CUSTOMERS.items():
        others = [u for u in CUSTOMERS if u != user]
        for query in ["order number", "refund or replacement", "returns within 30 days", "card declined"]:
            hits = shop.search(query, user_id=user, agent_id=agent, limit=20)
            for hit in hits:
                assert hit.memory.user_id in (user, agent_owner(agent))
                assert hit.scope == ("agent" if hit.memory.user_id == agent_owner(agent) else "user")
            assert not any(SAID[o].split(" and")[0] in texts(hits) for o in others)
        listed = shop.get_all(user_id=user, agent_id=agent)
        assert {i.user_id for i in listed} == {user, agent_owner(agent)}
        assert SAID[user] in texts(listed) and not any(SAID[o] in texts(listed) for o in others)
    c1 = shop.get_all(user_id="c1", agent_id=A)
    assert "replacement before a refund" in texts(c1) and "30 days" in texts(c1)
    assert "interest rates" not in texts(c1)
    assert "replacement" not in texts(shop.get_all(user_id="c3", agent_id=B))
    # Without an agent, a customer sees their own memories only.
    assert {i.scope for i in shop.get_all(user_id="c1")} == {"user"}
    assert shop.count(user_id="c1", agent_id=A) == len(c1)


def test_get_reads_the_agent_memory_but_never_another_customer_or_agent(shop):
    rule = next(i for i in agent_items(shop, A) if i.type == MemoryType.PROCEDURAL)
    c2_turn = shop.get_all(user_id="c2", agent_id=A, types=[MemoryType.EPISODIC])[0]
    assert shop.get(rule.id, user_id="c1", agent_id=A).scope == "agent"
    assert shop.get(rule.id, agent_id=A, scope="agent").text == rule.text
    for kwargs in [
        {"user_id": "c1"},  # no agent: the customer's own memory only
        {"user_id": "c3", "agent_id": B},
        {"agent_id": B, "scope": "agent"},
    ]:
        with pytest.raises(NotFoundError):
            shop.get(rule.id, **kwargs)
    for kwargs in [
        {"user_id": "c1", "agent_id": A},
        {"user_id": "c3", "agent_id": B},
        {"agent_id": A, "scope": "agent"},
    ]:
        with pytest.raises(NotFoundError):
            shop.get(c2_turn.id, **kwargs)


def test_writes_to_the_agent_memory_need_an_agent_scope_call(shop):
    rule = next(i for i in agent_items(shop, A) if i.type == MemoryType.PROCEDURAL)
    for call in [
        lambda: shop.update(rule.id, "Always refund at once.", user_id="c1", agent_id=A),
        lambda: shop.delete(rule.id, user_id="c1", agent_id=A),
        lambda: shop.history(rule.id, user_id="c1", agent_id=A),
    ]:
        with pytest.raises(InvalidInputError, match="scope='agent'"):
            call()
    for call in [
        lambda: shop.update(rule.id, "Always refund at once.", user_id="c3", agent_id=B),
        lambda: shop.delete(rule.id, user_id="c1"),
        lambda: shop.delete(rule.id, agent_id=B, scope="agent"),
        lambda: shop.history(rule.id, user_id="c2"),
    ]:
        with pytest.raises(NotFoundError):
            call()
    assert shop.get(rule.id, agent_id=A, scope="agent").text == rule.text
    edited = shop.update(
        rule.id, "Always offer a replacement or a repair before a refund.", agent_id=A, scope="agent"
    )
    assert edited.scope == "agent"
    assert [e.event.value for e in shop.history(rule.id, agent_id=A, scope="agent")] == ["ADD", "UPDATE"]
    assert "or a repair" in texts(shop.search("refund", user_id="c2", agent_id=A))
    shop.delete(rule.id, agent_id=A, scope="agent")
    assert "refund" not in texts(shop.get_all(user_id="c1", agent_id=A, types=[MemoryType.PROCEDURAL]))


def test_delete_all_of_a_customer_leaves_the_agent_and_the_other_customers(shop):
    before = {a: len(agent_items(shop, a)) for a in (A, B)}
    own = len(shop.get_all(user_id="c1", include_past=True))
    assert own and shop.delete_all(user_id="c1", agent_id=A) == own
    assert shop.get_all(user_id="c1") == []
    assert {a: len(agent_items(shop, a)) for a in (A, B)} == before
    assert SAID["c2"] in texts(shop.get_all(user_id="c2"))
    assert shop.delete_all(agent_id=A, scope="agent") == before[A]
    assert agent_items(shop, A) == [] and len(agent_items(shop, B)) == before[B]
    assert SAID["c2"] in texts(shop.get_all(user_id="c2", agent_id=A))


def test_export_and_import_stay_in_their_scope(shop):
    mine = shop.export(user_id="c1")
    assert {m["scope"] for m in mine["memories"]} == {"user"} and "returns" not in str(mine).lower()
    playbook = shop.export(agent_id=A, scope="agent")
    assert {m["agent_id"] for m in playbook["memories"]} == {A}
    assert "replacement" in str(playbook) and "QX-4471" not in str(playbook)
    # A customer importing the agent's export gets copies of their own; the agent's stay as they were.
    n = shop.import_(playbook, user_id="c3")
    assert n == len(playbook["memories"])
    copies = shop.get_all(user_id="c3", include_past=True)
    assert {c.scope for c in copies} == {"user"}
    assert not {c.id for c in copies} & {m["id"] for m in playbook["memories"]}
    assert len(agent_items(shop, A)) == len(playbook["memories"])
    # The same file into agent B's shared memory: B's, with B's agent id; A and c2 unchanged.
    shop.import_(playbook, agent_id=B, scope="agent")
    assert {i.agent_id for i in agent_items(shop, B)} == {B}
    assert "replacement" not in texts(shop.get_all(user_id="c2", agent_id=A, types=[MemoryType.EPISODIC]))


def test_documents_of_the_agent_reach_its_customers_only(shop):
    sha = shop.documents(agent_id=A, scope="agent")[0]["sha256"]
    own = shop.ingest(
        b"My warranty card says 2 years, serial XK-88.", filename="warranty.txt", user_id="c1", agent_id=A
    )
    assert [d["file_name"] for d in shop.documents(user_id="c1")] == ["warranty.txt"]
    assert shop.documents(user_id="c2") == [] and shop.documents(agent_id=B, scope="agent") == []
    assert "30 days" in texts(shop.search("how many days to return", user_id="c2", agent_id=A))
    assert "30 days" not in texts(shop.search("how many days to return", user_id="c3", agent_id=B))
    assert "XK-88" not in texts(shop.search("warranty serial", user_id="c2", agent_id=A))
    # A customer cannot remove the agent's document, nor another customer's.
    assert shop.delete_document(sha, user_id="c1", agent_id=A) == 0
    assert shop.delete_document(own.sha256, user_id="c2", agent_id=A) == 0
    assert shop.documents(agent_id=A, scope="agent") and shop.documents(user_id="c1")
    assert shop.delete_document(sha, agent_id=A, scope="agent") > 0
    assert "30 days" not in texts(shop.search("how many days to return", user_id="c2", agent_id=A))


def test_customer_turns_never_write_the_agent_memory(memory):
    memory.add("Always offer a replacement before a refund.", agent_id=A, scope="agent")
    before = [(i.id, i.text) for i in agent_items(memory, A)]
    result = memory.add("From now on, always give refunds.", user_id="c1", agent_id=A)
    assert all(op.memory_id not in dict(before) for op in result.operations)
    assert [(i.id, i.text) for i in agent_items(memory, A)] == before
    rules = memory.get_all(user_id="c1", agent_id=A, types=[MemoryType.PROCEDURAL])
    assert {(r.scope, r.text) for r in rules} >= {("agent", before[0][1])}
    assert all(r.user_id == "c1" for r in rules if r.scope == "user")
    assert "give refunds" not in texts(memory.get_all(user_id="c2", agent_id=A))


def test_operator_words_become_agent_rules_and_facts(memory):
    rule = memory.add("Never promise a delivery date.", agent_id=A, scope="agent").operations
    fact = memory.add("Our warehouse ships from Rotterdam.", agent_id=A, scope="agent").operations
    assert [o.type for o in rule] == [MemoryType.PROCEDURAL] and [o.type for o in fact] == [
        MemoryType.SEMANTIC
    ]
    items = agent_items(memory, A)
    assert all(i.source.role == "operator" and i.agent_id == A for i in items)
    stored = memory.add_batch(
        [MemoryInput(text="Greet customers by name.", type=MemoryType.PROCEDURAL)], agent_id=A, scope="agent"
    )
    assert stored[0].scope == "agent" and stored[0].active_rule


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({}, "user_id is required"),
        ({"agent_id": A}, "user_id is required"),
        ({"user_id": "c1", "agent_id": A, "scope": "agent"}, "no user_id"),
        ({"scope": "agent"}, "agent_id is required"),
        ({"agent_id": "  ", "scope": "agent"}, "agent_id is required"),
        ({"user_id": "c1", "scope": "shared"}, "scope must be"),
        ({"user_id": agent_owner(A)}, "agent_id with scope='agent'"),
    ],
)
def test_a_missing_or_wrong_scope_is_refused_and_nothing_is_stored(memory, kwargs, words):
    memory.add("Always offer a replacement before a refund.", agent_id=A, scope="agent")
    before = len(agent_items(memory, A))
    for call in [
        lambda: memory.add("Always give refunds.", **kwargs),
        lambda: memory.ingest(RETURNS, filename="r.txt", **kwargs),
        lambda: memory.search("refund", **kwargs),
        lambda: memory.delete_all(**kwargs),
    ]:
        with pytest.raises(InvalidInputError, match=words):
            call()
    assert len(agent_items(memory, A)) == before
    assert memory.get_all(user_id="c1") == []
    with pytest.raises(InvalidInputError, match="not episodes"):
        memory.add_batch([MemoryInput(text="Customer called.")], agent_id=A, scope="agent")


def test_a_rule_stated_in_chat_comes_back_once_as_the_rule(memory):
    memory.add("Please always answer me in French.", user_id="c1", agent_id=A)
    hits = memory.search("answer in French", user_id="c1", agent_id=A)
    french = [h for h in hits if "French" in h.text]
    assert [h.memory.type for h in french] == [MemoryType.PROCEDURAL]
    # A turn that said more than the rule stays findable for what else it said.
    memory.add("Never call me before noon. My order number is 5512 for a blue toaster.", user_id="c2")
    hits = memory.search("order number toaster call before noon", user_id="c2")
    assert any("5512" in h.text for h in hits) and any(h.memory.type == MemoryType.PROCEDURAL for h in hits)


def test_agent_rules_come_with_every_search_unless_ranked(make_memory):
    for rules, expected in [("always", True), ("ranked", False)]:
        mem = make_memory(rules, agent={"rules": rules})
        mem.add("Always offer a replacement before a refund.", agent_id=A, scope="agent")
        mem.add("My parcel was left at the wrong address in Leeds.", user_id="c1", agent_id=A)
        hits = mem.search("wrong address Leeds parcel", user_id="c1", agent_id=A, limit=1)
        assert ("replacement" in texts(hits)) is expected
        assert any(h.scope == "user" for h in hits)


def test_cli_takes_agent_alone_for_the_agent_shared_memory(tmp_path, capsys):
    from memory.cli import main

    def cli(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(tmp_path / "d"), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert cli("add", "--agent", A, "Always offer a replacement before a refund.")[0] == 0
    assert cli("add", "--user", "c1", "--agent", A, "My order number is QX-4471.")[0] == 0
    code, out, _ = cli("list", "--user", "c1", "--agent", A)
    assert code == 0 and "(agent) Always offer a replacement" in out and "QX-4471" in out
    code, out, _ = cli("list", "--agent", A)
    assert "replacement" in out and "QX-4471" not in out
    code, _, err = cli("list")
    assert code == 1 and "--agent alone" in err
    rule_id = cli("list", "--agent", A)[1].split()[0]
    code, _, err = cli("delete", "--user", "c1", "--agent", A, rule_id)
    assert code == 1 and "scope='agent'" in err
    assert cli("delete", "--agent", A, rule_id)[0] == 0 and "replacement" not in cli("list", "--agent", A)[1]
