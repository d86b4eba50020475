"""Backups of the SQLite database: the online backup API (safe while the app runs, WAL
included), then an integrity check of the copy. PostgreSQL is backed up with pg_dump."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from belong.services.errors import DomainError


class BackupRefused(DomainError):
    """No backup was written; the message says why and what to do instead."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    integrity: str


def sqlite_path(database_uri: str) -> Path:
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite":
        raise BackupRefused(
            "This database is PostgreSQL: back it up with pg_dump, for example "
            '`pg_dump --format=custom --file=belong.dump "$DATABASE_URL"`, '
            "and restore with pg_restore."
        )
    if not url.database or url.database == ":memory:":
        raise BackupRefused("This SQLite database lives in memory; there is no file to back up.")
    return Path(url.database)


def default_target(instance_path: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(instance_path) / "backups" / f"belong-{stamp}.sqlite"


def backup_sqlite(database_uri: str, target: Path) -> BackupReport:
    source_path = sqlite_path(database_uri)
    if not source_path.exists():
        raise BackupRefused(f"There is no database file at {source_path}.")
    target = Path(target)
    if target.exists():
        raise BackupRefused(f"{target} exists already; choose another file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)  # page by page, consistent even while others write
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if integrity != "ok":
        partial.unlink(missing_ok=True)
        raise BackupRefused(f"The copy failed its integrity check ({integrity}); nothing kept.")
    partial.rename(target)
    return BackupReport(target, target.stat().st_size, integrity)
