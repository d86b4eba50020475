"""Existing regions' table answers become linked records without loss: by the migration
0015a (on the database as it stands) and by the service run for a region; whatever cannot be
matched is kept as text and listed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, Record
from belong.services import answers as answer_service
from belong.services import records as record_service
from belong.services.records_from_answers import convert, migrate_region, unmatched_of

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "intercultural-region"

ANSWERS = {
    ("priorities", "priority_areas"): [
        {
            "area": "Work and skills",
            "problem": "Skills are wasted.",
            "general_objective": "Skills are recognised and used.",
            "specific_objectives": (
                "- Recognition in 5 months by 2029.\n- 1,500 women in a pathway by 2030."
            ),
        },
        {"area": "Schools", "specific_objectives": "1. Early school leaving down to 12% by 2030"},
    ],
    ("action_plan", "actions"): [
        {
            "action": "Recognition desk",
            "priority_area": "Work and skills",
            "objective": "Recognition in 5 months by 2029",
            "principle": "diversity_advantage",
            "target_group": "Graduates born abroad",
            "lead": "Labour department",
            "start": "2026-01-01",
            "end": "2029-12-31",
            "budget": 100000,
            "funding_source": "ESF+ (60%), regional budget (40%)",
            "indicator": "Average months to recognition",
        },
        {
            "action": "Night buses",
            "priority_area": "Transport",
            "objective": "Better night transport",
            "budget": 5000,
        },
    ],
    ("governance", "indicators"): [
        {"indicator": "Employment gap", "baseline": "24 points (2024)", "target": "15 points"},
    ],
}


def _titles(records, kind):
    return [
        r["values"].get("title") or r["values"].get("statement") or r["values"].get("name")
        for r in records
        if r["kind"] == kind
    ]


def test_rows_become_linked_records_and_the_rest_is_listed():
    records, unmatched = convert(ANSWERS)
    assert _titles(records, "priority") == ["Work and skills", "Schools"]
    assert _titles(records, "objective") == [
        "Skills are recognised and used.",
        "Recognition in 5 months by 2029",
        "1,500 women in a pathway by 2030",
        "Early school leaving down to 12% by 2030",
    ]
    by_key = {r["key"]: r for r in records}
    desk = next(r for r in records if r["values"].get("title") == "Recognition desk")
    [served] = desk["values"]["objectives"]
    assert by_key[served]["values"]["statement"] == "Recognition in 5 months by 2029"
    assert by_key[served]["values"]["level"] == "specific"
    assert desk["values"]["budget"] == [
        {"year": 2026, "source": "ESF+", "amount": 60000.0},
        {"year": 2026, "source": "Regional budget", "amount": 40000.0},
    ]
    assert desk["values"]["principles"] == ["diversity_advantage"]
    assert "Graduates born abroad" in desk["values"]["description"]
    measuring = [r for r in records if r["kind"] == "indicator" and r["values"].get("action")]
    assert [r["values"]["name"] for r in measuring] == ["Average months to recognition"]
    assert _titles(records, "indicator")[-1] == "Employment gap"
    listed = {(u.what.split(",")[-1].strip(), u.text) for u in unmatched}
    assert ("priority area", "Transport") in listed
    assert ("objective served", "Better night transport") in listed
    assert ("budget", "5000") in listed  # no start date to give it a year


def test_a_region_is_migrated_once_and_the_cli_lists_what_was_not_matched(app, make, runner):
    region = make.region("alpha", TEMPLATE)
    user = make.user()
    for (step, question), value in ANSWERS.items():
        answer_service.set_answer(region, step, question, value, user)
    db.session.commit()
    assert migrate_region(region) is not None
    db.session.commit()
    actions = record_service.records_of(region, "action")
    assert [a.title for a in actions] == ["Recognition desk", "Night buses"]
    assert actions[0].ref("objectives")[0].ref("priority")[0].title == "Work and skills"
    assert migrate_region(region) is None  # once: records exist now
    assert db.session.query(Answer).count() == 3  # the answers stay
    result = runner.invoke(args=["records", "unmatched", "alpha"])
    assert result.exit_code == 0
    assert "'Better night transport' (no specific objective matches it)" in result.output
    assert len(unmatched_of(region)) == len(convert(ANSWERS)[1])


def test_the_migration_turns_the_answers_of_every_region_into_records(app, make):
    path = ROOT / "belong/migrations/versions/0015a_records.py"
    spec = importlib.util.spec_from_file_location("migration_0015a", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    region = make.region("alpha", TEMPLATE)
    other = make.region("beta", TEMPLATE)
    user = make.user()
    for (step, question), value in ANSWERS.items():
        answer_service.set_answer(region, step, question, value, user)
    db.session.commit()
    before = region.content_revision
    db.session.commit()  # the migration writes on a connection of its own
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        migration._records_from_answers()
    db.session.expire_all()
    kinds = db.session.execute(
        select(Record.kind, Record.key).where(Record.region_id == region.id).order_by(Record.id)
    ).all()
    assert [k for k, _ in kinds].count("objective") == 4
    assert db.session.query(Record).filter_by(region_id=other.id).count() == 0
    assert record_service.records_of(region, "action")[0].ref("objectives")
    assert region.content_revision == before + 1  # kept pages are not served stale
    assert any(u["text"] == "Transport" for u in unmatched_of(region))
