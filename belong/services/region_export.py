"""A region's whole strategy as JSON, and back into a database that does not hold it yet.

The export is a list of per-table exporters (TABLES): each names a table whose rows belong
to the region, either by its region_id or through a row of a table exported before it.
Foreign keys become portable: people by e-mail, exported rows by their position in the
export, the region implicitly. Export, import into an empty database, export again: the
two files are identical (tests/test_backup.py). Add a table by adding a TableExporter."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Date, DateTime, Enum, LargeBinary, Table, select
from sqlalchemy.exc import SQLAlchemyError

from belong.extensions import db
from belong.models import Membership, Region, User
from belong.models.base import as_utc
from belong.services import accounts, records_from_answers
from belong.services.errors import DomainError
from belong.services.records_from_answers import migrate_region
from belong.services.region_import_checks import import_problems
from belong.templating.registry import all_templates
from belong.text import clean_text, clean_value

FORMAT = "belong-region-export"
FORMAT_VERSION = 1
REGION_FIELDS = (
    "slug",
    "name",
    "country",
    "template_id",
    "language",
    "period",
    "created_at",
    "updated_at",
)


class ImportRefused(DomainError):
    """The file cannot be imported; the message says why in words."""


@dataclass(frozen=True)
class TableExporter:
    """One table of the export; `skip` columns are left out (caches, derived data)."""

    table: str
    skip: tuple[str, ...] = ()
    note: str = ""


# In dependency order: a table comes after every exported table it points to.
TABLES: list[TableExporter] = [
    TableExporter("memberships", note="who belongs to the region, with their role"),
    TableExporter("answers"),
    TableExporter("answer_revisions", note="every saved text of every answer"),
    TableExporter("records", note="priorities, objectives, actions, indicators"),
    TableExporter("record_revisions", note="every saved state of every record"),
    TableExporter("contributions"),
    TableExporter("publication_images", note="the uploaded logo and EU emblem, every one kept"),
    TableExporter("publication_settings", note="logo, accent colour, imprint details"),
    TableExporter("draft_versions"),
    TableExporter("adoptions", note="the recorded adoptions of released versions"),
    TableExporter("review_requests"),
    TableExporter("comment_threads"),
    TableExporter("comments"),
    TableExporter("comment_edits"),
    TableExporter("assessment_snapshots"),
    TableExporter("audit_events"),
]


def _tables() -> list[tuple[TableExporter, Table]]:
    """The exporters whose table exists in this build of the application."""
    found = db.metadata.tables
    return [(t, found[t.table]) for t in TABLES if t.table in found]


@dataclass
class _Refs:
    """Database ids <-> positions in the export, per table; users <-> e-mail."""

    positions: dict[str, dict[int, int]] = field(default_factory=dict)
    ids: dict[str, dict[int, int]] = field(default_factory=dict)
    emails: dict[int, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)


def _target(column) -> str | None:
    keys = list(column.foreign_keys)
    return keys[0].column.table.name if keys else None


def _dump_value(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return as_utc(value).astimezone(UTC).isoformat()
    if isinstance(column.type, Date):
        return value.isoformat()
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(column.type, Enum) and hasattr(value, "value"):
        return value.value
    return value


def _load_value(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    if isinstance(column.type, Enum) and column.type.enum_class is not None:
        return column.type.enum_class(value)
    return clean_value(value)  # text, and the text within answers, as typed text is kept


def _user_email(refs: _Refs, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    if user_id not in refs.emails:
        user = db.session.get(User, user_id)
        refs.emails[user_id] = user.email
    return refs.emails[user_id]


def export_region(region: Region) -> dict[str, Any]:
    refs = _Refs()
    members = select(User).join(Membership, Membership.user_id == User.id)
    known = {u.id: u for u in db.session.scalars(members.where(Membership.region_id == region.id))}
    refs.emails.update({uid: user.email for uid, user in known.items()})  # not one query each
    exported: dict[str, list[dict[str, Any]]] = {}
    exported_names = {t.table for t, _ in _tables()}
    for exporter, table in _tables():
        query = select(table).order_by(table.c.id)
        if "region_id" in table.c:
            query = query.where(table.c.region_id == region.id)
        else:
            parent = next(
                (c for c in table.c if _target(c) in refs.positions and _target(c) != table.name),
                None,
            )
            if parent is None:
                raise RuntimeError(f"{table.name}: no region_id and no exported parent table")
            query = query.where(parent.in_(list(refs.positions[_target(parent)])))
        rows = []
        positions = refs.positions.setdefault(table.name, {})
        for position, row in enumerate(db.session.execute(query).mappings(), start=1):
            positions[row["id"]] = position
            item: dict[str, Any] = {"id": position}
            for column in table.c:
                name = column.name
                if name in ("id", "region_id") or name in exporter.skip:
                    continue
                target, value = _target(column), row[name]
                if target == "users":
                    item[name] = _user_email(refs, value)
                elif target in exported_names:
                    item[name] = refs.positions[target].get(value) if value is not None else None
                elif target is not None:
                    continue  # points outside the region's data (a cache): left out
                else:
                    item[name] = _dump_value(column, value)
            rows.append(item)
        exported[table.name] = rows
    region_table = Region.__table__
    people = [
        {"email": email, "name": (known.get(uid) or db.session.get(User, uid)).name}
        for uid, email in sorted(refs.emails.items(), key=lambda pair: pair[1])
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "region": {
            name: _dump_value(region_table.c[name], getattr(region, name)) for name in REGION_FIELDS
        },
        "people": people,
        "tables": exported,
    }


def to_json(data: dict[str, Any]) -> str:
    """Stable text: the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _cleaned(data: dict) -> dict:
    """The export's text kept by the rule typed text follows (belong.text), before it is
    checked: names on one line, every other text (answers, their history) with its lines.
    The short name is checked as given (it is an address: never changed, only refused)."""
    slug = data["region"].get("slug") if isinstance(data.get("region"), dict) else None
    data = clean_value(data)
    region = data.get("region")
    if isinstance(region, dict):
        region["slug"] = slug
        if isinstance(region.get("name"), str):
            region["name"] = clean_text(region["name"], single_line=True)
    for person in data.get("people") or []:
        if isinstance(person, dict) and isinstance(person.get("name"), str):
            person["name"] = clean_text(person["name"], single_line=True)
    return data


