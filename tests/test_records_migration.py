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
from belong.models import Answer, Record, Role
from belong.services import answers as answer_service
from belong.services import records as record_service
from belong.services.records_from_answers import convert, migrate_region, unmatched_of
from belong.services.region_export import export_region, import_region
from belong.templating.registry import get_template
from tests.conftest import login

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


def _migration(name: str):
    path = ROOT / "belong/migrations/versions" / name
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def test_the_plan_tables_left_the_template_and_their_answers_become_records(app, make, runner):
    """The template no longer asks for the three tables; a region whose plan is still only in
    those answers (written after 0015a) gets records from 0017r, one that has records is left
    alone, and nothing is deleted."""
    definition = get_template(TEMPLATE).definition
    for step, question in ANSWERS:
        assert definition.step(step).question(question) is None
    late = make.region("late", TEMPLATE)
    kept = make.region("kept", TEMPLATE)
    user = make.user()
    for region in (late, kept):
        for (step, question), value in ANSWERS.items():
            answer_service.set_answer(region, step, question, value, user)
    record_service.add_record(kept, "priority", {"title": "Written as a record"}, user)
    db.session.commit()
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        _migration("0017r_plan_tables_to_records.py").upgrade()
    db.session.expire_all()
    assert [a.title for a in record_service.records_of(late, "action")] == [
        "Recognition desk",
        "Night buses",
    ]
    assert [p.title for p in record_service.records_of(kept, "priority")] == ["Written as a record"]
    assert record_service.records_of(kept, "action") == []
    assert db.session.query(Answer).count() == 6  # the answers stay
    listed = runner.invoke(args=["records", "unmatched", "late"])
    assert listed.exit_code == 0
    assert "'Better night transport' (no specific objective matches it)" in listed.output
    assert (
        "were never turned into records"
        in runner.invoke(args=["records", "unmatched", "kept"]).output
    )


def test_an_export_made_before_the_records_is_imported_with_its_plan_as_records(app, make):
    region = make.region("old", TEMPLATE)
    user = make.user()
    for (step, question), value in ANSWERS.items():
        answer_service.set_answer(region, step, question, value, user)
    db.session.commit()
    data = export_region(region)
    assert not data["tables"].get("records")
    data["region"]["slug"] = "old-again"
    imported = import_region(data)
    db.session.commit()
    titles = [o.title for o in record_service.records_of(imported, "objective")]
    assert "Recognition in 5 months by 2029" in titles
    assert any(u["text"] == "Better night transport" for u in unmatched_of(imported))


def test_the_step_pages_show_the_record_lists_and_no_table(app, make, client):
    region = make.region("plain", TEMPLATE)
    user = make.user(Role.COORDINATOR, region)
    login(client, user.email)
    for step, records_question, table in (
        ("priorities", "priority_records", "priority_areas"),
        ("action_plan", "action_records", "actions"),
        ("governance", "indicator_records", "indicators"),
    ):
        page = client.get(f"/r/plain/steps/{step}").get_data(as_text=True)
        assert f'id="q-{records_question}"' in page, step
        assert f'id="q-{table}"' not in page and f'name="{table}' not in page, step


def test_the_training_budget_becomes_a_cost_line_unless_an_action_costs_it(app, make, runner):
    with_plan = {**ANSWERS, ("training", "training_budget"): 250000}
    with_plan[("mandate", "period_start")] = "2026-01-01"
    records, unmatched = convert(with_plan)
    [cost] = [r for r in records if r["kind"] == "cost_line"]
    assert cost["values"] == {
        "title": "Training plan",
        "category": "training",
        "budget": [{"year": 2026, "amount": 250000}],
    }
    assert ("training plan, budget", "250000") in {(u.what, u.text) for u in unmatched}
    # A plan that costs the training as an action already keeps it there, and says so.
    costed = {**with_plan, ("training", "training_budget"): 100000}  # the desk's budget
    records, unmatched = convert(costed)
    assert not [r for r in records if r["kind"] == "cost_line"]
    assert any(u.why == "already costed as the action Recognition desk" for u in unmatched)
    # A region whose chain is records already gets its training budget from 0017r, and the
    # earlier listing stays.
    region = make.region("alpha", TEMPLATE)
    user = make.user()
    for (step, question), value in ANSWERS.items():
        answer_service.set_answer(region, step, question, value, user)
    db.session.commit()
    migrate_region(region)
    answer_service.set_answer(region, "training", "training_budget", 42000, user)
    db.session.commit()
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        _migration("0017r_plan_tables_to_records.py").upgrade()
    db.session.expire_all()
    [line] = record_service.records_of(region, "cost_line")
    assert line.values["budget"] == [{"amount": 42000}]  # no planning period: no year
    listed = runner.invoke(args=["records", "unmatched", "alpha"]).output
    assert "'Better night transport'" in listed and "'42000'" in listed
