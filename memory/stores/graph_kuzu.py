"""Graph memory in Kuzu (embedded, on disk): per-user entities and relations with validity intervals.

Every Kuzu call of the project lives in this file. The engine is Kuzu 0.11.3 (archived upstream) or
its maintained fork LadybugDB (``graph_store.engine = ladybug``), which has the same API: only the
module that opens the database differs. Edges are closed (``valid_to`` set), not deleted, when a fact stops holding; only an
explicit user delete (``forget_memory``, ``delete_user``, ``reset``) removes data for good.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from memory.checks import check_limit
from memory.errors import ConfigError, InvalidInputError, StoreError, StoreLockedError
from memory.stores.base import GraphEdge
from memory.stores.entity_names import (
    SELF_NAME,
    EntityForms,
    NameIndex,
    mentioned_entities,
    names_compatible,
    normalise_name,
    normalise_relation,
)
from memory.stores.graph_adjacency import Adjacency, EdgeRow
from memory.types import Relation

Embed = Callable[[list[str]], list[list[float]]]

DB_FILE = "graph.kuzu"
# engine -> (Python module, database file, native extension). Each engine keeps its own file (the
# formats differ), and one process can load only one of them: both native extensions register the
# same pybind11 type names, so the second import fails.
ENGINES = {
    "kuzu": ("kuzu", DB_FILE, "kuzu._kuzu"),
    "ladybug": ("ladybug", "graph.lbug", "ladybug._lbug"),
}
MERGE_COSINE = 0.9  # a new name this close to an existing, compatible one is the same entity

# Relations that hold one value at a time: a new value closes the subject's current edge.
FUNCTIONAL_RELATIONS = frozenset(
    {
        "lives_in",
        "works_at",
        "works_as",
        "works_for",
        "job_title",
        "married_to",
        "engaged_to",
        "dating",
        "name_is",
        "age_is",
        "studies_at",
        "drives",
        "phone_number",
        "email",
    }
)
FUNCTIONAL_PREFIXES = ("favourite_", "favorite_", "current_")
DEFAULT_FUNCTIONAL_SUFFIXES = ("_is",)

_SCHEMA = (
    "CREATE NODE TABLE IF NOT EXISTS Entity("
    "id STRING PRIMARY KEY, user_id STRING, name STRING, norm STRING, type STRING, aliases STRING[])",
    "CREATE REL TABLE IF NOT EXISTS Rel(FROM Entity TO Entity, relation STRING, memory_id STRING, "
    "valid_from TIMESTAMP, valid_to TIMESTAMP, user_id STRING)",
)
_EDGE_COLUMNS = "a.name, r.relation, b.name, r.memory_id, r.valid_from, r.valid_to, a.id, b.id"
_EDGE_ROW = f"{_EDGE_COLUMNS}, ID(r)"  # an ``EdgeRow``: the columns and the engine's edge id
_LOCK_MARKER = "could not set lock on file"


BUFFER_POOL_BYTES = 256 * 1024**2  # Kuzu's default takes 80% of the machine's memory


def entity_id(user_id: str, norm: str) -> str:
    """Node key derived from the owner and the normalised name: two users never share a node."""
    return hashlib.sha256(f"{user_id}\x1f{norm}".encode()).hexdigest()[:32]


def open_engine(engine: str) -> tuple[Any, str]:
    """The engine's Python module and the name of its database file."""
    if engine not in ENGINES:
        raise ConfigError(f"Unknown graph engine {engine!r}; use one of {sorted(ENGINES)}.")
    module, db_file, _ = ENGINES[engine]
    for other, (_, _, native) in ENGINES.items():
        if other != engine and native in sys.modules:
            raise ConfigError(
                f"This process already uses the {other} graph engine; {engine} cannot be loaded beside it "
                "(their native modules clash). Use one graph engine per process."
            )
    try:
        return importlib.import_module(module), db_file
    except ImportError as exc:
        raise ConfigError(f"graph_store.engine={engine} needs the {module!r} package: {exc}") from exc


