"""The self-assessment's content as a region's team meets it: the current Intercultural Cities
Index areas, enough questions in each that one answer cannot swing an area, the questions under
area headings with their answered counts, an evidence box with its own hint, and the answers a
region gave before the areas changed still shown where they now belong."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from belong.extensions import db
from belong.models import Role
from belong.questions.scale import Scale
from belong.services import answers
from belong.services.scoring import assess, scored_questions
from belong.templating.registry import get_template
from tests.conftest import post_form

TEMPLATE_ID = "intercultural-region"
SA = "/r/valdo/steps/self_assessment"
# The 36 questions of the first self-assessment: each still asks the same thing.
OLD_IDS = [
    "commitment_public_statement",
    "commitment_strategy",
    "commitment_coordination",
    "education_school_mix",
    "education_parents",
    "education_curriculum",
    "neighbourhoods_mix",
    "neighbourhoods_projects",
    "public_services_workforce",
    "public_services_adapted",
    "public_services_procurement",
    "labour_recognition",
    "labour_employers",
    "labour_entrepreneurs",
    "culture_funding",
    "culture_events",
    "culture_debate",
    "public_space_design",
    "public_space_avoided",
    "mediation_service",
    "mediation_tensions",
    "language_courses",
    "language_heritage",
    "language_information",
    "media_communication",
    "media_partnership",
    "international_networks",
    "international_diaspora",
    "competence_data",
    "competence_training",
    "competence_perceptions",
    "welcoming_one_stop",
    "welcoming_specific_groups",
    "governance_consultative_body",
    "governance_representation",
    "governance_discrimination",
]


def _definition():
    return get_template(TEMPLATE_ID).definition


def _region(make, **values):
    region = make.region("valdo", template_id=TEMPLATE_ID)
    author = make.user()
    for qid, value in values.items():
        answers.set_answer(region, "self_assessment", qid, value, author)
    db.session.commit()
    return region


def _area_section(page: str, area_id: str) -> str:
    """The area's part of the page: a foldable block in the form, a section for readers."""
    start = re.search(rf'<(details|section) class="area-section" id="area-{area_id}"', page).start()
    end = re.compile(r'<(details|section) class="area-section"').search(page, start + 1)
    return page[start : end.start() if end else len(page)]


def _is_open(section: str) -> bool:
    return bool(re.match(r'<details class="area-section" id="[^"]+" open>', section))


def _heading_count(section: str) -> str:
    heading = re.search(r'<h2 class="area-title"[^>]*>(.*?)</h2>', section, re.S).group(1)
    return re.search(r'<span class="area-count">(.*?)</span>', heading).group(1)


def test_the_areas_are_those_of_the_current_icc_index(app):
    areas = {a.id: a.label for a in _definition().areas}
    for added in ("anti_discrimination", "participation", "interaction", "leadership_citizenship"):
        assert added in areas
    assert areas["welcoming"] == "Welcoming new arrivals"
    assert "governance" not in areas  # its questions moved to participation, leadership...
    assert len(areas) == 17


def test_one_answer_moves_an_area_by_at_most_about_15_points(app):
    definition = _definition()
    step = definition.step("self_assessment")
    scored = scored_questions(step)
    assert min(Counter(q.area for q in scored).values()) >= 7
    all_no = {(step.id, q.id): {"choice": "no"} for q in scored}
    before = {a.id: a.score for a in assess(definition, all_no).areas}
    swings = []
    for question in scored:  # from "no" to "yes", the largest move one answer can make
        after = assess(definition, {**all_no, (step.id, question.id): {"choice": "yes"}})
        swings.append(max(abs(a.score - before[a.id]) for a in after.areas))
    assert max(swings) == pytest.approx(14.3)


