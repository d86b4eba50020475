"""Keep a posted step form whose sign-in had ended, and give it back to the same browser
after it signs in again, until a save from that page succeeds. Expired forms are removed
whenever a new one is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from belong.extensions import db
from belong.models import KeptForm, Region
from belong.models.base import as_utc, utcnow

KEEP_FOR = timedelta(days=1)
COOKIE = "belong_kept"  # holds the secret, in the browser that typed the text
FIELD = "kept"  # posted by the step form shown with kept text
SKIPPED = ("csrf_token", "action", FIELD)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def keep(region: Region, step_id: str, form: MultiDict) -> str:
    """Store the posted fields; returns the secret for the browser's cookie."""
    db.session.execute(delete(KeptForm).where(KeptForm.expires_at < utcnow()))
    raw = secrets.token_urlsafe(32)
    fields = [[name, value] for name, value in form.items(multi=True) if name not in SKIPPED]
    db.session.add(
        KeptForm(
            region_id=region.id,
            step_id=step_id,
            token_hash=_hash(raw),
            fields=fields,
            expires_at=utcnow() + KEEP_FOR,
        )
    )
    db.session.flush()
    return raw


def _kept(raw: str | None, region: Region, step_id: str) -> KeptForm | None:
    if not raw:
        return None
    kept = db.session.scalar(select(KeptForm).where(KeptForm.token_hash == _hash(raw)))
    if kept is None or kept.region_id != region.id or kept.step_id != step_id:
        return None
    return kept if as_utc(kept.expires_at) >= utcnow() else None


def find(raw: str | None, region: Region, step_id: str) -> MultiDict | None:
    """The kept fields for this step, or None. They stay kept until `forget`."""
    kept = _kept(raw, region, step_id)
    if kept is None:
        return None
    return MultiDict([(name, value) for name, value in kept.fields])


def forget(raw: str | None, region: Region, step_id: str) -> None:
    """The save that the kept text fed has succeeded: call in the save's transaction."""
    kept = _kept(raw, region, step_id)
    if kept is not None:
        db.session.delete(kept)
        db.session.flush()
