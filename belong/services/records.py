"""A region's records (priorities, objectives, actions, indicators, ...): reading them with
their references resolved, and every write (add, save, duplicate, move, delete), each kept
in the record's history with the revision check that keeps two editors from overwriting
each other.

The query API other modules read (strategy checks, figures, the document):
`records_of(region, kind)` gives the region's records of a kind in order, each a
`RecordView` with `.key`, `.values` (dict) and `.refs` (field id -> the referenced
RecordViews, resolved by key).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from belong.extensions import db
from belong.models import Record, RecordRevision, Region, User
from belong.models.base import utcnow
from belong.services.errors import Conflict
from belong.templating.schema import RecordKind, StrategyTemplate


@dataclass(eq=False)  # compared by identity: references make cycles
class RecordView:
    """One record as read: its key, kind, values and the records its references name."""

    key: str
    kind: str
    position: int
    values: dict[str, Any]
    revision: int = 1
    updated_at: Any = None
    updated_by: str = ""
    title: str = ""
    refs: dict[str, list[RecordView]] = field(default_factory=dict)
    # The records whose references name this one (an objective's actions and indicators).
    referenced_by: list[RecordView] = field(default_factory=list)

    def referring(self, kind: str, field_id: str | None = None) -> list[RecordView]:
        """The records of `kind` that refer to this one (through `field_id`, if given)."""
        return [
            v
            for v in self.referenced_by
            if v.kind == kind and (field_id is None or self in v.refs.get(field_id, []))
        ]

    def ref(self, field_id: str) -> list[RecordView]:
        return self.refs.get(field_id, [])

    def get(self, field_id: str, default: Any = None) -> Any:
        return self.values.get(field_id, default)

    def __repr__(self) -> str:  # keeps reference cycles out of reprs
        return f"RecordView({self.kind}:{self.key} {self.title!r})"


@dataclass(frozen=True)
class RecordConflict:
    """The record someone else saved since the form was loaded."""

    key: str
    their_revision: int
    their_values: dict[str, Any]
    their_author: str
    their_time: Any


def _rows(region: Region, kind: str | None = None) -> list[Record]:
    statement = select(Record).where(Record.region_id == region.id)
    if kind is not None:
        statement = statement.where(Record.kind == kind)
    return list(db.session.scalars(statement.order_by(Record.kind, Record.position, Record.id)))


def _view(row: Record) -> RecordView:
    return RecordView(
        key=row.key,
        kind=row.kind,
        position=row.position,
        values=dict(row.values or {}),
        revision=row.revision,
        updated_at=row.updated_at,
        updated_by=row.updated_by.name if row.updated_by else "",
    )


def all_records(region: Region, template: StrategyTemplate | None = None) -> dict[str, list]:
    """Every record of the region by kind, in order, references resolved (one query)."""
    if template is None:
        from belong.templating.registry import get_template

        template = get_template(region.template_id).definition
    return _resolved([_view(row) for row in _rows(region)], template)


def snapshot(region: Region, template: StrategyTemplate) -> dict[tuple[str, str], list]:
    """The region's records as the value of the records question that places each kind
    (plain JSON): the document reads them from there, and a version freezes them with its
    answers."""
    kinds = all_records(region, template)
    found: dict[tuple[str, str], list] = {}
    for step in template.steps:
        for question in step.questions:
            if question.type == "records":  # an empty list too: no older answer shows through
                found[(step.id, question.id)] = [
                    {"key": v.key, "title": v.title, "values": v.values}
                    for v in kinds.get(question.kind, [])
                ]
    return found


def from_snapshot(template: StrategyTemplate, values: dict[tuple[str, str], Any]) -> dict:
    """The records of a document's values (see `snapshot`), by kind, references resolved."""
    views = []
    for step in template.steps:
        for question in step.questions:
            if question.type != "records":
                continue
            items = values.get((step.id, question.id))
            for position, item in enumerate(items if isinstance(items, list) else []):
                if not isinstance(item, dict):
                    continue
                if isinstance(item.get("values"), dict):
                    key, fields = str(item.get("key")), item["values"]
                else:  # a table row frozen before the list became records
                    key, fields = f"{question.kind}-{position + 1}", item
                views.append(RecordView(key, question.kind, position, fields))
    return _resolved(views, template)


def _resolved(views: list[RecordView], template: StrategyTemplate) -> dict[str, list]:
    by_key = {v.key: v for v in views}
    kinds: dict[str, list[RecordView]] = {}
    for view in views:
        kinds.setdefault(view.kind, []).append(view)
    for view in views:
        kind = template.record_kind(view.kind)
        if kind is None:
            continue
        view.title = str(view.values.get(kind.title) or "")
        for item in kind.fields:
            if item.type == "reference":
                keys = item.keys(view.values.get(item.id))
                view.refs[item.id] = [by_key[k] for k in keys if k in by_key]
        view.referenced_by = []
    for view in views:
        for refs in view.refs.values():
            for other in refs:
                other.referenced_by.append(view)
    return kinds


