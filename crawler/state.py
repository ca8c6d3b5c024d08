"""The crawl's memory between scheduled runs, in SQLite.

``resources`` holds every resource's latest record with its validators (ETag,
Last-Modified) and a hash of its content; ``history`` names, for each run, the version
every resource of the roadmap had then; ``versions`` stores each distinct content once,
so a nightly run that changes nothing costs a row per resource, not a record. Every
write commits at once: a crawl killed with SIGKILL loses nothing it had fetched.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .records import VIDEO_KINDS, is_final

# Details of one fetch, not of the resource: they change without the resource changing.
FETCH_FIELDS = ("fetched_at", "etag", "last_modified")

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'running',
    pid INTEGER,
    counts TEXT
);
CREATE TABLE IF NOT EXISTS resources (
    id TEXT PRIMARY KEY,
    kind TEXT,
    status TEXT,
    etag TEXT,
    last_modified TEXT,
    hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    fetched_at TEXT,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (hash TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (
    run_id TEXT NOT NULL REFERENCES runs (id),
    resource_id TEXT NOT NULL,
    hash TEXT NOT NULL REFERENCES versions (hash),
    PRIMARY KEY (run_id, resource_id)
);
"""


class UnknownRun(LookupError):
    """A run id the state database does not hold; the message is one line for the user."""


class DamagedState(Exception):
    """A state database that cannot be used: not SQLite, truncated, or an older schema.
    The message is one line for the user."""


