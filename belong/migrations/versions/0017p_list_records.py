"""the stakeholder register and the training target groups become records

Each row of a region's `stakeholders.stakeholder_register` and `training.training_groups`
table answers becomes a record (kind `stakeholder`, `training_group`) with the same values,
in the same order, by the rules of belong/services/records_from_answers.py (`convert_lists`);
a region that has records of such a kind already is left alone. The answers stay, and a
version frozen before keeps its rows (belong/services/records.py reads them as records).

Revision ID: 0017p
Revises: 0016
Create Date: 2026-12-03 05:50:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from belong.services.records_from_answers import LISTS, convert_lists

revision = "0017p"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
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
    by_region: dict[int, dict] = {}
    rows = connection.execute(
        sa.select(answers)
        .where(
            sa.or_(
                *(sa.and_(answers.c.step_id == s, answers.c.question_id == q) for s, q in LISTS)
            )
        )
        .order_by(answers.c.region_id, answers.c.step_id, answers.c.question_id)
    )
    for row in rows:
        by_region.setdefault(row.region_id, {})[(row.step_id, row.question_id)] = row.value
    now = datetime.now(UTC)
    for region_id in sorted(by_region):
        existing = connection.execute(
            sa.select(records.c.kind, records.c.key).where(records.c.region_id == region_id)
        ).all()
        had = {kind for kind, _key in existing}
        taken = {key for _kind, key in existing}
        made = convert_lists(by_region[region_id], skip=had)
        for record in made:
            key = record["key"]
            while key in taken:
                key += "x"
            taken.add(key)
            base = {"region_id": region_id, "kind": record["kind"], "key": key}
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
        if made:
            connection.execute(
                sa.text(
                    "UPDATE regions SET content_revision = content_revision + 1 WHERE id = :id"
                ),
                {"id": region_id},
            )


def downgrade():
    # The answers were never changed; the records of these kinds go.
    op.execute(sa.text("DELETE FROM records WHERE kind IN ('stakeholder', 'training_group')"))
    op.execute(
        sa.text("DELETE FROM record_revisions WHERE kind IN ('stakeholder', 'training_group')")
    )
