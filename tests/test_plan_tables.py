"""The action plan and the indicators as data: CSV (BOM, labels) and JSON (codes and labels),
one row per linked record, with the record's key as its id, the keys it refers to and a link
to the record's own page."""

from __future__ import annotations

import csv
import io
import json

from belong.extensions import db
from belong.models import Role
from belong.services import records
from tests.conftest import login


def _region_with_actions(make):
    region = make.region("north", template_id="intercultural-region")
    coordinator = make.user(Role.COORDINATOR, region)
    priority = records.add_record(region, "priority", {"title": "Fair services"}, coordinator)
    objective = records.add_record(
        region,
        "objective",
        {
            "statement": "Interpreting in every clinic",
            "level": "specific",
            "priority": [priority.key],
        },
        coordinator,
    )
    first = records.add_record(
        region,
        "action",
        {
            "title": "Mediators in clinics",
            "objectives": [objective.key],
            "start": "2027-03-01",
            "policy_areas": ["public_services"],
        },
        coordinator,
    )
    second = records.add_record(region, "action", {"title": "Łódź welcome desk"}, coordinator)
    db.session.commit()
    return region, coordinator, objective, first, second


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_action_plan_downloads_as_csv_with_labels_keys_and_links(client, make):
    region, _coordinator, _objective, first, second = _region_with_actions(make)
    reader = make.user(Role.CONTRIBUTOR, region)
    login(client, reader.email)
    response = client.get("/r/north/data/action-plan.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "belong-north-action-plan-" in response.headers["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[:3] == ["Id", "Row", "Action"] and header[-1] == "Link"
    assert [r[0] for r in rows] == [first.key, second.key]
    cells = dict(zip(header, rows[0], strict=True))
    assert cells["Action"] == "Mediators in clinics"
    assert cells["Specific objectives served"] == "Interpreting in every clinic"
    assert cells["Start"] == "2027-03-01"
    assert cells["Policy areas"] == "Public services"
    assert cells["Link"].endswith(f"/r/north/records/action/{first.key}")
    assert rows[1][2] == "Łódź welcome desk"


def test_the_json_has_codes_labels_and_references(client, make):
    _region, coordinator, objective, first, _second = _region_with_actions(make)
    login(client, coordinator.email)
    response = client.get("/r/north/data/action-plan.json")
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["kind"] == "action" and data["label"] == "Actions"
    columns = {c["id"]: c for c in data["columns"]}
    assert columns["objectives"]["refers_to"] == "objective"
    assert columns["policy_areas"]["options"]["public_services"] == "Public services"
    row = data["rows"][0]
    assert row["id"] == first.key and row["row"] == 1
    assert row["cells"]["policy_areas"] == ["public_services"]
    assert row["refs"]["objectives"] == [objective.key]
    assert row["link"].endswith(f"/r/north/records/action/{first.key}")


def test_a_records_key_stays_when_its_title_changes_and_the_list_is_reordered(client, make):
    region, coordinator, _objective, first, second = _region_with_actions(make)
    changed = {**first.values, "title": "Health mediators"}
    records.save_record(region, first, changed, first.revision, coordinator)
    records.move_record(region, second, -1)
    db.session.commit()
    login(client, coordinator.email)
    _header, *rows = _csv(client.get("/r/north/data/action-plan.csv"))
    assert [(r[0], r[2]) for r in rows] == [
        (second.key, "Łódź welcome desk"),
        (first.key, "Health mediators"),
    ]


def test_no_indicators_yet_is_a_header_only_and_an_empty_json(client, make):
    _region, coordinator, *_ = _region_with_actions(make)
    login(client, coordinator.email)
    header, *rows = _csv(client.get("/r/north/data/indicators.csv"))
    assert header[0] == "Id" and rows == []
    data = json.loads(client.get("/r/north/data/indicators.json").get_data(as_text=True))
    assert data["rows"] == [] and data["kind"] == "indicator"


def test_an_unknown_table_or_another_region_is_not_found(client, make):
    _region_with_actions(make)
    other = make.region("south", template_id="intercultural-region")
    stranger = make.user(Role.COORDINATOR, other)
    login(client, stranger.email)
    assert client.get("/r/north/data/action-plan.csv").status_code == 404
    assert client.get("/r/south/data/budget.csv").status_code == 404


def test_the_step_page_links_the_downloads_under_the_records(client, make):
    _region, coordinator, *_ = _region_with_actions(make)
    login(client, coordinator.email)
    page = client.get("/r/north/steps/action_plan").get_data(as_text=True)
    assert "/r/north/data/action-plan.csv" in page and "/r/north/data/action-plan.json" in page
    page = client.get("/r/north/steps/governance").get_data(as_text=True)
    assert "/r/north/data/indicators.csv" in page
