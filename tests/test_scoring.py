"""Self-assessment scores, their charts, recorded baselines, and the action plan's figures."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from belong.document.chart import progress_chart, score_chart, timeline_chart
from belong.document.plan import funding_shares
from belong.extensions import db
from belong.models import AssessmentSnapshot, AuditEvent, Role
from belong.services import answers
from belong.services.scoring import assess, progress
from belong.templating.registry import get_template
from belong.templating.schema import StrategyTemplate
from tests.conftest import post_form

YES_PARTLY_NO = [
    {"value": "no", "label": "No", "points": 0},
    {"value": "partly", "label": "Partly", "points": 1},
    {"value": "yes", "label": "Yes", "points": 2},
]


def _scale(qid: str, area: str) -> dict:
    return {"id": qid, "type": "scale", "label": qid, "area": area, "options": YES_PARTLY_NO}


TEMPLATE = StrategyTemplate.model_validate(
    {
        "id": "t",
        "version": 1,
        "language": "en",
        "title": "T",
        "areas": [
            {"id": "commitment", "label": "Commitment", "weight": 2},
            {"id": "education", "label": "Education"},
            {"id": "media", "label": "Media"},
            {"id": "unused", "label": "Declared but never asked"},
        ],
        "steps": [
            {
                "id": "sa",
                "title": "Self-assessment",
                "questions": [
                    {"id": "notes", "type": "long_text", "label": "Notes"},
                    _scale("c1", "commitment"),
                    _scale("c2", "commitment"),
                    _scale("e1", "education"),
                    _scale("e2", "education"),
                    _scale("e3", "education"),
                ],
            },
            {"id": "later", "title": "Later", "questions": [_scale("m1", "media")]},
        ],
    }
)


def _answers(**choices: str) -> dict:
    step = {"m1": "later"}
    return {
        (step.get(qid, "sa"), qid): {"choice": choice, "evidence": "A decision."}
        for qid, choice in choices.items()
    }


def test_area_score_is_the_share_of_points_and_unanswered_questions_count_zero():
    result = assess(TEMPLATE, _answers(c1="yes", c2="partly", e1="yes"))
    areas = {a.id: a for a in result.areas}
    assert areas["commitment"].score == 75.0  # 3 of 4 points
    assert (areas["commitment"].answered, areas["commitment"].total) == (2, 2)
    assert areas["education"].score == pytest.approx(33.3)  # 2 of 6 points, 2 unanswered
    assert (areas["education"].answered, areas["education"].total) == (1, 3)
    assert not areas["education"].complete
    assert areas["media"].score == 0.0 and areas["media"].answered == 0
    assert "unused" not in areas  # an area without questions is not scored at all
    assert (result.answered, result.total) == (3, 6)


def test_overall_is_the_mean_weighted_by_area_weight():
    result = assess(TEMPLATE, _answers(c1="yes", c2="yes", e1="no", e2="no", e3="no", m1="yes"))
    # commitment 100 (weight 2), education 0 (1), media 100 (1) -> 300 / 4
    assert result.overall == 75.0
    unweighted = TEMPLATE.model_copy(
        update={"areas": tuple(a.model_copy(update={"weight": 1.0}) for a in TEMPLATE.areas)}
    )
    assert assess(unweighted, _answers(c1="yes", c2="yes", m1="yes")).overall == pytest.approx(66.7)


def test_nothing_answered_scores_zero_and_unknown_choices_count_as_unanswered():
    assert assess(TEMPLATE, {}).overall == 0.0
    odd = {("sa", "c1"): {"choice": "maybe"}, ("sa", "c2"): "yes", ("sa", "e1"): None}
    result = assess(TEMPLATE, odd)
    assert result.answered == 0 and result.overall == 0.0


def test_progress_compares_each_area_with_the_baseline():
    baseline = assess(TEMPLATE, _answers(c1="no", c2="partly")).as_scores()
    now = assess(TEMPLATE, _answers(c1="yes", c2="yes", e1="yes"))
    rows = {r.id: r for r in progress(now, baseline)}
    assert (rows["commitment"].baseline, rows["commitment"].current) == (25.0, 100.0)
    assert rows["commitment"].change == 75.0
    assert rows["education"].change == pytest.approx(33.3)
    assert progress(now, {})[0].change is None  # no baseline yet


def _bar_widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]


def test_score_chart_escapes_labels_and_draws_bars_in_proportion(app):
    svg = str(score_chart([("Media & <b>press</b>", 80), ("Language", 40)], title="Scores"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    # the text alternative states the figures the bars draw
    assert "<title>Scores: Media &amp; &lt;b&gt;press&lt;/b&gt; 80; Language 40.</title>" in svg
    assert "Media &amp; &lt;b&gt;press&lt;/b&gt;" in svg and "<b>" not in svg
    first, second = _bar_widths(svg)
    assert first == pytest.approx(2 * second)
    assert "<script" not in svg
    # the text alternative states the data, not only the title
    alternative = "Scores: Media &amp; &lt;b&gt;press&lt;/b&gt; 80; Language 40."
    assert f'aria-label="{alternative}"' in svg and f"<desc>{alternative}</desc>" in svg


def test_progress_chart_draws_baseline_and_current_bars(app):
    svg = str(
        progress_chart(
            [("Commitment", 25.0, 75.0), ("New area", None, 50.0)],
            title="Progress",
            baseline_label="Baseline",
            current_label="Now",
        )
    )
    widths = _bar_widths(svg)
    # legend squares (10 wide) first, then baseline + current for the first area, current only
    assert widths[2:] == pytest.approx([82.5, 247.5, 165.0])
    assert "Baseline" in svg and "Now" in svg
    data = "Commitment: Baseline 25, Now 75; New area: Baseline –, Now 50"
    assert f"<desc>Progress: {data}.</desc>" in svg


def test_timeline_places_bars_by_date_and_escapes_labels(app):
    svg = str(
        timeline_chart(
            [
                ("A1 Whole period <x>", date(2026, 1, 1), date(2027, 12, 31), "Work"),
                ("A2 Second year", date(2027, 1, 1), date(2027, 12, 31), "Schools"),
                ("A3 Not dated", None, None, "Work"),
            ],
            title="Timeline",
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
        )
    )
    assert "A1 Whole period &lt;x&gt;" in svg and "A3 Not dated" in svg
    assert ">2026<" in svg and ">2027<" in svg
    bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="10" rx="2"', svg)
    assert len(bars) == 2  # the undated action has no bar
    (x1, w1), (x2, w2) = [(float(x), float(w)) for x, w in bars]
    assert w1 == pytest.approx(2 * w2, rel=0.01)
    assert x2 == pytest.approx(x1 + w2, rel=0.01)
    desc = re.search(r"<desc>(.*?)</desc>", svg).group(1)
    assert desc.startswith("Timeline: A1 Whole period &lt;x&gt; (Work): 1 Jan 2026 to 31 Dec 2027;")
    assert "A3 Not dated (Work): – to –." in desc


def test_funding_shares_split_a_budget_by_the_given_percentages():
    assert funding_shares("ESF+ (60%), regional budget (40%)") == [
        ("ESF+", 0.6),
        ("Regional budget", 0.4),
    ]
    assert funding_shares("Regional budget") == [("Regional budget", 1.0)]
    assert funding_shares("AMIF (50%); municipalities; private donors") == [
        ("AMIF", 0.5),
        ("Municipalities", 0.25),
        ("Private donors", 0.25),
    ]
    assert funding_shares("") == [("", 1.0)]


# ---------------------------------------------------------------- the step page

SA = "/r/valdo/steps/self_assessment"


def _region_with_answers(make, **choices):
    region = make.region("valdo", template_id="intercultural-region")
    author = make.user()
    for qid, choice in choices.items():
        answers.set_answer(region, "self_assessment", qid, {"choice": choice}, author)
    db.session.commit()
    return region


def test_step_page_shows_scores_chart_and_table(client, make, as_user):
    region = _region_with_answers(
        make, commitment_public_statement="yes", commitment_strategy="partly"
    )
    as_user(Role.CONTRIBUTOR, region)
    page = client.get(SA).get_data(as_text=True)
    assert 'id="scores"' in page and "<svg" in page
    assert "2 of 120 scored questions answered" in page
    row = re.search(r'<th scope="row">Commitment</th>\s*<td>(\d+)</td>\s*<td>(.*?)</td>', page)
    assert row and row.groups() == ("21", "2 / 7")  # 3 of 14 points
    assert "Record these scores" not in page  # contributors cannot record results
    other = client.get("/r/valdo/steps/vision").get_data(as_text=True)
    assert 'id="scores"' not in other


CONFIRMED = {"unanswered_confirmed": "yes"}


def test_a_baseline_with_unanswered_questions_needs_a_confirmation(client, make, as_user):
    region = _region_with_answers(make, commitment_public_statement="yes")
    as_user(Role.EDITOR, region)
    page = client.get(SA).get_data(as_text=True)
    assert "119 scored questions are unanswered and count as no points." in page
    assert 'name="unanswered_confirmed" value="yes" required' in page
    response = post_form(client, "/r/valdo/assessment/snapshots", {}, token_from=SA)
    assert response.status_code == 302 and response.location.endswith(SA)
    assert db.session.scalars(select(AssessmentSnapshot)).first() is None
    page = client.get(SA).get_data(as_text=True)
    assert "Nothing was recorded: 119 scored questions are unanswered" in page
    post_form(client, "/r/valdo/assessment/snapshots", CONFIRMED, token_from=SA)
    assert db.session.scalars(select(AssessmentSnapshot)).one().scores["answered"] == 1


def test_a_complete_self_assessment_is_recorded_without_a_question(client, make, as_user):
    template = get_template("intercultural-region").definition
    step = template.step("self_assessment")
    scored = {q.id: "partly" for q in step.questions if q.type == "scale" and q.area}
    region = _region_with_answers(make, **scored)
    as_user(Role.EDITOR, region)
    assert "unanswered_confirmed" not in client.get(SA).get_data(as_text=True)
    post_form(client, "/r/valdo/assessment/snapshots", {}, token_from=SA)
    assert db.session.scalars(select(AssessmentSnapshot)).one().scores["answered"] == 120


def test_recording_a_baseline_and_a_rerun_shows_progress(client, make, as_user):
    region = _region_with_answers(make, commitment_public_statement="no")
    user = as_user(Role.EDITOR, region)
    response = post_form(client, "/r/valdo/assessment/snapshots", CONFIRMED, token_from=SA)
    assert response.status_code == 302 and response.location.endswith(SA + "#scores")
    first = db.session.scalars(select(AssessmentSnapshot)).one()
    assert first.label == "Baseline" and first.region_id == region.id
    assert first.taken_by_id == user.id
    assert first.scores["areas"]["commitment"] == 0.0 and first.scores["answered"] == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment_recorded"))

    answers.set_answer(
        region, "self_assessment", "commitment_public_statement", {"choice": "yes"}, user
    )
    answers.set_answer(region, "self_assessment", "commitment_strategy", {"choice": "yes"}, user)
    db.session.commit()
    page = client.get(SA).get_data(as_text=True)
    assert "Record these scores as a re-run" in page
    row = re.search(
        r'<th scope="row">Commitment</th>\s*<td>(\d+)</td>\s*<td>.*?</td>\s*<td>(.*?)</td>'
        r"\s*<td>(.*?)</td>",
        page,
    )
    assert row and row.groups() == ("29", "0", "+29")  # 4 of 14 points
    assert page.count("<rect") == 2 + 2 * 17  # legend, then baseline and current per area

    post_form(client, "/r/valdo/assessment/snapshots", CONFIRMED, token_from=SA)
    labels = [s.label for s in db.session.scalars(select(AssessmentSnapshot).order_by("id"))]
    assert labels == ["Baseline", "Re-run 1"]


@pytest.mark.parametrize("role, status", [(Role.CONTRIBUTOR, 403), (Role.REVIEWER, 403)])
def test_only_editors_record_scores(client, make, as_user, role, status):
    region = _region_with_answers(make)
    as_user(role, region)
    response = post_form(client, "/r/valdo/assessment/snapshots", {}, token_from=SA)
    assert response.status_code == status
    assert db.session.scalars(select(AssessmentSnapshot)).first() is None


def test_outsiders_cannot_record_scores_of_another_region(client, make, as_user):
    _region_with_answers(make)
    other = make.region("other", template_id="intercultural-region")
    as_user(Role.COORDINATOR, other)
    response = post_form(
        client, "/r/valdo/assessment/snapshots", {}, token_from="/r/other/steps/self_assessment"
    )
    assert response.status_code == 404
    assert db.session.scalars(select(AssessmentSnapshot)).first() is None
