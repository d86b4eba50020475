from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now, evaluated per row (never at import)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (SQLite hands back naive UTC ones)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# What a write to a row makes stale among the kept parts of pages (belong/page_cache.py).
# Every model says which it is; tests/test_page_cache_classes.py fails for one that does not.


class ShownInRegion:
    """Rows a region's pages show: a write to one bumps the region's content revision in the
    same flush (belong/models/revisions.py), so its kept parts are no longer asked for."""

    def shown_region_id(self) -> int | None:
        return self.region_id  # type: ignore[attr-defined]


class ShownEverywhere:
    """Rows every page shows in part (a person's name and rights in the header and lists): a
    change to one of `shown_fields`, or removing the row, bumps every region's revision."""

    shown_fields: tuple[str, ...] = ()


class NotShown:
    """Rows no kept part shows (bookkeeping, what reads write themselves, private text):
    writing them keeps every kept part."""
