"""the old plan tables and the training budget leave the template: a region whose priority
areas, actions, indicators or training budget are still only answers gets them as records

The template no longer has the questions priorities.priority_areas, action_plan.actions,
governance.indicators and training.training_budget; their answers stay stored. A region that
has such table answers and no priority, objective, action or indicator record yet (answers
written after 0015a) gets its records made from them by the rules of
belong/services/records_from_answers.py; a region with records already gets its training
budget as a cost line (unless an action costs exactly that amount). What could not be matched
is kept in its activity log (`flask --app app records unmatched SLUG`).

Revision ID: 0017r
Revises: 0016
Create Date: 2026-12-03 05:50:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from belong.services.records_from_answers import (
    KINDS,
    MIGRATED,
    TRAINING,
    convert,
    training_cost,
)

revision = "0017r"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    _records_from_answers()


def _records_from_answers():
    connection = op.get_bind()
    answers = sa.table(
        "answers",
        sa.column("region_id", sa.Integer),
        sa.column("step_id", sa.String),
        sa.column("question_id", sa.String),
        sa.column("value", sa.JSON),
    )
    records = sa.table(
        "records",
        *(sa.column(n, sa.Integer) for n in ("region_id", "position", "revision")),
        *(sa.column(n, sa.String) for n in ("kind", "key")),
        sa.column("values", sa.JSON),
        *(sa.column(n, sa.DateTime(timezone=True)) for n in ("created_at", "updated_at")),
    )
    revisions = sa.table(
        "record_revisions",
        *(sa.column(n, sa.Integer) for n in ("region_id", "revision")),
        *(sa.column(n, sa.String) for n in ("kind", "key")),
        sa.column("values", sa.JSON),
        sa.column("saved_at", sa.DateTime(timezone=True)),
    )
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("region_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("detail", sa.JSON),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    tables = [
        ("priorities", "priority_areas"),
        ("action_plan", "actions"),
        ("governance", "indicators"),
    ]
    wanted = [*tables, TRAINING, ("mandate", "period_start")]
    by_region: dict[int, dict] = {}
    rows = connection.execute(
        sa.select(answers)
        .where(
            sa.or_(
                *(sa.and_(answers.c.step_id == s, answers.c.question_id == q) for s, q in wanted)
            )
        )
        .order_by(answers.c.region_id, answers.c.step_id, answers.c.question_id)
    )
    for row in rows:
        by_region.setdefault(row.region_id, {})[(row.step_id, row.question_id)] = row.value

    def regions_with(*kinds):
        statement = sa.select(records.c.region_id).where(records.c.kind.in_(kinds)).distinct()
        return set(connection.scalars(statement))

    converted, costed = regions_with(*KINDS), regions_with("cost_line")
    now = datetime.now(UTC)
    for region_id in sorted(by_region):
        values = by_region[region_id]
        if region_id not in converted and any(values.get(t) for t in tables):
            made, unmatched = convert(values)
        elif region_id not in costed:
            actions = [
                {"key": row[0], "values": row[1] or {}}
                for row in connection.execute(
                    sa.select(records.c.key, records.c["values"]).where(
                        records.c.region_id == region_id, records.c.kind == "action"
                    )
                )
            ]
            cost, unmatched = training_cost(values, actions)
            made = [{**cost, "position": 0}] if cost else []
            earlier = connection.scalar(  # what an earlier migration listed stays listed
                sa.select(events.c.detail)
                .where(events.c.region_id == region_id, events.c.action == MIGRATED)
                .order_by(events.c.id.desc())
                .limit(1)
            )
            unmatched = [
                *((earlier or {}).get("unmatched") or []),
                *(u.__dict__ for u in unmatched),
            ]
        else:
            continue
        if not made and not unmatched:
            continue
        for record in made:
            base = {"region_id": region_id, "kind": record["kind"], "key": record["key"]}
            connection.execute(
                records.insert().values(
                    **base,
                    position=record["position"],
                    revision=1,
                    values=record["values"],
                    created_at=now,
                    updated_at=now,
                )
            )
            connection.execute(
                revisions.insert().values(**base, revision=1, values=record["values"], saved_at=now)
            )
        detail = {"unmatched": [u if isinstance(u, dict) else u.__dict__ for u in unmatched]}
        connection.execute(
            events.insert().values(region_id=region_id, action=MIGRATED, detail=detail, at=now)
        )
        connection.execute(
            sa.text("UPDATE regions SET content_revision = content_revision + 1 WHERE id = :id"),
            {"id": region_id},
        )


def downgrade():
    pass  # the answers were never changed; the records made stay
