"""Strategy checks (issue 18, points 7-9): declared in the template, evaluated by one module,
shown on the region's home and step pages, printed by `flask strategy-checks`, opening the
draft PDF, and refusing a release while one fails."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from belong.demo import texts
from belong.extensions import db
from belong.models import DraftVersion, ReviewRequest, ReviewStatus, Role
from belong.models.base import utcnow
from belong.services import answers, documents, pdf_jobs
from belong.services.records_from_answers import migrate_lists
from belong.services.strategy_checks import Status, evaluate
from belong.services.versions import nested
from belong.templating.loader import TemplateError, _validated
from belong.templating.registry import get_template
from tests.conftest import login, post_form

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "intercultural-region"


def _values(slug: str) -> dict:
    data = texts.load(slug)["answers"]
    return {(step, q): value for step, questions in data.items() for q, value in questions.items()}


def _results(values: dict) -> dict:
    template = get_template(TEMPLATE).definition
    return {r.check.id: r for r in evaluate(template, values)}


def _region_with(make, slug: str, values: dict):
    region = make.region(slug, TEMPLATE)
    author = make.user(Role.COORDINATOR, region)
    for (step, question), value in values.items():
        answers.set_answer(region, step, question, value, author)
    migrate_lists(region, author)  # the register's rows become records, as on an upgrade
    db.session.commit()
    return region, author


def test_valdoria_passes_every_check_and_nordmark_has_open_ones(app):
    valdoria = _results(_values("valdoria"))
    assert len(valdoria) == 10
    assert {r.status for r in valdoria.values()} == {Status.PASS}, {
        key: r.detail for key, r in valdoria.items() if r.status is not Status.PASS
    }
    assert valdoria["objectives_have_actions"].detail == "All 13 are linked."
    assert valdoria["funding_complete"].advice == ""  # nothing to do once it passes

    nordmark = _results(_values("nordmark"))
    assert nordmark["required_steps"].status is Status.FAIL
    assert nordmark["required_steps"].detail.startswith("10 steps are not complete yet")
    assert nordmark["principles_have_indicators"].status is Status.FAIL
    # Nothing recorded yet is a warning, never a pass.
    assert nordmark["objectives_have_actions"].status is Status.WARNING
    assert nordmark["planning_period"].status is Status.WARNING


def _action(values, number):
    return values[("action_plan", "actions")][number - 1]


def _break_required(values):
    del values[("mandate", "lead_department")]


def _break_period(values):
    values[("mandate", "period_end")] = "2025-06-30"


def _break_action_dates(values):
    _action(values, 1)["end"] = "2031-06-30"


def _break_action_order(values):
    _action(values, 2)["start"] = "2028-03-01"


def _break_funding(values):
    _action(values, 3)["funding_status"] = None


def _break_objective_link(values):
    cell = _action(values, 4)["objective"]
    _action(values, 4)["objective"] = cell.split(";")[0]


def _break_objective_indicator(values):
    _action(values, 7)["indicator"] = ""


def _break_principle(values):
    _action(values, 9)["indicator"] = ""
    _action(values, 10)["indicator"] = ""


def _break_weak_area(values):
    values[("priorities", "deferred_areas")][0]["reason"] = "  "


def _break_categories(values):
    register = values[("stakeholders", "stakeholder_register")]
    values[("stakeholders", "stakeholder_register")] = [
        row for row in register if row["category"] != "resident"
    ]


PLAN = "action_plan"
FAIL, WARNING = Status.FAIL, Status.WARNING
BROKEN = [
    ("required_steps", _break_required, FAIL, "Mandate and set-up", "mandate"),
    ("planning_period", _break_period, FAIL, "30 June 2025", "mandate"),
    ("dates_in_period", _break_action_dates, FAIL, "30 June 2031", PLAN),
    ("actions_end_after_start", _break_action_order, FAIL, "1 March 2028", PLAN),
    ("funding_complete", _break_funding, FAIL, "no funding status", PLAN),
    ("objectives_have_actions", _break_objective_link, FAIL, "150 employers", PLAN),
    ("objectives_have_indicators", _break_objective_indicator, FAIL, "30 public spaces", PLAN),
    ("principles_have_indicators", _break_principle, FAIL, "Active citizenship", PLAN),
    ("weak_areas_addressed", _break_weak_area, FAIL, "Intercultural intelligence", "priorities"),
    ("consultation_categories", _break_categories, WARNING, "Individual resident", "stakeholders"),
]


@pytest.mark.parametrize(("check", "damage", "status", "found", "place"), BROKEN)
def test_each_check_fails_on_the_answers_that_contradict_it(
    app, check, damage, status, found, place
):
    values = copy.deepcopy(_values("valdoria"))
    damage(values)
    result = _results(values)[check]
    assert result.status is status
    assert found in result.detail
    declared = {c.id: c for c in get_template(TEMPLATE).definition.checks}
    assert result.advice == declared[check].advice and result.advice
    assert result.step_id == place


def test_the_required_steps_check_links_to_the_first_missing_question(app):
    values = copy.deepcopy(_values("valdoria"))
    _break_required(values)
    result = _results(values)["required_steps"]
    assert (result.step_id, result.anchor) == ("mandate", "q-lead_department")
    assert result.detail == "1 step is not complete yet: Mandate and set-up."


def _raw() -> dict:
    return yaml.safe_load((ROOT / "strategy_templates" / TEMPLATE / "template.yaml").read_text())


def test_a_wrong_check_names_its_place_in_the_file(app):
    data = _raw()
    data["checks"][1]["start"] = "mandate.no_such_question"
    with pytest.raises(TemplateError) as caught:
        _validated(Path("template.yaml"), data)
    assert "checks[1] (planning_period): start: step 'mandate' has no question" in str(caught.value)
    data = _raw()
    data["checks"][4]["by"] = "action"
    with pytest.raises(TemplateError) as caught:
        _validated(Path("template.yaml"), data)
    assert "checks[4] (funding_complete): the rule every_has takes no by" in str(caught.value)
    data = _raw()
    data["checks"][5]["kind"] = "wish"
    with pytest.raises(TemplateError) as caught:
        _validated(Path("template.yaml"), data)
    assert "checks[5] (objectives_have_actions): kind 'wish' is not one of" in str(caught.value)


def test_the_checks_read_in_the_regions_language(app):
    spanish = get_template(TEMPLATE, "es").definition
    results = {r.check.id: r for r in evaluate(spanish, _values("nordmark"))}
    assert results["required_steps"].title == spanish.checks[0].title
    assert spanish.checks[0].title != get_template(TEMPLATE, "en").definition.checks[0].title


def test_the_command_exits_1_when_a_check_fails(app, make, runner):
    _region_with(make, "valdoria", _values("valdoria"))
    _region_with(make, "nordmark", _values("nordmark"))
    passing = runner.invoke(args=["strategy-checks", "valdoria"])
    assert passing.exit_code == 0, passing.output
    assert "10 passed, 0 warnings, 0 failed (10 checks)." in passing.output
    failing = runner.invoke(args=["strategy-checks", "nordmark"])
    assert failing.exit_code == 1
    assert "[FAIL] Every step is complete: 10 steps are not complete yet" in failing.output
    assert "Answer the required questions of each step that is not complete yet." in failing.output
    assert "/r/nordmark/steps/mandate#q-political_sponsor" in failing.output
    unknown = runner.invoke(args=["strategy-checks", "atlantis"])
    assert unknown.exit_code == 1 and "no region with the short name" in unknown.output


def test_home_shows_every_check_and_a_step_page_its_own(app, make, client):
    _region, author = _region_with(make, "nordmark", _values("nordmark"))
    login(client, author.email)
    home = client.get("/r/nordmark/").get_data(as_text=True)
    assert "Strategy checks" in home
    assert home.count("0 passed, 7 with a warning, 3 failed, of 10 checks.") == 2  # top, list
    assert "A version cannot be released while a check fails." in home
    assert 'href="/r/nordmark/steps/action_plan#q-actions"' in home
    step = client.get("/r/nordmark/steps/action_plan").get_data(as_text=True)
    assert "Strategy checks of this step" in step
    assert "Every principle has an indicator" in step
    assert "Every step is complete" not in step  # its place is the mandate step
    mandate = client.get("/r/nordmark/steps/mandate").get_data(as_text=True)
    assert "Every step is complete" in mandate and 'href="#q-political_sponsor"' not in mandate
    # Before submitting, the coordinator learns that such a version cannot be released.
    check = client.get("/r/nordmark/versions/check").get_data(as_text=True)
    assert "3 strategy checks fail" in check
    assert "it cannot be released while a check fails" in check
    link = 'href="/r/nordmark/steps/action_plan#q-actions">Every principle has an indicator'
    assert link in check


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _approved_version(region, author, reviewer, values, number):
    version = DraftVersion(
        region_id=region.id,
        number=number,
        template_id=TEMPLATE,
        template_version=1,
        answers=nested(values),
        pdf=b"%PDF-1.7 stand-in",
        sha256="0" * 64,
        message="",
        submitted_by_id=author.id,
    )
    db.session.add(version)
    db.session.flush()
    db.session.add(
        ReviewRequest(
            region_id=region.id,
            version_id=version.id,
            reviewer_id=reviewer.id,
            status=ReviewStatus.APPROVED.value,
            decided_at=utcnow(),
        )
    )
    db.session.commit()
    return version


def test_draft_pdf_opens_with_its_status_and_a_failing_check_refuses_release(app, make):
    values = copy.deepcopy(_values("valdoria"))
    _break_funding(values)
    region, author = _region_with(make, "valdoria", values)
    reviewer = make.user(Role.REVIEWER, region)
    template = get_template(TEMPLATE)

    draft = _text(documents.draft_pdf(region, template))
    first_page = " ".join(draft.split("Contents")[0].split())  # lines wrap anywhere
    assert "Status of this draft" in first_page
    assert "10 of 10 steps completed (100 %)." in first_page
    assert "9 passed, 0 with a warning, 1 failed, of 10 checks." in first_page
    assert "Every funding line has a source and a status Failed" in first_page
    assert "1 of 10 is incomplete: Anti-discrimination outreach points" in first_page
    assert "No review thread is open." in first_page

    coordinator = app.test_client()
    login(coordinator, author.email)
    broken = _approved_version(region, author, reviewer, values, 1)
    page = coordinator.get("/r/valdoria/versions/1/release").get_data(as_text=True)
    assert "1 strategy check fails for this version: Every funding line has a source" in page
    assert post_form(coordinator, "/r/valdoria/versions/1/release", {}).status_code == 422
    db.session.expire_all()
    assert db.session.get(DraftVersion, broken.id).released_at is None

    _approved_version(region, author, reviewer, _values("valdoria"), 2)
    response = post_form(coordinator, "/r/valdoria/versions/2/release", {})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    db.session.expire_all()
    released = db.session.scalar(
        db.select(DraftVersion).where(DraftVersion.region_id == region.id, DraftVersion.number == 2)
    )
    pdf_jobs.wait_for_release(released)
    db.session.expire_all()
    text = _text(db.session.get(DraftVersion, released.id).released_pdf)
    assert "Released for adoption" in text
    assert "Status of this draft" not in text and "Strategy checks" not in text


def test_a_translation_names_a_check_that_does_not_exist(tmp_path):
    from belong.templating.translation import TranslationError, merge_translation

    path = tmp_path / "es.yaml"
    texts = {"language": "es", "checks": {"no_such_check": {"title": "Algo"}}}
    with pytest.raises(TranslationError) as caught:
        merge_translation(path, _raw(), texts)
    assert f"{path}: checks.no_such_check: the template has no such check" in str(caught.value)
    texts = {"language": "es", "checks": {"required_steps": {"titel": "Algo"}}}
    with pytest.raises(TranslationError) as caught:
        merge_translation(path, _raw(), texts)
    assert "checks.required_steps.titel: unknown key" in str(caught.value)
