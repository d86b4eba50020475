from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now, evaluated per row (never at import)."""
    return datetime.now(UTC)