def import_region(data: Any) -> Region:
    """Create the region from an export; people are matched by e-mail or created without
    a password (they set one through a reset link). Everything is checked before the first
    row is written (region_import_checks). Flushes; the caller commits."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused("this is not a Belong region export")
    if data.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(
            f"export format version {data.get('format_version')!r}; "
            f"this version of Belong reads version {FORMAT_VERSION}"
        )
    data = _cleaned(data)
    problems = import_problems(
        data, all_templates(), max_answer_length=current_app.config["MAX_ANSWER_LENGTH"]
    )
    if problems:
        raise ImportRefused("\n".join(problems))
    fields = data["region"]
    slug = fields["slug"]
    if db.session.scalar(select(Region.id).where(Region.slug == slug)) is not None:
        raise ImportRefused(f"a region with the short name {slug!r} exists already")
    known_tables = {t.table for t, _ in _tables()}
    unknown = set(data.get("tables") or {}) - known_tables
    if unknown:
        raise ImportRefused(f"the export holds tables this version does not know: {unknown}")
    region_table = Region.__table__
    region = Region(**{n: _load_value(region_table.c[n], fields.get(n)) for n in REGION_FIELDS})
    db.session.add(region)
    db.session.flush()
    refs = _Refs()
    for person in data.get("people") or []:
        user = accounts.find_user(person["email"])
        if user is None:
            user = accounts.create_user(person["email"], person.get("name") or person["email"])
        else:  # a link someone else holds for this account must not open the imported region
            accounts.expire_tokens(user)
        refs.user_ids[person["email"]] = user.id
    for _exporter, table in _tables():
        ids = refs.ids.setdefault(table.name, {})
        for item in (data.get("tables") or {}).get(table.name, []):
            try:
                values = _row_values(table, item, region, refs)
                result = db.session.execute(table.insert().values(**values))
            except (KeyError, TypeError, ValueError, AttributeError, SQLAlchemyError) as exc:
                raise ImportRefused(
                    f"{table.name}, row {item.get('id') if isinstance(item, dict) else '?'}: "
                    f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                ) from None
            ids[item["id"]] = result.inserted_primary_key[0]
    db.session.flush()
    # An export made before the records holds the plan as table answers only: they become
    # records here, as the migration 0017r does for a database (the answers stay).
    migrate_region(region)
    # An export made before the register and the training groups were records: its rows
    # become records, as the database's own did (migration 0017p).
    records_from_answers.migrate_lists(region)
    db.session.flush()
    return region


def _row_values(table: Table, item: dict[str, Any], region: Region, refs: _Refs) -> dict:
    values: dict[str, Any] = {}
    if "region_id" in table.c:
        values["region_id"] = region.id
    for column in table.c:
        name = column.name
        if name in ("id", "region_id") or name not in item:
            continue
        target, value = _target(column), item[name]
        if target == "users":
            values[name] = refs.user_ids[value] if value is not None else None
        elif target is not None:
            values[name] = refs.ids[target][value] if value is not None else None
        else:
            values[name] = _load_value(column, value)
    return values