def records_of(region: Region, kind: str, template: StrategyTemplate | None = None) -> list:
    """The region's records of `kind` in order, each with .key, .values and .refs."""
    return all_records(region, template).get(kind, [])


def referencing(region: Region, key: str, template: StrategyTemplate) -> list[RecordView]:
    """The records whose references name `key`."""
    found = []
    for views in all_records(region, template).values():
        found += [v for v in views if any(r.key == key for refs in v.refs.values() for r in refs)]
    return found


def record_or_none(region: Region, key: str) -> Record | None:
    return db.session.scalar(select(Record).where(Record.region_id == region.id, Record.key == key))


def new_key(kind: str) -> str:
    return f"{kind}-{secrets.token_hex(4)}"


def _keep(record: Record, user: User | None, values: dict | None) -> None:
    db.session.add(
        RecordRevision(
            region_id=record.region_id,
            kind=record.kind,
            key=record.key,
            revision=record.revision,
            values=values,
            saved_by_id=user.id if user is not None else None,
        )
    )


def _touch(region: Region) -> None:
    region.updated_at = utcnow()


def add_record(
    region: Region,
    kind: str,
    values: dict[str, Any],
    user: User | None,
    *,
    key: str | None = None,
    after: Record | None = None,
) -> Record:
    """A new record at the end of its kind's list (or just after `after`)."""
    if after is not None:
        position = after.position + 1
        for row in _rows(region, kind):
            if row.position >= position:
                row.position += 1
    else:
        last = db.session.scalar(
            select(func.max(Record.position)).where(
                Record.region_id == region.id, Record.kind == kind
            )
        )
        position = 0 if last is None else last + 1
    record = Record(
        region_id=region.id,
        kind=kind,
        key=key or new_key(kind),
        position=position,
        values=values,
        updated_by=user,
        updated_at=utcnow(),
    )
    db.session.add(record)
    db.session.flush()
    _keep(record, user, values)
    _touch(region)
    return record


def save_record(
    region: Region, record: Record, values: dict[str, Any], base_revision: int, user: User
) -> bool:
    """Save a record's values if nobody saved it since `base_revision`; False when nothing
    changed. Raises Conflict (with a RecordConflict) otherwise."""
    if record.revision != base_revision:
        raise Conflict([_conflict(record)])
    if values == (record.values or {}):
        return False
    record.values = values
    record.updated_by = user
    record.updated_at = utcnow()
    try:
        db.session.flush()  # the revision is checked against the row (version_id_col)
    except StaleDataError:
        db.session.rollback()
        fresh = record_or_none(region, record.key)
        raise Conflict([_conflict(fresh)] if fresh else []) from None
    _keep(record, user, values)
    _touch(region)
    return True


def _conflict(record: Record) -> RecordConflict:
    return RecordConflict(
        record.key,
        record.revision,
        dict(record.values or {}),
        record.updated_by.name if record.updated_by else "",
        record.updated_at,
    )


def duplicate_record(region: Region, record: Record, kind: RecordKind, user: User) -> Record:
    """A copy just after the record, its title marked as a copy."""
    from flask_babel import gettext as _

    values = dict(record.values or {})
    if values.get(kind.title):
        values[kind.title] = _("%(title)s (copy)", title=values[kind.title])
    return add_record(region, record.kind, values, user, after=record)


def move_record(region: Region, record: Record, step: int) -> bool:
    """Move one place up (-1) or down (+1) in its kind's list; False at either end."""
    rows = _rows(region, record.kind)
    index = next(i for i, row in enumerate(rows) if row.key == record.key)
    other = index + step
    if not 0 <= other < len(rows):
        return False
    rows.insert(other, rows.pop(index))
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
    _touch(region)
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict([]) from None
    return True


def delete_record(region: Region, record: Record, template: StrategyTemplate, user: User):
    """Delete the record; the references to it are taken out of the records that named it
    (each such change kept in their history). Returns those records' keys."""
    changed = []
    for row in _rows(region):
        kind = template.record_kind(row.kind)
        if kind is None or row.key == record.key:
            continue
        values = dict(row.values or {})
        touched = False
        for item in kind.fields:
            if item.type != "reference":
                continue
            keys = item.keys(values.get(item.id))
            if record.key in keys:
                kept = [k for k in keys if k != record.key]
                values[item.id] = (kept or None) if item.multiple else None
                touched = True
        if touched:
            row.values = values
            row.updated_by = user
            row.updated_at = utcnow()
            db.session.flush()
            _keep(row, user, values)
            changed.append(row.key)
    _keep(record, user, None)
    record.revision  # noqa: B018 - loaded before the row goes
    db.session.delete(record)
    _touch(region)
    db.session.flush()
    return changed


def history(region: Region, key: str) -> list[RecordRevision]:
    """Every saved state of the record, newest first (its deletion too)."""
    return list(
        db.session.scalars(
            select(RecordRevision)
            .where(RecordRevision.region_id == region.id, RecordRevision.key == key)
            .order_by(RecordRevision.id.desc())
        )
    )
