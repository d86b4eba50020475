"""The action plan and the indicators as data: CSV (BOM, labels) and JSON (codes and labels),
each row with an id that survives reordering and a link to where it is edited."""

from __future__ import annotations

import csv
import io
import json

from belong.extensions import db
from belong.models import Role
from belong.services import answers as answer_service
from belong.services import plan_tables
from belong.templating.registry import get_template
from tests.conftest import login

ROWS = [
    {
        "action": "Mediators in clinics",
        "cost": 1500.5,
        "due": "2027-03-01",
        "principle": "equality",
    },
    {"action": "Łódź welcome desk", "cost": None, "due": None, "principle": "interaction"},
    {"action": "Mediators in clinics", "cost": 10, "due": None, "principle": None},
]


def _region_with_actions(make, rows):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    step = get_template(region.template_id).definition.step("assess")
    answer_service.save_step(region, step, {"actions": rows}, {}, coordinator)
    db.session.commit()
    return region, coordinator


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_action_plan_downloads_as_csv_with_labels_ids_and_links(client, make):
    region, _coordinator = _region_with_actions(make, ROWS)
    reader = make.user(Role.CONTRIBUTOR, region)
    login(client, reader.email)
    response = client.get("/r/alpha/data/action-plan.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "belong-alpha-action-plan-" in response.headers["Content-Disposition"]
    header, *rows = _csv(response)
    assert header == ["Id", "Row", "Action", "Cost", "Due", "Principle", "Link"]
    assert [r[0] for r in rows] == [
        "mediators-in-clinics",
        "lodz-welcome-desk",
        "mediators-in-clinics-2",
    ]
    assert rows[0][2:6] == ["Mediators in clinics", "1500.5", "2027-03-01", "Real equality"]
    assert rows[1][5] == "Interaction"
    assert rows[0][6].endswith("/r/alpha/steps/assess#q-actions")
    assert rows[0][6].startswith("http")


def test_the_json_has_codes_labels_and_the_same_ids(client, make):
    _region, coordinator = _region_with_actions(make, ROWS)
    login(client, coordinator.email)
    response = client.get("/r/alpha/data/action-plan.json")
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["table"] == "action-plan" and data["step"] == "assess"
    principle = next(c for c in data["columns"] if c["id"] == "principle")
    assert principle["options"] == {"equality": "Real equality", "interaction": "Interaction"}
    first = data["rows"][0]
    assert first["id"] == "mediators-in-clinics" and first["row"] == 1
    assert first["cells"] == ROWS[0]


def test_row_ids_stay_when_rows_are_reordered_or_others_removed(client, make):
    region, coordinator = _region_with_actions(make, ROWS[:2])
    login(client, coordinator.email)
    before = {
        r["cells"]["action"]: r["id"]
        for r in client.get("/r/alpha/data/action-plan.json").get_json()["rows"]
    }
    step = get_template(region.template_id).definition.step("assess")
    answer = answer_service.step_answers(region, step)["actions"]
    moved = [{**ROWS[1], "cost": 99}, {"action": "New row"}, ROWS[0]]
    answer_service.save_step(
        region, step, {"actions": moved}, {"actions": answer.version}, coordinator
    )
    db.session.commit()
    after = {
        r["cells"]["action"]: r["id"]
        for r in client.get("/r/alpha/data/action-plan.json").get_json()["rows"]
    }
    assert {k: after[k] for k in before} == before
    assert after["New row"] == "new-row"


def test_an_empty_table_has_a_header_only_and_an_unknown_table_is_404(client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    login(client, coordinator.email)
    (header,) = _csv(client.get("/r/alpha/data/action-plan.csv"))
    assert header[0] == "Id"
    assert client.get("/r/alpha/data/indicators.csv").status_code == 404  # not in this template
    assert client.get("/r/alpha/data/budget.csv").status_code == 404


def test_the_step_page_links_the_downloads(client, make):
    _region, coordinator = _region_with_actions(make, ROWS)
    login(client, coordinator.email)
    page = client.get("/r/alpha/steps/assess").get_data(as_text=True)
    assert "/r/alpha/data/action-plan.csv" in page and "/r/alpha/data/action-plan.json" in page


def test_the_intercultural_template_has_both_tables(app):
    template = get_template("intercultural-region").definition
    assert plan_tables.find(template, "action-plan")[0].id == "action_plan"
    assert plan_tables.find(template, "indicators")[0].id == "governance"


def test_a_row_without_a_name_gets_its_number():
    assert plan_tables.row_ids(["", None, "Ça va!", "ça va"]) == [
        "row-1",
        "row-2",
        "ca-va",
        "ca-va-2",
    ]
