"""Records of the results chain: each edited on its own page, chosen where referred to,
with history, conflicts, ordering and deletion that names what refers to it."""

from __future__ import annotations

import re

from sqlalchemy import select

from belong.extensions import db
from belong.models import Record, Role
from belong.services import records as record_service
from tests.conftest import csrf_token, login

TEMPLATE = "intercultural-region"


def _region(make):
    return make.region("alpha", TEMPLATE)


def _form(client, url) -> dict:
    html = client.get(url).get_data(as_text=True)
    found = dict(re.findall(r'name="(revision)" type="hidden" value="(\d+)"', html))
    return {"csrf_token": csrf_token(html), **found, "action": "save"}


def _add(client, kind, fields) -> str:
    url = f"/r/alpha/records/{kind}/new"
    response = client.post(url, data={**_form(client, url), **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.scalars(
        select(Record.key).where(Record.kind == kind).order_by(Record.id.desc())
    ).first()


def test_an_editor_builds_the_chain_and_references_are_chosen_not_typed(app, make, client):
    region = _region(make)
    editor = make.user(Role.EDITOR, region)
    login(client, editor.email)
    priority = _add(client, "priority", {"f_title": "Work and skills"})
    page = client.get("/r/alpha/records/objective/new").get_data(as_text=True)
    assert "Work and skills" in page  # offered as a choice
    objective = _add(
        client,
        "objective",
        {"f_statement": "Halve recognition time", "f_level": "specific", "f_priority": priority},
    )
    action = _add(
        client,
        "action",
        {
            "f_title": "Recognition desk",
            "f_objectives": [objective],
            "f_budget-0-year": "2027",
            "f_budget-0-source": "ESF+",
            "f_budget-0-amount": "120000",
            "f_budget-0-status": "secured",
        },
    )
    views = record_service.records_of(region, "action")
    assert [v.title for v in views] == ["Recognition desk"]
    assert [o.key for o in views[0].ref("objectives")] == [objective]
    assert views[0].ref("objectives")[0].ref("priority")[0].title == "Work and skills"
    assert views[0].values["budget"] == [
        {"year": 2027, "source": "ESF+", "amount": 120000, "status": "secured"}
    ]
    step = client.get("/r/alpha/steps/action_plan").get_data(as_text=True)
    assert "Recognition desk" in step and f"/r/alpha/records/action/{action}" in step


def test_a_required_field_and_an_unknown_reference_are_refused_at_the_field(app, make, client):
    region = _region(make)
    login(client, make.user(Role.EDITOR, region).email)
    url = "/r/alpha/records/objective/new"
    response = client.post(
        url, data={**_form(client, url), "f_statement": "", "f_priority": "priority-nope"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Fill in this field." in page
    assert "Choose among the records listed." in page
    assert db.session.query(Record).count() == 0


def test_two_editors_save_one_record_and_nothing_is_overwritten(app, make):
    region = _region(make)
    ana, ben = make.user(Role.EDITOR, region), make.user(Role.EDITOR, region)
    a, b = app.test_client(), app.test_client()
    login(a, ana.email)
    login(b, ben.email)
    key = _add(a, "priority", {"f_title": "Housing"})
    url = f"/r/alpha/records/priority/{key}"
    form_a, form_b = _form(a, url), _form(b, url)
    assert a.post(url, data={**form_a, "f_title": "Housing for all"}).status_code == 302
    response = b.post(url, data={**form_b, "f_title": "Affordable housing"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this record" in page
    assert "Housing for all" in page and "Affordable housing" in page
    assert record_service.records_of(region, "priority")[0].title == "Housing for all"
    # Saving again from the conflict page (it carries the newer revision) replaces it.
    again = {**_form(b, url), "f_title": "Affordable housing"}
    again["revision"] = re.search(r'name="revision" type="hidden" value="(\d+)"', page).group(1)
    assert b.post(url, data=again).status_code == 302
    assert record_service.records_of(region, "priority")[0].title == "Affordable housing"
    history = b.get(f"{url}/history").get_data(as_text=True)
    assert "Housing for all" in history and "Affordable housing" in history


def test_move_duplicate_and_delete_with_what_refers_to_it(app, make, client):
    region = _region(make)
    login(client, make.user(Role.EDITOR, region).email)
    first = _add(client, "priority", {"f_title": "First"})
    second = _add(client, "priority", {"f_title": "Second"})
    objective = _add(
        client, "objective", {"f_statement": "Goal", "f_level": "general", "f_priority": first}
    )
    step = "/r/alpha/steps/priorities"
    token = csrf_token(client.get(step).get_data(as_text=True))
    url = f"/r/alpha/records/priority/{second}/move"
    assert client.post(url, data={"csrf_token": token, "direction": "up"}).status_code == 302
    assert [v.title for v in record_service.records_of(region, "priority")] == ["Second", "First"]
    dup = client.post(f"/r/alpha/records/priority/{first}/duplicate", data={"csrf_token": token})
    assert dup.status_code == 302
    titles = [v.title for v in record_service.records_of(region, "priority")]
    assert titles == ["Second", "First", "First (copy)"]
    confirm = client.get(f"/r/alpha/records/priority/{first}/delete").get_data(as_text=True)
    assert "1 record refers to it" in confirm and "Goal" in confirm
    assert db.session.query(Record).filter_by(key=first).count() == 1  # nothing yet
    response = client.post(
        f"/r/alpha/records/priority/{first}/delete",
        data={"csrf_token": csrf_token(confirm)},
    )
    assert response.status_code == 302
    assert db.session.query(Record).filter_by(key=first).count() == 0
    goal = record_service.records_of(region, "objective")[0]
    assert goal.key == objective and goal.ref("priority") == []
    assert record_service.history(region, first)[0].values is None  # its deletion, kept


def test_readers_see_records_but_cannot_change_them_and_other_regions_get_404(app, make, client):
    region = _region(make)
    other = make.region("beta", TEMPLATE)
    editor = make.user(Role.EDITOR, region)
    record = record_service.add_record(region, "priority", {"title": "Language"}, editor)
    db.session.commit()
    login(client, make.user(Role.CONTRIBUTOR, region).email)
    page = client.get(f"/r/alpha/records/priority/{record.key}")
    assert page.status_code == 200 and "Language" in page.get_data(as_text=True)
    assert 'name="f_title"' not in page.get_data(as_text=True)
    step = client.get("/r/alpha/steps/priorities").get_data(as_text=True)
    assert "Language" in step
    assert client.get("/r/alpha/records/priority/new").status_code == 403
    assert client.get(f"/r/beta/records/priority/{record.key}").status_code == 404
    assert other.slug == "beta"


def test_check_your_answers_lists_the_records_of_each_step(app, make, client):
    region = _region(make)
    coordinator = make.user(Role.COORDINATOR, region)
    record_service.add_record(region, "action", {"title": "Night buses"}, coordinator)
    db.session.commit()
    login(client, coordinator.email)
    page = client.get("/r/alpha/versions/check").get_data(as_text=True)
    section = page[page.index('id="check-action_plan"') :]
    assert "Night buses" in section[: section.index("</section>")]
