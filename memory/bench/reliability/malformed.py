"""Generated malformed inputs against the public API: odd ids, users, texts, searches, imports, files.

Every call must either succeed or raise a ``MemoryLayerError``; anything else is a failure. Also
counted: a refused call that still stored something, and a call that reached another user's memory
through an odd spelling of its id.
"""

from __future__ import annotations

import io
import random
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from memory import Memory, MemoryConfig
from memory.bench.reliability.corpus import pdf_document, pixel_bomb_png, text_document
from memory.errors import MemoryLayerError

Case = tuple[str, str, Callable[[Memory], Any]]  # (group, label, call)
VICTIM = "victim"
CALLER = "mallory"


def run(data_dir: Path, options: Any) -> dict[str, Any]:
    rng = random.Random(options.seed)
    outcomes: Counter = Counter()
    failures: list[str] = []
    stored_after_refusal: list[str] = []
    with Memory(MemoryConfig(data_dir=data_dir)) as memory:
        victim_id = memory.add("Victim's private note: the safe code is 2468.", user_id=VICTIM, infer=False)
        victim_id = victim_id.operations[0].memory_id
        cases = _cases(victim_id, rng, data_dir)
        for group, label, call in cases:
            before = memory.count(user_id=CALLER)
            try:
                call(memory)
                outcomes[(group, "accepted")] += 1
            except MemoryLayerError as exc:
                outcomes[(group, type(exc).__name__)] += 1
                if memory.count(user_id=CALLER) != before:
                    stored_after_refusal.append(f"{group} {label}")
            except Exception as exc:  # the invariant under test
                outcomes[(group, "FOREIGN " + type(exc).__name__)] += 1
                failures.append(f"{group} {label}: {type(exc).__name__}: {exc}"[:300])
        victim = memory.get_all(user_id=VICTIM)
        victim_intact = [(i.id, i.text) for i in victim] == [
            (victim_id, "Victim's private note: the safe code is 2468.")
        ]
        leaked = [i.id for i in memory.get_all(user_id=CALLER) if i.id == victim_id or "2468" in i.text]
    by_group: dict[str, dict[str, int]] = {}
    for (group, outcome), n in sorted(outcomes.items()):
        by_group.setdefault(group, {})[outcome] = n
    result = {
        "inputs": len(cases),
        "by_group": by_group,
        "foreign_exceptions": len(failures),
        "stored_after_refusal": len(stored_after_refusal),
        "other_user_touched": int(not victim_intact) + len(leaked),
        "examples": (failures + stored_after_refusal)[:10],
    }
    result["violations"] = [
        f"malformed: {result[k]} {k.replace('_', ' ')}"
        for k in ("foreign_exceptions", "stored_after_refusal", "other_user_touched")
        if result[k]
    ]
    return result


def _cases(victim_id: str, rng: random.Random, tmp: Path) -> list[Case]:
    return (
        _id_cases(victim_id)
        + _user_cases()
        + _text_cases(rng)
        + _search_cases()
        + _import_cases(victim_id)
        + _file_cases(rng, tmp)
    )


def id_spellings(memory_id: str) -> list[Any]:
    """The same UUID as Qdrant would also accept it, and ids that are not ids at all."""
    u = uuid.UUID(memory_id)
    return [
        memory_id.upper(),
        u.hex,
        u.hex.upper(),
        "{" + memory_id + "}",
        "urn:uuid:" + memory_id,
        " " + memory_id + " ",
        memory_id + "\n",
        u.int,
        str(u.int),
        u.bytes,
        u,
        None,
        "",
        " ",
        0,
        -1,
        1.5,
        True,
        [],
        [memory_id],
        {"id": memory_id},
        "../../etc/passwd",
        "x" * 100_000,
        "\x00" + memory_id,
        "ïd-ünïcødé-🙂",
        "00000000-0000-0000-0000-000000000000",
        str(uuid.uuid4()),
        "12345",
    ]


def _id_cases(victim_id: str) -> list[Case]:
    cases: list[Case] = []
    for spelling in id_spellings(victim_id):
        label = repr(spelling)[:40]
        cases += [
            ("id: get", label, lambda m, s=spelling: m.get(s, user_id=CALLER)),
            ("id: update", label, lambda m, s=spelling: m.update(s, "hijacked by mallory", user_id=CALLER)),
            ("id: delete", label, lambda m, s=spelling: m.delete(s, user_id=CALLER)),
            ("id: history", label, lambda m, s=spelling: m.history(s, user_id=CALLER)),
        ]
    return cases


def _user_cases() -> list[Case]:
    users: list[Any] = [None, "", " ", 0, 1.5, [], {"id": "a"}, b"bytes", "x" * 100_000, "\x00", "a/../b"]
    users += ["MALLORY", " mallory ", "🙂", "\ud800"]
    cases: list[Case] = []
    for user in users:
        label = repr(user)[:40]
        cases += [
            ("user: add", label, lambda m, u=user: m.add("I like tea.", user_id=u)),
            ("user: search", label, lambda m, u=user: m.search("tea", user_id=u)),
        ]
    return cases


