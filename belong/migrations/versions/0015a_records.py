"""records: the strategy's priorities, objectives, actions and indicators as linked records

Existing regions' table answers (priority areas, actions, indicators) become records by the
rules of belong/services/records_from_answers.py; what cannot be matched is kept in the
region's activity log (`flask --app app records unmatched SLUG` lists it). The answers stay.

Revision ID: 0015a
Revises: 0014
Create Date: 2026-12-02 23:45:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from belong.services.records_from_answers import MIGRATED, convert

revision = "0015a"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_id", "key"),
    )
    op.create_index("ix_records_region_kind", "records", ["region_id", "kind", "position"])
    op.create_table(
        "record_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=True),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["saved_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_record_revisions_region_key", "record_revisions", ["region_id", "key"]
    )
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
        sa.column("region_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("detail", sa.JSON),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    wanted = [
        ("priorities", "priority_areas"),
        ("action_plan", "actions"),
        ("governance", "indicators"),
    ]
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
    now = datetime.now(UTC)
    for region_id in sorted(by_region):
        made, unmatched = convert(by_region[region_id])
        if not made:
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
                revisions.insert().values(
                    **base, revision=1, values=record["values"], saved_at=now
                )
            )
        detail = {"unmatched": [u.__dict__ for u in unmatched]}
        connection.execute(
            events.insert().values(
                region_id=region_id, action=MIGRATED, detail=detail, at=now
            )
        )
        connection.execute(
            sa.text(
                "UPDATE regions SET content_revision = content_revision + 1 WHERE id = :id"
            ),
            {"id": region_id},
        )


def downgrade():
    op.drop_index("ix_record_revisions_region_key", table_name="record_revisions")
    op.drop_table("record_revisions")
    op.drop_index("ix_records_region_kind", table_name="records")
    op.drop_table("records")
