"""Rows pasted from a spreadsheet (issue 19, point 2): a preview shows how the columns map
and which cells fail the record form's own rules; nothing is saved until the reader confirms,
and then every row or none. A record list downloads as CSV."""

from __future__ import annotations

import csv
import io
import re

from belong.extensions import db
from belong.models import Record, Role
from belong.services import records as record_service
from belong.services.record_paste import parse, preview
from belong.templating.registry import get_template
from tests.conftest import csrf_token, login

TEMPLATE = "intercultural-region"
URL = "/r/alpha/records/stakeholder/paste"
# As LibreOffice copies it: a header row, a cell in quotes holding a tab, a choice by its label.
PASTED = (
    "Organisation or group\tCategory\tInterest\tDate\tNotes\r\n"
    '"Casa\tAperta"\tNGO or foundation\tHigh\t31.03.2026\tcalled twice\r\n'
    "Porto Valdo city council\tmunicipality\tmedium\t2026-04-02\t\r\n"
    "\r\n"
)


def _kind():
    return get_template(TEMPLATE).definition.record_kind("stakeholder")


def test_a_paste_is_read_and_checked_like_the_record_form(app):
    assert parse(PASTED)[1][0] == "Casa\tAperta"
    with app.test_request_context():
        found = preview(_kind(), PASTED, {}, max_length=20000)
    assert found.header is not None
    assert found.mapping == ["organisation", "category", "interest", "date", ""]
    assert found.ok
    assert found.rows[0].values == {
        "organisation": "Casa Aperta",  # the tab inside a cell becomes a space
        "category": "ngo",
        "interest": "high",
        "date": "2026-03-31",
    }
    with app.test_request_context():
        bad = preview(_kind(), "Alpha\tnonsense\n\tngo\n", {}, max_length=20000)
    assert bad.header is None and not bad.ok and bad.failing == 2
    assert bad.mapping[:2] == ["organisation", "category"]  # no header: in the fields' order
    assert "category" in bad.rows[0].errors  # not one of the options
    assert "organisation" in bad.rows[1].errors  # required


def _post(client, data):
    page = client.get(URL).get_data(as_text=True)
    return client.post(URL, data={"csrf_token": csrf_token(page), **data})


def test_rows_are_added_only_after_the_preview_and_all_or_none(app, make, client):
    region = make.region("alpha", TEMPLATE)
    login(client, make.user(Role.EDITOR, region).email)
    step = client.get("/r/alpha/steps/stakeholders").get_data(as_text=True)
    assert URL in step  # offered beside the list
    page = _post(client, {"rows": PASTED, "action": "preview"}).get_data(as_text=True)
    assert db.session.query(Record).count() == 0  # a preview saves nothing
    assert "2 rows are ready. Nothing is saved until you add them." in page
    assert re.search(r'<option value="interest" selected>Interest', page)
    # The reader leaves out the category column: the rows now lack a required field.
    mapping = {"mapped": "1", "columns": "5", "header": "1"}
    mapping |= {"map-0": "organisation", "map-1": "", "map-2": "interest", "map-3": "date"}
    response = _post(client, {"rows": PASTED, "action": "save", **mapping})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2 rows have problems; nothing is added" in page
    assert "Category: Fill in this field." in page
    assert db.session.query(Record).count() == 0  # none of them
    # One bad cell keeps every row out.
    broken = PASTED.replace("High", "Very high")
    response = _post(client, {"rows": broken, "action": "save"})
    assert response.status_code == 422
    assert 'class="cell-error"' in response.get_data(as_text=True)
    assert db.session.query(Record).count() == 0
    response = _post(client, {"rows": PASTED, "action": "save"})
    assert response.status_code == 302
    assert [v.title for v in record_service.records_of(region, "stakeholder")] == [
        "Casa Aperta",
        "Porto Valdo city council",
    ]
    assert "2 records are added." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_paste_without_its_token_saves_nothing(app, make, client):
    region = make.region("alpha", TEMPLATE)
    login(client, make.user(Role.EDITOR, region).email)
    response = client.post(URL, data={"rows": PASTED, "action": "save"})
    assert response.status_code == 400
    assert db.session.query(Record).count() == 0


def test_a_record_list_downloads_as_csv(app, make, client):
    region = make.region("alpha", TEMPLATE)
    record_service.add_record(
        region, "training_group", {"group": "=Head teachers", "number_to_train": 80}, None
    )
    db.session.commit()
    login(client, make.user(Role.REVIEWER, region).email)
    step = client.get("/r/alpha/steps/training").get_data(as_text=True)
    assert "/r/alpha/records/training_group/export.csv" in step
    assert "/records/training_group/paste" not in step  # a reviewer reads, never pastes
    assert client.get("/r/alpha/records/training_group/paste").status_code == 403
    response = client.get("/r/alpha/records/training_group/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="belong-alpha-training_group-'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Id", "Row", "Target group", "Number to train"]
    assert rows[1][2:4] == ["'=Head teachers", "80"]  # no formula; the figure as a number
    assert client.get("/r/alpha/records/nothing/export.csv").status_code == 404


def test_the_add_panel_answers_with_the_form_and_then_the_list(app, make, client):
    """What records.js asks for: the add form without the page around it, the form again
    with its errors (422), then the list with the new record (201) and no message kept for
    a later page."""
    region = make.region("alpha", TEMPLATE)
    login(client, make.user(Role.EDITOR, region).email)
    panel = {"X-Belong-Panel": "1"}
    url = "/r/alpha/records/stakeholder/new"
    fragment = client.get(url, headers=panel).get_data(as_text=True)
    assert "<html" not in fragment and 'name="f_organisation"' in fragment
    assert "data-record-cancel" in fragment
    data = {"csrf_token": csrf_token(fragment), "revision": "0", "action": "save"}
    response = client.post(url, data=data, headers=panel)
    assert response.status_code == 422
    assert 'id="error-summary"' in response.get_data(as_text=True)
    response = client.post(
        url, data={**data, "f_organisation": "Casa Aperta", "f_category": "ngo"}, headers=panel
    )
    assert response.status_code == 201
    [view] = record_service.records_of(region, "stakeholder")
    assert response.headers["X-Record-Key"] == view.key
    body = response.get_data(as_text=True)
    assert f'data-record-key="{view.key}"' in body and "“Casa Aperta” is added." in body
    page = client.get("/r/alpha/steps/stakeholders").get_data(as_text=True)
    assert "is added." not in page  # announced in place, not flashed
    assert "records.js" in page
