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
from belong.demo.records import load_records
from belong.extensions import db
from belong.models import DraftVersion, Record, ReviewRequest, ReviewStatus, Role
from belong.models.base import utcnow
from belong.services import answers, documents, pdf_jobs
from belong.services.records import delete_record, save_record
from belong.services.records_from_answers import migrate_lists
from belong.services.strategy_checks import Status, evaluate, region_checks, region_values
from belong.services.versions import nested
from belong.templating.loader import TemplateError, _validated
from belong.templating.registry import get_template
from tests.conftest import login, post_form

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "intercultural-region"


def _values(slug: str) -> dict:
    data = texts.load(slug)["answers"]
    return {(step, q): value for step, questions in data.items() for q, value in questions.items()}


def _region_with(make, slug: str, values: dict | None = None):
    """A demo region: its answers (`values`, else the demo's) and the demo's records."""
    region = make.region(slug, TEMPLATE)
    author = make.user(Role.COORDINATOR, region)
    for (step, question), value in (values or _values(slug)).items():
        answers.set_answer(region, step, question, value, author)
    load_records(region, texts.load(slug).get("plan_tables"), author)
    migrate_lists(region, author)  # the register's rows become records, as on an upgrade
    db.session.commit()
    return region, author


def _results(region) -> dict:
    template = get_template(TEMPLATE).definition
    return {r.check.id: r for r in region_checks(region, template)}


def _records(region, kind: str) -> list[Record]:
    return list(
        db.session.scalars(
            db.select(Record)
            .where(Record.region_id == region.id, Record.kind == kind)
            .order_by(Record.position)
        )
    )


def _edit(region, author, record: Record, change) -> None:
    """Save the record with `change` applied to a copy of its values, as an editor would."""
    values = copy.deepcopy(record.values)
    change(values)
    assert save_record(region, record, values, record.revision, author)
    db.session.commit()


def _action(region, number: int) -> Record:
    return _records(region, "action")[number - 1]


def _objective(region, start: str) -> Record:
    return next(r for r in _records(region, "objective") if r.values["statement"].startswith(start))


def test_valdoria_passes_every_check_and_nordmark_has_open_ones(app, make):
    valdoria = _results(_region_with(make, "valdoria")[0])
    assert len(valdoria) == 11
    assert {r.status for r in valdoria.values()} == {Status.PASS}, {
        key: r.detail for key, r in valdoria.items() if r.status is not Status.PASS
    }
    assert valdoria["objectives_have_actions"].detail == "All 13 are linked."
    assert valdoria["funding_complete"].advice == ""  # nothing to do once it passes

    nordmark = _results(_region_with(make, "nordmark")[0])
    assert nordmark["required_steps"].status is Status.FAIL
    assert nordmark["required_steps"].detail.startswith("10 steps are not complete yet")
    assert nordmark["principles_have_indicators"].status is Status.FAIL
    # Its one objective has no action yet: a failure; no action at all: nothing to date yet.
    assert nordmark["objectives_have_actions"].status is Status.FAIL
    assert nordmark["objectives_measurable"].status is Status.FAIL
    assert "(no baseline, target, target date)" in nordmark["objectives_measurable"].detail
    assert "A welcome point in every district by 2029" in nordmark["objectives_have_actions"].detail
    assert nordmark["actions_end_after_start"].status is Status.WARNING
    assert nordmark["planning_period"].status is Status.WARNING


def _break_required(region, author):
    answers.set_answer(region, "mandate", "lead_department", None, author)
    db.session.commit()


def _break_period(region, author):
    answers.set_answer(region, "mandate", "period_end", "2025-06-30", author)
    db.session.commit()


def _break_action_dates(region, author):
    _edit(region, author, _action(region, 1), lambda v: v.update(end="2031-06-30"))


def _break_action_order(region, author):
    _edit(
        region, author, _action(region, 2), lambda v: v.update(start="2028-03-01", end="2027-12-31")
    )


def _break_funding(region, author):
    _edit(region, author, _action(region, 3), lambda v: v["budget"][0].update(status=None))


def _break_cost_line(region, author):
    """A cost line beyond the actions (the final evaluation) loses its funding source."""
    final = next(
        c for c in _records(region, "cost_line") if c.values["title"] == "Final evaluation"
    )
    _edit(region, author, final, lambda v: v["budget"][0].update(source=" "))