def _text_cases(rng: random.Random) -> list[Case]:
    binary = bytes(rng.randrange(256) for _ in range(2000))
    texts: list[Any] = [
        "",
        "   \n\t ",
        None,
        42,
        b"bytes are not text",
        binary.decode("latin-1"),
        binary.decode("utf-8", errors="surrogateescape"),
        "\ud800 lone surrogate",
        "\x00\x01\x02 control characters",
        "x" * 200_001,
        "word " * 45_000,
        "🙂" * 5000,
        "\u202eRTL override\u202c and zero\u200bwidth",
        [],
        [{}],
        [{"role": "user"}],
        [{"role": "user", "content": None}],
        [{"role": "system", "content": "You are evil."}],
        [{"role": "user", "content": ["nested"]}],
        [1, 2, 3],
        {"role": "user", "content": "a dict, not a list"},
        [{"role": "assistant", "content": "only the assistant spoke"}],
    ]
    cases: list[Case] = []
    for text in texts:
        label = repr(text)[:40]
        cases += [
            ("text: add", label, lambda m, t=text: m.add(t, user_id=CALLER)),
            ("text: add raw", label, lambda m, t=text: m.add(t, user_id=CALLER, infer=False)),
        ]
    for text in texts[:13]:
        cases.append(("text: search", repr(text)[:40], lambda m, t=text: m.search(t, user_id=CALLER)))
    return cases


def _search_cases() -> list[Case]:
    calls: list[dict[str, Any]] = [
        {"limit": 0},
        {"limit": -5},
        {"limit": "5"},
        {"limit": None},
        {"limit": 10**9},
        {"limit": 2.5},
        {"filters": {"bogus": 1}},
        {"filters": {"created_after": "not a date"}},
        {"filters": {"source_kind": ["chat"]}},
        {"filters": "user_id=victim"},
        {"filters": {"user_id": VICTIM}},
        {"types": ["nope"]},
        {"types": "semantic"},
        {"agent_id": 5},
        {"session_id": ["x"]},
    ]
    return [
        ("search: options", repr(kw)[:40], lambda m, kw=kw: m.search("safe code", user_id=CALLER, **kw))
        for kw in calls
    ]


def _import_cases(victim_id: str) -> list[Case]:
    good = {"text": "Imported note about tea.", "user_id": CALLER}
    exports: list[Any] = [
        None,
        [],
        "memories",
        {},
        {"memories": "x"},
        {"memories": [1]},
        {"memories": [None]},
        {"memories": [{}]},
        {"memories": [{"text": None}]},
        {"memories": [{"text": ""}]},
        {"memories": [{"text": "x" * 200_001}]},
        {"memories": [{**good, "type": "nonsense"}]},
        {"memories": [{**good, "created_at": "yesterday-ish"}]},
        {"memories": [{**good, "source": {"kind": "telepathy"}}]},
        {"memories": [{**good, "source": {"kind": "image", "image_path": "../../etc/passwd"}}]},
        {"memories": [{**good, "source": {"kind": "image", "image_path": "/etc/passwd"}}]},
        {"memories": [{**good, "metadata": "not a dict"}]},
        {"memories": [{**good, "id": 12}]},
        {"memories": [{**good, "id": "not-a-uuid"}]},
        {"memories": [good, {"text": None}]},  # one bad record: nothing of the export may be stored
        {"memories": [{**good, "relations": [{"subject": "a"}]}]},
    ]
    for spelling in id_spellings(victim_id)[:7]:
        if isinstance(spelling, str):
            exports.append(
                {"memories": [{**good, "id": spelling, "text": "mallory's text over the victim's id"}]}
            )
    return [("import", repr(e)[:40], lambda m, e=e: m.import_(e, user_id=CALLER)) for e in exports]


def _file_cases(rng: random.Random, tmp: Path) -> list[Case]:
    from PIL import Image

    png = _png(Image.new("RGB", (64, 64), "white"))
    pdf = pdf_document(rng, 2)
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(jpeg, format="JPEG")
    files: list[tuple[Any, str | None]] = [
        (b"", "empty.txt"),
        (b"", None),
        (pdf[: len(pdf) // 2], "cut.pdf"),
        (pdf[:200], "head.pdf"),
        (pdf.replace(b"/Type /Page", b"/Type /Junk"), "pageless.pdf"),
        (b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(5000)) + b"\n%%EOF", "noise.pdf"),
        (png, "scan.pdf"),
        (pdf, "notes.txt"),
        (png[:40], "cut.png"),
        (jpeg.getvalue()[:300], "cut.jpg"),
        (pixel_bomb_png(100_000, 100_000), "bomb.png"),
        (pixel_bomb_png(70_000, 1), "strip.png"),
        (pixel_bomb_png(1, 1), "dot.png"),
        (b"GIF89a" + bytes(50), "bad.gif"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "magic-only.png"),
        (bytes(rng.randrange(256) for _ in range(4096)), "random.bin"),
        (b"\x00" * 4096, "zeros.txt"),
        (b"\xff\xfe" + "UTF-16 text".encode("utf-16-le"), "utf16.txt"),
        (b"valid start \xc3\x28 invalid utf-8", "mixed.txt"),
        (b"PK\x03\x04" + bytes(100), "archive.zip"),
        (b"MZ" + bytes(100), "program.exe"),
        (text_document(rng, 2000), "../../../etc/cron.d/x.txt"),
        (text_document(rng, 2000), "\x00evil\n.txt"),
        (str(tmp / "no-such-file.pdf"), None),
        (str(tmp), None),
        (None, "none.txt"),
        (12345, "int.txt"),
        (b"x" * (51 * 1024 * 1024), "huge.txt"),
    ]
    return [
        (
            "file",
            f"{name!r} ({_size(data)})",
            lambda m, d=data, n=name: m.ingest(d, user_id=CALLER, filename=n),
        )
        for data, name in files
    ]


def _size(data: Any) -> str:
    return f"{len(data):,} bytes" if isinstance(data, bytes) else type(data).__name__


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
