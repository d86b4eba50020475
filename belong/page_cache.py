"""Rendered parts of busy pages, kept between requests under a key that changes with what
they show.

The key names the region and its content revision, the reader (their sign-in, hence their
role and their own input), their language and time zone, the page's address, the strategy
template and the code that rendered the part. Any write to a row that the region's pages
show bumps the content revision in the same transaction (the flush hook below), so a kept
part is never invalidated: it is no longer asked for, and ages out. Since the revision is
read before the content, a part can be newer than its key, never older.

Parts are kept in each process (cachelib's bounded SimpleCache) or, with REDIS_URL set, in
Redis, shared by workers and machines. A cache that fails is skipped: the part is rendered.

Busy pages are kept whole as well, layout included (`page`, `programme_page`): the layout
adds the reader's name, rights and unread count to the key, and a page with a flashed message
waiting is rendered and never kept. The body part stays kept beside it, so a new notification
renders the layout again but not the body.

CSRF tokens belong to a session: a part is kept with a placeholder in their place and gets
the reader's own token each time it is served.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale, get_timezone
from flask_caching import Cache
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import Session

from belong.config import ROOT
from belong.extensions import db
from belong.models import AuditEvent, Notification, Region, RegionSummary, User
from belong.models.kept_form import KeptForm
from belong.models.rendered_pdf import RenderedPdf
from belong.templating.registry import all_templates, get_template

log = logging.getLogger(__name__)
cache = Cache()

PLACEHOLDER = "\x00belong-csrf-token\x00"
# Rows with a region that no page part shows: bookkeeping, what reads write themselves, and
# text kept for a signed-out author (shown to them alone, on the recovery page).
NOT_SHOWN = (RegionSummary, RenderedPdf, AuditEvent, Notification, KeptForm)
# session.info: the regions whose content the transaction changed (a background render of
# their drafts follows the commit: belong/services/prerender.py).
CHANGED_REGIONS = "belong_changed_regions"
# A change to these of a person's details shows wherever their name or rights appear.
SHOWN_USER_FIELDS = ("name", "is_admin")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The templates, code and compiled translations this process renders with."""
    package = Path(__file__).resolve().parent
    files = [
        *sorted((ROOT / "templates").rglob("*.html")),
        *sorted(package.rglob("*.py")),
        *sorted(package.rglob("*.mo")),
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _digest(kind: str, *parts) -> str:
    """A cache key over the code this process runs and the given parts."""
    raw = "\x1f".join(str(part) for part in (code_digest(), *parts))
    return f"{kind}:" + hashlib.sha256(raw.encode()).hexdigest()


def _key(name: str, revision: tuple) -> str:
    reader = current_user.get_id() if current_user.is_authenticated else ""
    return _digest("part", name, *revision, reader, get_locale(), get_timezone(), request.full_path)


def _region_revision(region: Region) -> tuple:
    template = get_template(region.template_id).definition_key
    return (region.id, region.created_at.isoformat(), region.content_revision, template)


# Built once: it runs on every programme page.
PROGRAMME_FIGURES = select(
    func.count(Region.id),
    func.max(Region.id),
    func.sum(Region.content_revision),
    select(func.max(AuditEvent.id)).scalar_subquery(),
)


def _programme_revision() -> tuple:
    """Changes with any region's content, a region added or removed, any logged activity
    (the dashboard's "last activity") and any strategy template. Read once per request."""
    if "_belong_programme_revision" not in g:
        figures = db.session.execute(PROGRAMME_FIGURES).one()
        templates = sorted(t.definition_key for t in all_templates().values())
        g._belong_programme_revision = (*figures, *templates)
    return g._belong_programme_revision


def _token_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def remember_programme(name: str, render: Callable[[], str]) -> Markup:
    """The part `name` of a programme-wide page, rendered once per change in any region."""
    return _remember(_key(name, _programme_revision()), render)


def page(region: Region, name: str, body: Callable[[], str], layout: Callable[[Markup], str]):
    """The whole page `name` of the region at this address, kept whole (see _remember_page).
    `body` renders the page's own part, kept on its own as well, so that a change in the
    reader's header renders only `layout`, which puts the part in the page."""
    return _remember_page(name, _region_revision(region), body, layout)


def programme_page(name: str, body: Callable[[], str], layout: Callable[[Markup], str]):
    """The whole programme-wide page `name`, like `page`."""
    return _remember_page(name, _programme_revision(), body, layout)


def _remember_page(name: str, revision: tuple, body, layout) -> str:
    def render() -> str:
        return layout(_remember(_key(name, revision), body))

    if session.get("_flashes"):  # a message waits: shown once, in a page never kept
        return render()
    # Besides the content, the layout shows the reader's name, rights and unread count.
    user = current_user
    signed_in = user.is_authenticated
    header = (user.name, user.is_admin, g.get("unread_notifications")) if signed_in else ()
    return _remember(_key(f"page:{name}", (*revision, *header)), render)


def region_value(region: Region, name: str, compute: Callable[[], str], *parts) -> str:
    """A value worked out from the region's content alone (the same for every reader), kept
    until that content changes; `parts` name anything else it depends on."""
    key = _digest("value", name, *_region_revision(region), *parts)
    kept = _get(key)
    if kept is None:
        kept = compute()
        _set(key, kept)
    return kept


def _get(key: str) -> str | None:
    try:
        return cache.get(key)
    except Exception:  # a cache that fails must not fail the page
        log.warning("page cache unavailable; working it out", exc_info=True)
        return None


def _set(key: str, value: str) -> None:
    try:
        cache.set(key, value)
    except Exception:
        log.warning("page cache unavailable; not kept", exc_info=True)


def _remember(key: str, render: Callable[[], str]) -> Markup:
    kept = _get(key)
    if kept is None:
        html = str(render())
        token = g.get(_token_field())  # the signed token, if the part holds a form
        kept = html.replace(token, PLACEHOLDER) if token else html
        _set(key, kept)
    if PLACEHOLDER in kept:
        kept = kept.replace(PLACEHOLDER, generate_csrf())
    return Markup(kept)  # noqa: S704 - rendered by our templates, escaped there


def _shown_user_change(session: Session, user: User) -> bool:
    if user in session.deleted:
        return True
    state = inspect(user)
    return any(state.attrs[field].history.has_changes() for field in SHOWN_USER_FIELDS)


@event.listens_for(Session, "after_flush")
def _content_written(session: Session, _context) -> None:
    """A write to anything a region's pages show bumps its content revision."""
    regions: set[int] = set()
    everyone = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, NOT_SHOWN):
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, User):
            everyone = everyone or (obj not in session.new and _shown_user_change(session, obj))
        elif isinstance(obj, Region):
            if obj not in session.new:
                regions.add(obj.id)
        elif getattr(obj, "region_id", None) is not None:
            regions.add(obj.region_id)
    if not (regions or everyone):
        return
    session.info.setdefault(CHANGED_REGIONS, set()).update(regions)
    statement = update(Region).values(content_revision=Region.content_revision + 1)
    if not everyone:
        statement = statement.where(Region.id.in_(regions))
    session.connection().execute(statement)


def init_app(app: Flask) -> None:
    if app.config.get("REDIS_URL") and "CACHE_TYPE" not in app.config:
        app.config.setdefault("CACHE_TYPE", "RedisCache")
        app.config.setdefault("CACHE_REDIS_URL", app.config["REDIS_URL"])
        app.config.setdefault("CACHE_KEY_PREFIX", "belong:")
        # A Redis that does not answer costs a page at most a second (read, then write).
        app.config.setdefault(
            "CACHE_OPTIONS", {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        )
    app.config.setdefault("CACHE_TYPE", "SimpleCache")
    cache.init_app(app)