def _break_objective_target(region, author):
    """The objective of 60 schools loses its target and its date: no longer measurable."""
    _edit(
        region,
        author,
        _objective(region, "60 schools"),
        lambda v: v.update(target=" ", target_date=None),
    )


def _break_objective_link(region, author):
    """No action serves the objective of 150 employers any more."""
    key = _objective(region, "150 employers").key
    for action in _records(region, "action"):
        if key in (action.values.get("objectives") or []):
            _edit(
                region,
                author,
                action,
                lambda v: v.update(objectives=[k for k in v["objectives"] if k != key]),
            )


def _break_objective_indicator(region, author):
    """No indicator measures the objective of 30 public spaces, nor an action serving it."""
    key = _objective(region, "30 public spaces").key
    serving = {
        a.key for a in _records(region, "action") if key in (a.values.get("objectives") or [])
    }
    for indicator in _records(region, "indicator"):
        if indicator.values.get("objective") == key or indicator.values.get("action") in serving:
            _edit(region, author, indicator, lambda v: v.update(objective=None, action=None))


def _break_principle(region, author):
    """No indicator tracks participation any more."""
    for indicator in _records(region, "indicator"):
        if "participation" in (indicator.values.get("principles") or []):
            _edit(
                region,
                author,
                indicator,
                lambda v: v.update(principles=[p for p in v["principles"] if p != "participation"]),
            )


def _break_weak_area(region, author):
    """The one action on leadership and citizenship, a weak area, no longer says so."""
    leadership = next(
        a for a in _records(region, "action") if a.values["title"].startswith("Leadership")
    )
    _edit(region, author, leadership, lambda v: v.update(policy_areas=["participation"]))


def _break_categories(region, author):
    template = get_template(TEMPLATE).definition
    for row in _records(region, "stakeholder"):  # the register is records
        if row.values.get("category") == "resident":
            delete_record(region, row, template, author)
    db.session.commit()


PLAN, GOVERNANCE = "action_plan", "governance"
FAIL, WARNING = Status.FAIL, Status.WARNING
BROKEN = [
    ("required_steps", _break_required, FAIL, "Mandate and set-up", "mandate"),
    ("planning_period", _break_period, FAIL, "30 June 2025", "mandate"),
    ("dates_in_period", _break_action_dates, FAIL, "30 June 2031", PLAN),
    ("actions_end_after_start", _break_action_order, FAIL, "1 March 2028", PLAN),
    ("funding_complete", _break_funding, FAIL, "no funding status", PLAN),
    (
        "funding_complete",
        _break_cost_line,
        FAIL,
        "Final evaluation, 2030 (no funding source)",
        PLAN,
    ),
    (
        "objectives_measurable",
        _break_objective_target,
        FAIL,
        "60 schools adopt an intercultural school plan with parent mediators by 2030 "
        "(no target, target date)",
        "priorities",
    ),
    ("objectives_have_actions", _break_objective_link, FAIL, "150 employers", PLAN),
    (
        "objectives_have_indicators",
        _break_objective_indicator,
        FAIL,
        "30 public spaces",
        GOVERNANCE,
    ),
    ("principles_have_indicators", _break_principle, FAIL, "Active citizenship", GOVERNANCE),
    ("weak_areas_addressed", _break_weak_area, FAIL, "Leadership and citizenship", "priorities"),
    ("consultation_categories", _break_categories, WARNING, "Individual resident", "stakeholders"),
]


@pytest.mark.parametrize(("check", "damage", "status", "found", "place"), BROKEN)
def test_each_check_fails_on_the_records_or_answers_that_contradict_it(
    app, make, check, damage, status, found, place
):
    region, author = _region_with(make, "valdoria")
    assert _results(region)[check].status is Status.PASS
    damage(region, author)
    results = _results(region)
    result = results[check]
    assert result.status is status
    assert found in result.detail
    declared = {c.id: c for c in get_template(TEMPLATE).definition.checks}
    assert result.advice == declared[check].advice and result.advice
    assert result.step_id == place
    # One contradiction opens its own check and no other (a period ending too early also
    # leaves the actions' dates outside it).
    also = {"planning_period": ["dates_in_period"]}.get(check, [])
    assert [c for c, r in results.items() if r.open] == [check, *also]


