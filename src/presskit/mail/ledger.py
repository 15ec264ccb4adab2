"""The ledger of sends, .presskit/sends.sqlite: what went to whom, so that each message goes exactly once."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    slug TEXT NOT NULL,
    version TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
    reply TEXT NOT NULL DEFAULT '',
    time TEXT NOT NULL,
    correction INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (slug, version, recipient)
)
"""


@dataclass(frozen=True)
class Entry:
    """One recipient's message of one version of a release."""

    slug: str
    version: str
    recipient: str
    message_id: str
    state: str
    reply: str
    time: str
    correction: bool
    text: str


def path_of(root: Path) -> Path:
    return root / ".presskit" / "sends.sqlite"


class Ledger:
    """The SQLite database in WAL mode; every change is committed before the next message is sent."""

    def __init__(self, root: Path):
        path = path_of(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def entries(self, slug: str | None = None) -> list[Entry]:
        query = "SELECT slug, version, recipient, message_id, state, reply, time, correction, text FROM sends"
        rows = self.db.execute(
            query + (" WHERE slug = ?" if slug else "") + " ORDER BY time, rowid", (slug,) if slug else ()
        )
        return [Entry(*row[:7], bool(row[7]), row[8]) for row in rows]

    def of(self, slug: str) -> dict[str, list[Entry]]:
        """Every entry of a release, by recipient address (lower case), oldest first."""
        found: dict[str, list[Entry]] = {}
        for entry in self.entries(slug):
            found.setdefault(entry.recipient.lower(), []).append(entry)
        return found

    def queue(self, slug: str, version: str, items: list[tuple[str, str]], correction: bool, text: str) -> None:
        """Record (recipient, Message-ID) pairs as queued, in one transaction; an existing entry is kept."""
        now = _now()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "INSERT OR IGNORE INTO sends (slug, version, recipient, message_id, state, time, correction, text)"
                " VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)",
                [(slug, version, rcpt, mid, now, int(correction), text) for rcpt, mid in items],
            )

    def mark(self, slug: str, version: str, recipient: str, state: str, reply: str) -> None:
        """A message accepted (`sent`) or refused for good (`failed`), committed at once."""
        self.db.execute(
            "UPDATE sends SET state = ?, reply = ?, time = ? WHERE slug = ? AND version = ? AND recipient = ?",
            (state, reply, _now(), slug, version, recipient),
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
