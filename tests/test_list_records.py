"""The stakeholder register and the training target groups are records (issue 19, point 1):
edited one at a time like the results chain, listed on their steps, read by the document and
the checks; an existing region's table answers become records without loss (migration
0017p and `flask records migrate`), and a version frozen before still shows its rows."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, Contribution, ContributionStatus, Record, Role
from belong.services import answers as answer_service
from belong.services import documents, region_export, strategy_checks
from belong.services import records as record_service
from belong.services.contributions import consultation_annex
from belong.services.records_from_answers import convert_lists
from belong.services.strategy_figures import participation
from belong.templating.registry import get_template
from tests.conftest import csrf_token, login

ROOT = Path(__file__).resolve().parent.parent
ADOPTED, PENDING = ContributionStatus.ADOPTED, ContributionStatus.PENDING
TEMPLATE = "intercultural-region"

REGISTER = [
    {
        "organisation": "Two Shores Women's Association",
        "category": "migrant_led",
        "level": "local",
        "interest": "high",
        "influence": "low",
        "participation": "active_involvement",
        "method": "Focus groups with interpreters",
        "date": "2025-03-12",
    },
    {"organisation": "Porto Valdo city council", "category": "municipality", "method": ""},
]
GROUPS = [
    {"group": "Front-line staff", "number_to_train": 1200, "format": "online_module"},
    {"group": "Head teachers", "number_to_train": 80, "schedule": "2027, two cohorts"},
]
ANSWERS = {
    ("stakeholders", "stakeholder_register"): REGISTER,
    ("training", "training_groups"): GROUPS,
}


def _with_answers(make, slug="alpha"):
    region = make.region(slug, TEMPLATE)
    user = make.user(Role.COORDINATOR, region)
    for (step, question), value in ANSWERS.items():
        answer_service.set_answer(region, step, question, value, user)
    db.session.commit()
    return region, user


def _migration():
    path = ROOT / "belong/migrations/versions/0017p_list_records.py"
    spec = importlib.util.spec_from_file_location("migration_0017p", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_row_becomes_a_record_with_the_same_values_in_order():
    made = convert_lists(ANSWERS)
    assert [(r["kind"], r["key"], r["position"]) for r in made] == [
        ("stakeholder", "stakeholder-1", 0),
        ("stakeholder", "stakeholder-2", 1),
        ("training_group", "training_group-1", 0),
        ("training_group", "training_group-2", 1),
    ]
    assert made[0]["values"] == REGISTER[0]  # every cell kept
    assert made[1]["values"] == {
        "organisation": "Porto Valdo city council",
        "category": "municipality",
    }
    assert convert_lists(ANSWERS, skip={"stakeholder"})[0]["kind"] == "training_group"


def test_the_migration_keeps_every_register_of_an_existing_database(app, make):
    region, user = _with_answers(make)
    other, _ = _with_answers(make, "beta")
    kept = record_service.add_record(other, "stakeholder", {"organisation": "Kept"}, user)
    db.session.commit()
    before = region.content_revision
    db.session.commit()  # the migration writes on a connection of its own
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        _migration().upgrade()
    db.session.expire_all()
    register = record_service.records_of(region, "stakeholder")
    assert [v.values for v in register] == [convert_lists(ANSWERS)[i]["values"] for i in (0, 1)]
    groups = record_service.records_of(region, "training_group")
    assert [v.title for v in groups] == ["Front-line staff", "Head teachers"]
    assert record_service.history(region, register[0].key)  # each has its first state
    assert region.content_revision == before + 1
    # A region with stakeholder records already keeps them; its training groups are made.
    assert [v.key for v in record_service.records_of(other, "stakeholder")] == [kept.key]
    assert len(record_service.records_of(other, "training_group")) == 2
    assert db.session.query(Answer).filter_by(region_id=region.id).count() == 2  # they stay


def test_the_command_makes_the_lists_once(app, make, runner):
    _region, _user = _with_answers(make)
    result = runner.invoke(args=["records", "migrate", "alpha"])
    assert result.exit_code == 0, result.output
    assert "4 stakeholder and training group record(s) made for alpha." in result.output
    again = runner.invoke(args=["records", "migrate", "alpha"])
    assert "stakeholder and training group" not in again.output
    assert db.session.query(Record).filter_by(kind="stakeholder").count() == 2


def test_a_stakeholder_is_added_on_its_own_page_and_listed_on_its_step(app, make, client):
    region = make.region("alpha", TEMPLATE)
    login(client, make.user(Role.EDITOR, region).email)
    url = "/r/alpha/records/stakeholder/new"
    form = client.get(url).get_data(as_text=True)
    assert "Participation level" in form and "Organisation or group" in form
    response = client.post(url, data={"csrf_token": csrf_token(form), "revision": "0"})
    assert response.status_code == 422  # organisation and category are required
    assert "Organisation or group" in response.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(form),
            "revision": "0",
            "f_organisation": "Casa Aperta Foundation",
            "f_category": "ngo",
            "f_interest": "high",
        },
    )
    assert response.status_code == 302
    assert "/steps/stakeholders#records-stakeholder" in response.headers["Location"]
    step = client.get("/r/alpha/steps/stakeholders").get_data(as_text=True)
    [key] = [v.key for v in record_service.records_of(region, "stakeholder")]
    assert f"/r/alpha/records/stakeholder/{key}" in step
    row = re.search(r"Casa Aperta Foundation</a></th>(.*?)</tr>", step, re.S).group(1)
    assert "NGO" in row and "High" in row  # the summary columns, as labels


def test_the_document_and_the_checks_read_the_records(app, make):
    region = make.region("alpha", TEMPLATE)
    for row in REGISTER:
        record_service.add_record(region, "stakeholder", row, None)
    for row in GROUPS:
        record_service.add_record(region, "training_group", row, None)
    db.session.commit()
    template = get_template(TEMPLATE)
    html = documents.draft_html(region, template)
    annex = html[html.index('id="annex-stakeholders"') :]
    assert "Two Shores Women’s Association" in annex[:4000]
    assert "Focus groups with interpreters" in annex[:4000]
    training = html[html.index('id="training--training_groups"') :][:3000]
    assert "Head teachers" in training
    assert re.search(r"Total</th><td class=\"n\">1,280</td>", training)
    results = strategy_checks.region_checks(region, template.definition)
    covered = next(r for r in results if r.check.id == "consultation_categories")
    assert "Migrant-led" not in covered.detail  # that category has a stakeholder now
    assert "NGO" in covered.detail  # this one not yet


def test_a_version_frozen_with_table_rows_still_shows_them(app):
    template = get_template(TEMPLATE).definition
    chain = record_service.from_snapshot(
        template, {("stakeholders", "stakeholder_register"): REGISTER}
    )
    assert [v.title for v in chain["stakeholder"]] == [r["organisation"] for r in REGISTER]
    assert chain["stakeholder"][0].values["participation"] == "active_involvement"
    rows = db.session.scalars(select(Record)).all()
    assert rows == []  # read from the frozen values, nothing written


def _contribution(region, author, organisation, category, status, show=True):
    db.session.add(
        Contribution(
            region_id=region.id,
            step_id="stakeholders",
            author_id=author.id,
            category=category,
            organisation=organisation,
            show_organisation=show,
            status=status,
            body="Hold the meetings in the morning.",
        )
    )


def test_participation_is_counted_from_the_register_and_the_input_received(app, make):
    region = make.region("alpha", TEMPLATE)
    for row in REGISTER:
        record_service.add_record(region, "stakeholder", row, None)
    one, two = make.user(Role.CONTRIBUTOR, region), make.user(Role.CONTRIBUTOR, region)
    _contribution(region, one, "Two Shores Women's Association", "migrant_led", ADOPTED)
    _contribution(region, one, "Two Shores Women's Association", "migrant_led", PENDING)
    _contribution(region, two, "A parish", "other", PENDING, show=False)
    db.session.commit()
    template = get_template(TEMPLATE)
    chain = record_service.all_records(region, template.definition)
    with app.test_request_context():
        record = consultation_annex(region, template.definition)
        found = participation(template.definition, chain, record, "Not specified")
        html = documents.draft_html(region, template)
    assert found.registered == 2
    assert found.by_category == [
        ("Municipality or local authority", 1),
        ("Migrant-led organisation", 1),
    ]
    assert found.by_level == [("Active involvement", 1)]
    assert (found.inputs, found.adopted, found.organisations, found.people) == (3, 1, 2, 2)
    section = re.sub(r"\s+", " ", html[html.index('id="method-stakeholders"') :][:2500])
    assert "2 organisations and groups are listed in the stakeholder register (Annex A)" in section
    assert "Municipality or local authority (1), Migrant-led organisation (1)." in section
    assert "3 contributions were received while the strategy was drafted" in section
    assert "(from 2 organisations, 2 people); 1 was adopted into the text." in section
    assert (
        '<span class="kf-value">2</span><span class="kf-label">Stakeholders in the register' in html
    )


def test_valdorias_text_types_no_participation_count_the_figures_could_contradict():
    text = (ROOT / "belong/demo/valdoria.yaml").read_text()
    assert not re.search(r"\d+ (organisations|stakeholders) and \d+ people took part", text)
    assert "input of 165 stakeholders" not in text and "171 organisations" not in text


def test_an_export_from_before_imports_its_register_as_records(app, make):
    region, _user = _with_answers(make)
    data = json.loads(region_export.to_json(region_export.export_region(region)))
    assert not data["tables"]["records"]  # made before: the rows are answers only
    data["region"]["slug"] = "alpha-again"
    data["region"]["name"] = "Alpha again"
    imported = region_export.import_region(data)
    db.session.commit()
    register = record_service.records_of(imported, "stakeholder")
    assert [v.values for v in register] == [r["values"] for r in convert_lists(ANSWERS)[:2]]
    assert len(record_service.records_of(imported, "training_group")) == 2