def test_the_required_steps_check_links_to_the_first_missing_question(app, make):
    region, author = _region_with(make, "valdoria")
    _break_required(region, author)
    result = _results(region)["required_steps"]
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
    data["checks"][6]["kind"] = "wish"
    with pytest.raises(TemplateError) as caught:
        _validated(Path("template.yaml"), data)
    assert "checks[6] (objectives_have_actions): kind 'wish' is not one of" in str(caught.value)


def test_the_checks_read_in_the_regions_language(app):
    spanish = get_template(TEMPLATE, "es").definition
    results = {r.check.id: r for r in evaluate(spanish, _values("nordmark"))}
    assert results["required_steps"].title == spanish.checks[0].title
    assert spanish.checks[0].title != get_template(TEMPLATE, "en").definition.checks[0].title


def test_the_command_exits_1_when_a_check_fails(app, make, runner):
    _region_with(make, "valdoria")
    _region_with(make, "nordmark")
    passing = runner.invoke(args=["strategy-checks", "valdoria"])
    assert passing.exit_code == 0, passing.output
    assert "11 passed, 0 warnings, 0 failed (11 checks)." in passing.output
    failing = runner.invoke(args=["strategy-checks", "nordmark"])
    assert failing.exit_code == 1
    assert "[FAIL] Every step is complete: 10 steps are not complete yet" in failing.output
    assert "Answer the required questions of each step that is not complete yet." in failing.output
    assert "/r/nordmark/steps/mandate#q-political_sponsor" in failing.output
    unknown = runner.invoke(args=["strategy-checks", "atlantis"])
    assert unknown.exit_code == 1 and "no region with the short name" in unknown.output


def test_home_shows_every_check_and_a_step_page_its_own(app, make, client):
    _region, author = _region_with(make, "nordmark")
    login(client, author.email)
    home = client.get("/r/nordmark/").get_data(as_text=True)
    assert "Strategy checks" in home
    assert home.count("0 passed, 5 with a warning, 6 failed, of 11 checks.") == 2  # top, list
    assert "A version cannot be released while a check fails." in home
    assert 'href="/r/nordmark/steps/action_plan#q-action_records"' in home
    step = client.get("/r/nordmark/steps/governance").get_data(as_text=True)
    assert "Strategy checks of this step" in step
    assert "Every principle has an indicator" in step
    assert "Every step is complete" not in step  # its place is the mandate step
    mandate = client.get("/r/nordmark/steps/mandate").get_data(as_text=True)
    assert "Every step is complete" in mandate and 'href="#q-political_sponsor"' not in mandate
    # Before submitting, the coordinator learns that such a version cannot be released.
    check = client.get("/r/nordmark/versions/check").get_data(as_text=True)
    assert "6 strategy checks fail" in check
    assert "it cannot be released while a check fails" in check
    link = (
        'href="/r/nordmark/steps/governance#q-indicator_records">Every principle has an indicator'
    )
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
    region, author = _region_with(make, "valdoria")
    reviewer = make.user(Role.REVIEWER, region)
    template = get_template(TEMPLATE)
    passing = region_values(region, template.definition)
    _break_funding(region, author)
    values = region_values(region, template.definition)

    draft = _text(documents.draft_pdf(region, template))
    first_page = " ".join(draft.split("Contents")[0].split())  # lines wrap anywhere
    assert "Status of this draft" in first_page
    assert "10 of 10 steps completed (100 %)." in first_page
    assert "10 passed, 0 with a warning, 1 failed, of 11 checks." in first_page
    assert "Every funding line has a source and a status Failed" in first_page
    assert "1 of 106 is incomplete: Anti-discrimination outreach points" in first_page
    assert "No review thread is open." in first_page

    coordinator = app.test_client()
    login(coordinator, author.email)
    broken = _approved_version(region, author, reviewer, values, 1)
    page = coordinator.get("/r/valdoria/versions/1/release").get_data(as_text=True)
    assert "1 strategy check fails for this version: Every funding line has a source" in page
    assert post_form(coordinator, "/r/valdoria/versions/1/release", {}).status_code == 422
    db.session.expire_all()
    assert db.session.get(DraftVersion, broken.id).released_at is None

    _approved_version(region, author, reviewer, passing, 2)
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