def test_the_step_page_shows_the_questions_under_area_headings_with_counts(client, make, as_user):
    definition = _definition()
    region = _region(
        make,
        commitment_public_statement={"choice": "yes"},
        commitment_budget={"choice": "partly"},
        interaction_survey={"choice": None, "evidence": "Survey planned for 2026."},
    )
    as_user(Role.EDITOR, region)
    page = client.get(SA).get_data(as_text=True)
    headings = re.findall(r'<h2 class="area-title" id="area-([a-z_]+)-title">', page)
    assert headings == [a.id for a in definition.areas]
    commitment = _area_section(page, "commitment")
    assert _heading_count(commitment) == "2 of 7 answered"
    step = definition.step("self_assessment")
    for question in (q for q in scored_questions(step) if q.area == "commitment"):
        assert f'id="q-{question.id}"' in commitment
    # evidence without a choice is not an answer yet
    assert _heading_count(_area_section(page, "interaction")) == "0 of 7 answered"
    index = re.search(r'<nav class="areas-index".*?</nav>', page, re.S).group(0)
    assert '<a href="#area-commitment">Commitment</a>' in index
    assert index.count("<li>") == 17

    assert _is_open(commitment)  # not every question of the area is answered yet

    post_form(client, "/logout", {}, token_from=SA)
    as_user(Role.CONTRIBUTOR, region)  # a reader sees the same headings over the answers
    page = client.get(SA).get_data(as_text=True)
    assert _heading_count(_area_section(page, "commitment")) == "2 of 7 answered"
    assert 'id="area-anti_discrimination-title"' in page


def test_the_evidence_box_asks_for_evidence_not_the_question_again(client, make, as_user):
    step = _definition().step("self_assessment")
    as_user(Role.EDITOR, _region(make))
    page = client.get(SA).get_data(as_text=True)
    for question in scored_questions(step):
        hint = re.search(
            rf'<div class="hint" id="q_{question.id}-evidence-hint">(.*?)</div>', page, re.S
        ).group(1)
        assert hint.strip() and hint.strip() != question.hint, question.id
    lawful = step.question("competence_lawful_data")
    shown = re.search(
        r'<div class="hint" id="q_competence_lawful_data-evidence-hint">(.*?)</div>', page, re.S
    ).group(1)
    assert shown.startswith("Name the legal basis relied on") and lawful.evidence_hint
    assert "What shows this answer is true" in page  # the others: the general request


def test_an_answer_given_before_the_areas_changed_still_shows(client, make, as_user):
    step = _definition().step("self_assessment")
    assert all(step.question(qid).type == "scale" for qid in OLD_IDS)
    evidence = "The Council for Coexistence must be answered within three months."
    region = _region(make, governance_consultative_body={"choice": "yes", "evidence": evidence})
    as_user(Role.EDITOR, region)
    page = client.get(SA).get_data(as_text=True)
    participation = _area_section(page, "participation")
    assert _heading_count(participation) == "1 of 7 answered"
    assert 'id="q-governance_consultative_body"' in participation
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', participation)
    assert evidence in participation
    scores = re.search(r'<th scope="row">Participation</th>\s*<td>(\d+)</td>', page)
    assert scores and scores.group(1) == "14"  # 2 of 14 points
    document = client.get("/r/valdo/document").get_data(as_text=True)
    assert evidence in document


def test_the_evidence_hint_is_translated_and_needs_an_evidence_box(app):
    spanish = get_template(TEMPLATE_ID).in_language("es").definition
    hint = spanish.step("self_assessment").question("competence_lawful_data").evidence_hint
    assert hint.startswith("Indique la base jurídica")
    options = [
        {"value": "no", "label": "No", "points": 0},
        {"value": "yes", "label": "Yes", "points": 2},
    ]
    with pytest.raises(ValueError, match="evidence_hint needs evidence"):
        Scale(id="q", type="scale", label="Q", options=options, evidence_hint="Name it.")


def test_an_area_with_every_answer_is_folded_unless_one_needs_attention(client, make, as_user):
    step = _definition().step("self_assessment")
    commitment = [q.id for q in scored_questions(step) if q.area == "commitment"]
    region = _region(make, **{qid: {"choice": "partly"} for qid in commitment})
    as_user(Role.EDITOR, region)
    page = client.get(SA).get_data(as_text=True)
    assert not _is_open(_area_section(page, "commitment"))
    assert _heading_count(_area_section(page, "commitment")) == "7 of 7 answered"
    assert _is_open(_area_section(page, "education"))
    assert "open it to change its answers" in page

    response = post_form(client, SA, {"q_commitment_budget-choice": "maybe"}, token_from=SA)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _is_open(_area_section(page, "commitment"))  # its error shows, not folded away
    assert 'id="q_commitment_budget-choice-error"' in page