def _columns(db: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {
        table: {row[0] for row in db.execute("SELECT name FROM pragma_table_info(?)", (table,))}
        for table in tables
    }


def _schema_columns() -> dict[str, set[str]]:
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    columns = _columns(db)
    db.close()
    return columns


# The columns of every table this code reads and writes, from SCHEMA itself.
SCHEMA_COLUMNS = _schema_columns()


def state_path(settings) -> Path:
    """``STATE_DB``, or ``state.sqlite`` in the output folder when it is not set."""
    return Path(settings.get("STATE_DB") or Path(settings.get("OUTPUT_DIR")) / "state.sqlite")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content(record: dict) -> dict:
    """The record without the details of the fetch that produced it."""
    return {k: v for k, v in record.items() if k not in FETCH_FIELDS}


def content_hash(record: dict) -> str:
    text = json.dumps(content(record), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Freshness:
    """How long a stored record is reused without asking its source again, in days."""

    papers: float = 30.0
    videos: float = 7.0
    repos: float = 1.0
    pages: float = 3.0

    @classmethod
    def from_settings(cls, settings) -> Freshness:
        return cls(
            *(
                settings.getfloat(f"FRESHNESS_{group.upper()}_DAYS")
                for group in ("papers", "videos", "repos", "pages")
            )
        )

    def max_age(self, record: dict) -> timedelta:
        if record.get("source") == "arxiv":
            days = self.papers
        elif record.get("source") == "github":
            days = self.repos
        elif record.get("kind") in VIDEO_KINDS:
            days = self.videos
        else:
            days = self.pages
        return timedelta(days=days)

    def is_fresh(self, record: dict, now: datetime) -> bool:
        if not is_final(record.get("status")) or not record.get("fetched_at"):
            return False
        fetched = datetime.fromisoformat(record["fetched_at"].replace("Z", "+00:00"))
        return now - fetched < self.max_age(record)


class StateDB:
    """The state database: open it, write records and runs, read snapshots."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)  # autocommit: each write lands
        try:
            self._check()  # first: switching to WAL would already write to a damaged file
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a killed process
            self.db.executescript(SCHEMA)
        except (sqlite3.DatabaseError, DamagedState) as error:
            self.db.close()
            raise DamagedState(f"{self.path} is damaged ({error})") from None

    def _check(self) -> None:
        """Raise DamagedState unless every page reads and every table has today's columns."""
        problems = [row[0] for row in self.db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise DamagedState(" ".join(" ".join(problems).split())[:200])
        for table, columns in _columns(self.db).items():
            missing = SCHEMA_COLUMNS.get(table, set()) - columns
            if missing:
                raise DamagedState(f"an older schema: {table} has no {', '.join(sorted(missing))}")

    def close(self) -> None:
        self.db.close()

    # Runs.
    def begin_run(self) -> str:
        """A new run, named by its UTC start time; runs left 'running' were killed."""
        self.db.execute("UPDATE runs SET outcome = 'killed' WHERE outcome = 'running'")
        started = utc_now()
        run_id = base = started.replace("-", "").replace(":", "")
        suffix = 1
        while self.db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone():
            suffix += 1
            run_id = f"{base}-{suffix}"
        self.db.execute(
            "INSERT INTO runs (id, started_at, pid) VALUES (?, ?, ?)", (run_id, started, os.getpid())
        )
        return run_id

    def finish_run(self, run_id: str, outcome: str, counts: dict) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, outcome = ?, counts = ? WHERE id = ?",
            (utc_now(), outcome, json.dumps(counts), run_id),
        )

    def runs(self) -> list[dict]:
        """Every run, oldest first."""
        rows = self.db.execute(
            "SELECT id, started_at, finished_at, outcome, counts FROM runs ORDER BY started_at, id"
        ).fetchall()
        return [
            {
                "id": r[0],
                "started_at": r[1],
                "finished_at": r[2],
                "outcome": r[3],
                "counts": json.loads(r[4]) if r[4] else {},
            }
            for r in rows
        ]

    def complete_runs(self) -> list[str]:
        return [run["id"] for run in self.runs() if run["outcome"] == "complete"]

    # Records.
    def save(self, run_id: str, record: dict) -> None:
        """The record as the resource's latest, and as its version in this run."""
        digest = content_hash(record)
        with self.db:  # one transaction: the record and its history land together or not at all
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT OR IGNORE INTO versions (hash, record) VALUES (?, ?)",
                (digest, json.dumps(content(record), ensure_ascii=False)),
            )
            self.db.execute(
                """INSERT INTO resources (id, kind, status, etag, last_modified, hash, first_seen,
                                          fetched_at, record)
                   VALUES (:id, :kind, :status, :etag, :last_modified, :hash, :now, :fetched_at,
                           :record)
                   ON CONFLICT (id) DO UPDATE SET kind = :kind, status = :status, etag = :etag,
                       last_modified = :last_modified, hash = :hash, fetched_at = :fetched_at,
                       record = :record""",
                {
                    "id": record["id"],
                    "kind": record.get("kind"),
                    "status": record.get("status"),
                    "etag": record.get("etag"),
                    "last_modified": record.get("last_modified"),
                    "hash": digest,
                    "now": utc_now(),
                    "fetched_at": record.get("fetched_at"),
                    "record": json.dumps(record, ensure_ascii=False),
                },
            )
            self.db.execute(
                "INSERT OR REPLACE INTO history (run_id, resource_id, hash) VALUES (?, ?, ?)",
                (run_id, record["id"], digest),
            )

    def latest(self) -> dict[str, dict]:
        """Every resource's latest record, validators included, by id."""
        return {row[0]: json.loads(row[1]) for row in self.db.execute("SELECT id, record FROM resources")}

    def snapshot(self, run_id: str) -> dict[str, dict]:
        """The records of every resource as run ``run_id`` left them, by id."""
        if not self.db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone():
            raise UnknownRun(f"no run {run_id!r} in {self.path}")
        rows = self.db.execute(
            "SELECT h.resource_id, v.record FROM history h "
            "JOIN versions v ON v.hash = h.hash WHERE h.run_id = ?",
            (run_id,),
        )
        return {resource_id: json.loads(record) for resource_id, record in rows}


def read_latest(path: Path) -> dict[str, dict]:
    """The latest records of the state database at ``path``; none when there is none yet
    or it is damaged (the run's StatePipeline sets a damaged one aside)."""
    if not path.exists():
        return {}
    try:
        state = StateDB(path)
    except DamagedState:
        return {}
    try:
        return state.latest()
    finally:
        state.close()


def open_or_set_aside(path: Path) -> tuple[StateDB, str | None]:
    """The state database at ``path``; a damaged one is first moved aside, with its WAL
    files, to ``<name>.corrupt-<time>``, and a one-line message says so."""
    try:
        return StateDB(path), None
    except DamagedState as error:
        aside = path.with_name(f"{path.name}.corrupt-{utc_now().replace(':', '')}")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{path}{suffix}").exists():
                os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        return StateDB(path), f"{error}; moved to {aside.name}, so this run fetches every link again"