def _to_db_time(moment: datetime) -> datetime:
    """Kuzu TIMESTAMP is naive UTC; naive input is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _from_db_time(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None else None


_SIDE_FILES = ("", ".wal", ".shadow", ".tmp")  # the database file, its write-ahead log and shadow pages


def _remove_db_files(db_file: Path) -> None:
    for suffix in _SIDE_FILES:
        db_file.with_name(db_file.name + suffix).unlink(missing_ok=True)


def _clean(text: str) -> str:
    return " ".join(text.split())


@dataclass
class _Entity:
    id: str
    name: str
    norm: str
    type: str
    aliases: list[str]

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.norm, *(normalise_name(a) for a in self.aliases))


@dataclass
class _UserIndex:
    """A user's entities by id and by every normalised form they answer to (name and aliases)."""

    by_id: dict[str, _Entity] = field(default_factory=dict)
    by_form: dict[str, _Entity] = field(default_factory=dict)
    _names: dict[str, NameIndex] = field(default_factory=dict)  # "name"/"id" -> index, built when asked

    def add(self, entity: _Entity) -> None:
        self.by_id[entity.id] = entity
        for form in entity.forms:
            self.by_form.setdefault(form, entity)
        self._names.clear()

    def add_alias(self, entity: _Entity, name: str) -> None:
        entity.aliases.append(name)
        self.by_form.setdefault(normalise_name(name), entity)
        self._names.clear()

    def names(self, by: str) -> NameIndex:
        """The entities (the user's own node left out) for text matching, answering with their
        display name (``by="name"``) or id."""
        index = self._names.get(by)
        if index is None:
            index = self._names[by] = NameIndex(
                EntityForms(e.name if by == "name" else e.id, e.forms)
                for e in self.by_id.values()
                if e.norm != SELF_NAME
            )
        return index


@dataclass
class _Handle:
    """One open database per directory and process, shared by every store object opened on it.

    Two ``kuzu.Database`` objects on one directory do not see each other's writes, so a second store
    on the same path reuses the first one's database, connection, lock and entity cache.
    """

    db: Any  # kuzu.Database or ladybug.Database
    conn: Any
    lock: threading.RLock = field(default_factory=threading.RLock)
    entities: dict[str, _UserIndex] = field(default_factory=dict)  # user_id -> that user's entities
    edges: dict[str, Adjacency] = field(default_factory=dict)  # user_id -> that user's edges, once read
    # Parameterised queries are prepared once: kuzu 0.11's execute(query, params) keeps ~6 KB per
    # call that is never freed (measured), a prepared statement reused does not.
    prepared: dict[str, Any] = field(default_factory=dict)
    refs: int = 0

    def execute(self, query: str, params: dict[str, Any]) -> Any:
        if not params:
            return self.conn.execute(query)
        statement = self.prepared.get(query)
        if statement is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                statement = self.prepared[query] = self.conn.prepare(query)
        return self.conn.execute(statement, params)


_HANDLES: dict[tuple[Path, str], _Handle] = {}
_HANDLES_LOCK = threading.Lock()


class KuzuGraphStore:
    """GraphStore on one embedded Kuzu database; one connection shared by threads behind a lock.

    Stores opened on the same directory in one process share the database; another process gets
    ``StoreLockedError``.
    """

    def __init__(
        self,
        path: Path,
        embed: Embed | None = None,
        *,
        functional_suffixes: Iterable[str] = DEFAULT_FUNCTIONAL_SUFFIXES,
        merge_cosine: float = MERGE_COSINE,
        engine: str = "kuzu",
    ) -> None:
        self.path = Path(path)
        self.engine = engine
        self._embed = embed
        self._functional_suffixes = tuple(functional_suffixes)
        self._merge_cosine = merge_cosine
        self._vectors: dict[str, np.ndarray] = {}  # normalised name -> unit vector
        self._handle: _Handle | None = self._open()
        self._lock = self._handle.lock
        self._entities = self._handle.entities
        self._adjacency = self._handle.edges
        for statement in _SCHEMA:
            self._run(statement)

    def _open(self) -> _Handle:
        with _HANDLES_LOCK:
            try:
                module, db_file = open_engine(self.engine)
                self.path.mkdir(parents=True, exist_ok=True)
                key = (self.path.resolve(), self.engine)
                handle = _HANDLES.get(key)
                if handle is None:
                    db = module.Database(str(key[0] / db_file), buffer_pool_size=BUFFER_POOL_BYTES)
                    handle = _HANDLES[key] = _Handle(db, module.Connection(db))
            except ConfigError:
                raise
            except Exception as exc:
                raise self._translate(exc, "open") from exc
            handle.refs += 1
            return handle

    # -- plumbing -------------------------------------------------------------------------------

    def _translate(self, exc: Exception, action: str) -> StoreError:
        if _LOCK_MARKER in str(exc).lower():
            return StoreLockedError(
                f"The graph database at {self.path} is in use by another process (only one app "
                "process can open a data directory; use a Qdrant server and one writer to scale out)"
            )
        return StoreError(f"Graph store ({self.path}) could not {action}: {exc}")

    def _run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        with self._lock:
            if self._handle is None:
                raise StoreError(f"The graph store at {self.path} is closed")
            try:
                result = self._handle.execute(query, params or {})
                rows = result.get_all()
                result.close()
            except Exception as exc:
                raise self._translate(exc, "run a query") from exc
            return rows

    @contextmanager
    def _transaction(self, user_id: str | None) -> Iterator[None]:
        """All statements inside commit together or not at all; a failure drops the entity cache."""
        with self._lock:
            self._run("BEGIN TRANSACTION")
            try:
                yield
            except BaseException:
                self._invalidate(user_id)
                with suppress(StoreError):
                    self._run("ROLLBACK")
                raise
            self._run("COMMIT")

    @staticmethod
    def _check_user(user_id: str) -> None:
        if not isinstance(user_id, str) or not user_id.strip():
            raise InvalidInputError("user_id is required for every graph store call")

    def _user_entities(self, user_id: str) -> _UserIndex:
        with self._lock:
            cached = self._entities.get(user_id)
            if cached is None:
                rows = self._run(
                    "MATCH (e:Entity) WHERE e.user_id = $u RETURN e.id, e.name, e.norm, e.type, e.aliases",
                    {"u": user_id},
                )
                cached = _UserIndex()
                for r in rows:
                    cached.add(_Entity(r[0], r[1], r[2], r[3] or "", list(r[4] or [])))
                self._entities[user_id] = cached
            return cached

    def _invalidate(self, user_id: str | None = None) -> None:
        """Drop what is held in memory for a user (every user when None); it is read again when needed."""
        with self._lock:
            if user_id is None:
                self._entities.clear()
                self._adjacency.clear()
            else:
                self._entities.pop(user_id, None)
                self._adjacency.pop(user_id, None)

    @staticmethod
    def _row(row: list[Any]) -> EdgeRow:
        key = row[8]
        return EdgeRow(*row[:8], key=(key["table"], key["offset"]) if isinstance(key, dict) else key)

    def _user_edges(self, user_id: str) -> Adjacency:
        with self._lock:
            held = self._adjacency.get(user_id)
            if held is None:
                rows = self._run(
                    f"MATCH (a:Entity)-[r:Rel]->(b:Entity) WHERE r.user_id = $u RETURN {_EDGE_ROW}",
                    {"u": user_id},
                )
                held = self._adjacency[user_id] = Adjacency(self._row(r) for r in rows)
            return held

    def _reread_edges(self, user_id: str, where: str, params: dict[str, Any]) -> None:
        """Re-read the edges a write touched into the user's held edges, if they are held."""
        with self._lock:
            held = self._adjacency.get(user_id)
            if held is not None:
                rows = self._run(
                    f"MATCH (a:Entity)-[r:Rel]->(b:Entity) WHERE r.user_id = $u AND ({where}) RETURN {_EDGE_ROW}",
                    {"u": user_id, **params},
                )
                held.upsert(self._row(r) for r in rows)

    def _is_functional(self, relation: str) -> bool:
        return (
            relation in FUNCTIONAL_RELATIONS
            or relation.startswith(FUNCTIONAL_PREFIXES)
            or any(relation.endswith(s) for s in self._functional_suffixes)
        )

    # -- entity resolution ----------------------------------------------------------------------

    def _vectors_for(self, norms: list[str]) -> None:
        missing = sorted({n for n in norms if n not in self._vectors})
        if not missing or self._embed is None:
            return
        try:
            vectors = np.asarray(self._embed(missing), dtype=np.float32)
        except Exception as exc:
            raise StoreError(f"Graph store could not embed entity names: {exc}") from exc
        norms_ = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms_ == 0, 1.0, norms_)
        self._vectors.update(zip(missing, vectors, strict=True))

    def _similar(self, entities: _UserIndex, norm: str) -> _Entity | None:
        """The closest existing entity by embedding, if it is close enough and its name compatible.
        The cosine (a dot product) is checked before the name comparison, which costs far more."""
        if self._embed is None or norm not in self._vectors:
            return None
        target = self._vectors[norm]
        best, best_score = None, self._merge_cosine
        for entity in entities.by_id.values():
            vector = self._vectors.get(entity.norm)
            if vector is None or entity.norm == SELF_NAME:
                continue
            score = float(vector @ target)
            if score >= best_score and names_compatible(norm, entity.norm):
                best, best_score = entity, score
        return best

    def _resolve(self, user_id: str, entities: _UserIndex, raw: str, new: list[_Entity]) -> _Entity:
        """The user's entity a name means; a new one is added to the index and to ``new``, which the
        caller writes (``_create_entities``) before any edge that uses it."""
        name = _clean(raw)
        norm = normalise_name(name)
        entity = entities.by_form.get(norm)
        if entity is not None:
            return entity
        entity = self._similar(entities, norm)
        if entity is not None:
            entities.add_alias(entity, name)
            self._run(
                "MATCH (e:Entity) WHERE e.id = $id SET e.aliases = $aliases",
                {"id": entity.id, "aliases": entity.aliases},
            )
            return entity
        is_self = norm == SELF_NAME
        entity = _Entity(
            entity_id(user_id, norm), SELF_NAME if is_self else name, norm, "self" if is_self else "", []
        )
        entities.add(entity)
        new.append(entity)
        return entity

    def _create_entities(self, user_id: str, new: list[_Entity]) -> None:
        if new:
            self._run(
                "UNWIND $rows AS row MERGE (e:Entity {id: row.id}) ON CREATE SET e.user_id = $u, "
                "e.name = row.name, e.norm = row.norm, e.type = row.type, e.aliases = row.aliases",
                {
                    "u": user_id,
                    "rows": [
                        {
                            "id": e.id,
                            "name": e.name,
                            "norm": e.norm,
                            "type": e.type,
                            "aliases": list(e.aliases),
                        }
                        for e in new
                    ],
                },
            )

    # -- writes ---------------------------------------------------------------------------------

    def add_relations(self, user_id: str, memory_id: str, relations: list[Relation], at: datetime) -> None:
        """Resolve both ends of each triple to this user's entities and add the edge as current.

        A functional relation (``lives_in``...) closes the subject's current edge of the same name from
        another memory; a fact older than a later value is stored closed at that value's start.
        """
        self.add_relations_batch(user_id, [(memory_id, relations, at)])

    def add_relations_batch(self, user_id: str, batch: list[tuple[str, list[Relation], datetime]]) -> None:
        """``add_relations`` for many memories, in order, in one transaction: all of them or none."""
        self._check_user(user_id)
        for memory_id, relations, _ in batch:
            for rel in relations:
                if not _clean(rel.subject) or not _clean(rel.object) or not normalise_relation(rel.relation):
                    raise InvalidInputError(f"Relation {rel!r} of memory {memory_id} has an empty part")
        if not any(relations for _, relations, _ in batch):
            return
        with self._lock:
            entities = self._user_entities(user_id)
            names = [
                normalise_name(_clean(n)) for _, rels, _ in batch for r in rels for n in (r.subject, r.object)
            ]
            if self._embed is not None and any(n not in entities.by_form for n in names):
                self._vectors_for(names + [e.norm for e in entities.by_id.values()])
            closing: set[tuple[str, str]] = set()  # (subject id, relation) of functional edges
            plain: dict[tuple[str, str, str, str], dict[str, Any]] = {}  # the other edges, once each
            new: list[_Entity] = []
            with self._transaction(user_id):
                resolved = [
                    (
                        memory_id,
                        self._resolve(user_id, entities, rel.subject, new),
                        normalise_relation(rel.relation),
                        self._resolve(user_id, entities, rel.object, new),
                        _to_db_time(at),
                    )
                    for memory_id, relations, at in batch
                    for rel in relations
                ]
                self._create_entities(user_id, new)
                for memory_id, subject, relation, obj, moment in resolved:
                    if self._is_functional(relation):  # in order: each may close the one before
                        self._add_edge(user_id, memory_id, subject, relation, obj, moment)
                        closing.add((subject.id, relation))
                    else:
                        row = {"s": subject.id, "o": obj.id, "rel": relation, "m": memory_id, "at": moment}
                        plain.setdefault((subject.id, relation, obj.id, memory_id), row)
                if plain:
                    self._create_plain_edges(user_id, list(plain.values()))
            # The new edges, and the edges a functional relation closed.
            self._reread_edges(
                user_id,
                "r.memory_id IN $m OR (a.id IN $subjects AND r.relation IN $relations)",
                {
                    "m": sorted({memory_id for memory_id, _, _ in batch}),
                    "subjects": sorted({s for s, _ in closing}),
                    "relations": sorted({r for _, r in closing}),
                },
            )

    def _create_plain_edges(self, user_id: str, rows: list[dict[str, Any]]) -> None:
        """Edges of non-functional relations, in two statements at most. An edge is not created
        twice for a memory: only rows of memories that already have current edges (a replayed
        write) need that check, which costs a scan of the edges between the two entities."""
        held = {
            r[0]
            for r in self._run(
                "MATCH (:Entity)-[x:Rel]->(:Entity) WHERE x.user_id = $u AND x.memory_id IN $m "
                "AND x.valid_to IS NULL RETURN DISTINCT x.memory_id",
                {"u": user_id, "m": sorted({row["m"] for row in rows})},
            )
        }
        create = (
            "CREATE (a)-[:Rel {relation: row.rel, memory_id: row.m, valid_from: row.at, valid_to: NULL, "
            "user_id: $u}]->(b)"
        )
        match = "UNWIND $rows AS row MATCH (a:Entity), (b:Entity) WHERE a.id = row.s AND b.id = row.o "
        fresh = [row for row in rows if row["m"] not in held]
        again = [row for row in rows if row["m"] in held]
        if fresh:
            self._run(match + create, {"u": user_id, "rows": fresh})
        if again:
            self._run(
                match + "AND NOT EXISTS { MATCH (a)-[x:Rel]->(b) WHERE x.relation = row.rel "
                "AND x.memory_id = row.m AND x.valid_to IS NULL } " + create,
                {"u": user_id, "rows": again},
            )

    def _add_edge(
        self, user_id: str, memory_id: str, subject: _Entity, relation: str, obj: _Entity, at: datetime
    ) -> None:
        valid_to = None
        if self._is_functional(relation):
            params = {"s": subject.id, "o": obj.id, "rel": relation, "m": memory_id, "at": at}
            self._run(
                "MATCH (a:Entity)-[r:Rel]->(b:Entity) WHERE a.id = $s AND r.relation = $rel "
                "AND r.valid_to IS NULL AND r.memory_id <> $m AND b.id <> $o AND r.valid_from <= $at "
                "SET r.valid_to = $at",
                params,
            )
            later = self._run(
                "MATCH (a:Entity)-[r:Rel]->(b:Entity) WHERE a.id = $s AND r.relation = $rel "
                "AND r.memory_id <> $m AND b.id <> $o AND r.valid_from > $at RETURN min(r.valid_from)",
                params,
            )
            valid_to = later[0][0] if later else None
        self._run(
            "MATCH (a:Entity), (b:Entity) WHERE a.id = $s AND b.id = $o AND NOT EXISTS { "
            "MATCH (a)-[x:Rel]->(b) WHERE x.relation = $rel AND x.memory_id = $m AND x.valid_to IS NULL } "
            "CREATE (a)-[:Rel {relation: $rel, memory_id: $m, valid_from: $at, valid_to: $to, user_id: $u}]->(b)",
            {
                "s": subject.id,
                "o": obj.id,
                "rel": relation,
                "m": memory_id,
                "at": at,
                "to": valid_to,
                "u": user_id,
            },
        )

    def close_relations(self, user_id: str, memory_id: str, at: datetime) -> None:
        """The memory was updated or deleted: its edges stop being current (kept as past)."""
        self._check_user(user_id)
        self._run(
            "MATCH (:Entity)-[r:Rel]->(:Entity) WHERE r.user_id = $u AND r.memory_id = $m "
            "AND r.valid_to IS NULL SET r.valid_to = $at",
            {"u": user_id, "m": memory_id, "at": _to_db_time(at)},
        )
        self._reread_edges(user_id, "r.memory_id = $m", {"m": memory_id})

    def reopen_relations(self, user_id: str, memory_id: str, at: datetime) -> None:
        """Undo ``close_relations`` at exactly ``at``: a unit of work that closed them did not commit."""
        self._check_user(user_id)
        self._run(
            "MATCH (:Entity)-[r:Rel]->(:Entity) WHERE r.user_id = $u AND r.memory_id = $m "
            "AND r.valid_to = $at SET r.valid_to = NULL",
            {"u": user_id, "m": memory_id, "at": _to_db_time(at)},
        )
        self._reread_edges(user_id, "r.memory_id = $m", {"m": memory_id})

    def compact(self) -> None:
        """Rebuild the database from its live rows in a new file that replaces the old one: the engine
        does not overwrite freed pages, so erased names would otherwise stay on disk. Every other call
        waits meanwhile."""
        with self._lock, warnings.catch_warnings():
            handle = self._handle
            if handle is None:
                raise StoreError(f"The graph store at {self.path} is closed")
            nodes = self._run("MATCH (e:Entity) RETURN e.id, e.user_id, e.name, e.norm, e.type, e.aliases")
            edges = self._run(
                "MATCH (a:Entity)-[r:Rel]->(b:Entity) RETURN a.id, b.id, r.relation, r.memory_id, "
                "r.valid_from, r.valid_to, r.user_id"
            )
            module, name = open_engine(self.engine)
            db_file = self.path.resolve() / name
            fresh_file = db_file.with_name(name + ".compacting")
            _remove_db_files(fresh_file)
            db = module.Database(str(fresh_file), buffer_pool_size=BUFFER_POOL_BYTES)
            conn = module.Connection(db)
            try:
                for statement in _SCHEMA:
                    conn.execute(statement)
                warnings.simplefilter("ignore", DeprecationWarning)  # prepared statements: see _Handle
                insert_node = conn.prepare(
                    "CREATE (:Entity {id: $id, user_id: $u, name: $name, norm: $norm, type: $type, aliases: $aliases})"
                )
                for n in nodes:
                    conn.execute(
                        insert_node,
                        {
                            "id": n[0],
                            "u": n[1],
                            "name": n[2],
                            "norm": n[3],
                            "type": n[4],
                            "aliases": n[5] or [],
                        },
                    )
                insert_edge = conn.prepare(
                    "MATCH (a:Entity), (b:Entity) WHERE a.id = $a AND b.id = $b CREATE (a)-[:Rel {relation: $rel, "
                    "memory_id: $m, valid_from: $from, valid_to: $to, user_id: $u}]->(b)"
                )
                for e in edges:
                    conn.execute(
                        insert_edge,
                        {"a": e[0], "b": e[1], "rel": e[2], "m": e[3], "from": e[4], "to": e[5], "u": e[6]},
                    )
                conn.execute("CHECKPOINT")
            finally:
                conn.close()
                db.close()
            handle.prepared.clear()
            handle.edges.clear()  # the engine's edge ids change with the new file
            handle.conn.close()
            handle.db.close()
            _remove_db_files(db_file)
            for suffix in _SIDE_FILES:
                moved = fresh_file.with_name(fresh_file.name + suffix)
                if moved.exists():
                    moved.rename(db_file.with_name(db_file.name + suffix))
            handle.db = module.Database(str(db_file), buffer_pool_size=BUFFER_POOL_BYTES)
            handle.conn = module.Connection(handle.db)

    def forget_memory(self, user_id: str, memory_id: str) -> None:
        """Explicit user delete: remove the memory's edges for good, then entities left with none."""
        self._check_user(user_id)
        with self._transaction(user_id):
            self._run(
                "MATCH (:Entity)-[r:Rel]->(:Entity) WHERE r.user_id = $u AND r.memory_id = $m DELETE r",
                {"u": user_id, "m": memory_id},
            )
            self._run(
                "MATCH (e:Entity) WHERE e.user_id = $u AND NOT EXISTS { MATCH (e)-[:Rel]-(:Entity) } DELETE e",
                {"u": user_id},
            )
            self._invalidate(user_id)

    def delete_user(self, user_id: str) -> None:
        self._check_user(user_id)
        with self._lock:
            self._run("MATCH (e:Entity) WHERE e.user_id = $u DETACH DELETE e", {"u": user_id})
            self._invalidate(user_id)

    def reset(self) -> None:
        with self._lock:
            self._run("MATCH (e:Entity) DETACH DELETE e")
            self._invalidate()

    def close(self) -> None:
        with _HANDLES_LOCK, self._lock:
            handle, self._handle = self._handle, None
            if handle is None:
                return
            handle.refs -= 1
            if handle.refs == 0:
                _HANDLES.pop((self.path.resolve(), self.engine), None)
                handle.entities.clear()
                handle.edges.clear()
                handle.conn.close()
                handle.db.close()

    def __enter__(self) -> KuzuGraphStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- reads ----------------------------------------------------------------------------------

    @staticmethod
    def _edge(row: Sequence[Any]) -> GraphEdge:
        # Typed columns straight from the database: built without validation (a search reads dozens).
        return GraphEdge.model_construct(
            subject=row[0],
            relation=row[1],
            object=row[2],
            memory_id=row[3],
            valid_from=_from_db_time(row[4]),
            valid_to=_from_db_time(row[5]),
        )

    def _ids_for(self, user_id: str, names: list[str]) -> list[str]:
        entities = self._user_entities(user_id)
        ids: list[str] = []
        for name in names:
            entity = entities.by_form.get(normalise_name(_clean(name)))
            if entity is None:
                ids.extend(mentioned_entities(name, entities.names("id"))[:1])
            elif entity.id not in ids:
                ids.append(entity.id)
        return ids

    def neighbours(
        self, user_id: str, names: list[str], hops: int = 1, include_past: bool = False, limit: int = 200
    ) -> list[GraphEdge]:
        """Edges around the named entities (either direction), nearer hops first, newest first within a hop;
        current only by default. ``limit`` caps each hop, so a hub entity cannot flood the result."""
        self._check_user(user_id)
        if hops not in (1, 2):
            raise InvalidInputError(f"hops must be 1 or 2, not {hops}")
        with self._lock:
            frontier = self._ids_for(user_id, names)
            held = self._user_edges(user_id) if frontier else None
            seen_nodes = set(frontier)
            found: dict[tuple[Any, ...], GraphEdge] = {}
            for _ in range(hops):
                if not frontier or held is None:
                    break
                next_frontier: list[str] = []
                for row in held.around(frontier, include_past, limit):
                    key = (row.subject_id, row.relation, row.object_id, row.memory_id, row.valid_from)
                    if key not in found:
                        found[key] = held.made(row, self._edge)
                    for node in (row.subject_id, row.object_id):
                        if node not in seen_nodes:
                            seen_nodes.add(node)
                            next_frontier.append(node)
                frontier = next_frontier
            return list(found.values())

    def find_entities(self, user_id: str, text: str) -> list[str]:
        """Entity names of this user that the text mentions (exact or fuzzy), in order of mention."""
        self._check_user(user_id)
        with self._lock:
            names = self._user_entities(user_id).names("name")
        return mentioned_entities(text, names)

    def edges(self, user_id: str, include_past: bool = True, limit: int | None = None) -> list[GraphEdge]:
        """The user's edges, oldest first; with ``limit``, only the newest ``limit`` of them."""
        self._check_user(user_id)
        match = "MATCH (a:Entity)-[r:Rel]->(b:Entity) WHERE r.user_id = $u AND ($past OR r.valid_to IS NULL) "
        params = {"u": user_id, "past": include_past}
        if limit is None:
            rows = self._run(
                f"{match} RETURN {_EDGE_COLUMNS} ORDER BY r.valid_from, a.name, r.relation, b.name", params
            )
        else:
            rows = self._run(
                f"{match} RETURN {_EDGE_COLUMNS} ORDER BY r.valid_from DESC, a.name DESC, r.relation DESC, "
                "b.name DESC LIMIT $n",
                {**params, "n": check_limit(limit)},
            )[::-1]
        return [self._edge(row) for row in rows]

    def count_edges(self, user_id: str, include_past: bool = True) -> int:
        self._check_user(user_id)
        rows = self._run(
            "MATCH (:Entity)-[r:Rel]->(:Entity) WHERE r.user_id = $u AND ($past OR r.valid_to IS NULL) "
            "RETURN count(r)",
            {"u": user_id, "past": include_past},
        )
        return int(rows[0][0]) if rows else 0

    def entities(self, user_id: str, names: list[str] | None = None) -> list[dict[str, Any]]:
        """The user's entities for the graph view: name, type, aliases, degree (all edges, past too);
        with ``names``, only the entities of those names."""
        self._check_user(user_id)
        rows = self._run(
            "MATCH (e:Entity) WHERE e.user_id = $u AND ($every OR list_contains($names, e.name)) "
            "OPTIONAL MATCH (e)-[r:Rel]-(:Entity) "
            "RETURN e.name, e.type, e.aliases, count(r) AS degree ORDER BY degree DESC, e.name",
            {"u": user_id, "every": names is None, "names": list(names or [])},
        )
        return [
            {"name": r[0], "type": r[1] or "", "aliases": list(r[2] or []), "degree": int(r[3])} for r in rows
        ]
