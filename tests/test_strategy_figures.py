"""The strategy's figures are computed once from the records and the document quotes them:
the budget by year, area, source and status, the action plan and its cards, the indicators
and the traceability annex, in the draft and frozen in a version."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from belong.extensions import db
from belong.services import documents, versions
from belong.services import records as record_service
from belong.services.strategy_figures import figures
from belong.templating.registry import get_template

TEMPLATE = "intercultural-region"


def _chain(region, user):
    add = record_service.add_record
    work = add(
        region, "priority", {"title": "Work and skills", "finding": "41% employment rate"}, user
    )
    general = add(
        region,
        "objective",
        {"statement": "Skills are used", "level": "general", "priority": work.key},
        user,
    )
    fast = add(
        region,
        "objective",
        {"statement": "Recognition in 5 months", "level": "specific", "priority": work.key},
        user,
    )
    slow = add(
        region,
        "objective",
        {"statement": "Mentoring for 300 women", "level": "specific", "priority": work.key},
        user,
    )
    desk = add(
        region,
        "action",
        {
            "title": "Recognition desk",
            "objectives": [fast.key],
            "description": "One desk in **every** district.",
            "policy_areas": ["labour_market", "welcoming"],
            "start": "2026-01-01",
            "end": "2028-12-31",
            "milestones": [{"milestone": "Desk opens", "date": "2026-06-01"}],
            "budget": [
                {"year": 2026, "source": "ESF+", "amount": 60000, "status": "secured"},
                {"year": 2027, "source": "ESF+", "amount": 40000, "status": "pending"},
                {
                    "year": 2027,
                    "source": "Regional budget",
                    "amount": 20000,
                    "status": "to_be_sought",
                },
            ],
            "risks": [{"risk": "Staff turnover", "mitigation": "Train two deputies."}],
        },
        user,
    )
    add(
        region,
        "indicator",
        {
            "name": "Months to recognition",
            "type": "outcome",
            "objective": fast.key,
            "baseline": "11",
            "target": "5",
        },
        user,
    )
    add(region, "indicator", {"name": "Desks open", "type": "output", "action": desk.key}, user)
    db.session.commit()
    return general, fast, slow, desk


def test_the_figures_add_up_by_year_area_source_and_status(app, make):
    region = make.region("alpha", TEMPLATE)
    _chain(region, make.user())
    template = get_template(TEMPLATE).definition
    result = figures(template, record_service.all_records(region, template))
    assert result.total == 120000
    assert result.by_year == {2026: 60000, 2027: 60000}
    assert result.by_status == {"secured": 60000, "pending": 40000, "to_be_sought": 20000}
    assert result.by_source == {"ESF+": 100000, "Regional budget": 20000}
    assert result.by_area == {"labour_market": 60000, "welcoming": 60000}
    assert result.year_status[2027] == {"pending": 40000, "to_be_sought": 20000}
    assert result.counts == {"priority": 1, "objective": 3, "action": 1, "indicator": 2}


def test_the_document_quotes_the_computed_figures_and_traces_the_chain(app, make):
    region = make.region("alpha", TEMPLATE)
    user = make.user()
    _chain(region, user)
    template = get_template(TEMPLATE)
    with app.test_request_context():
        html = documents.document_html(region, template, documents.draft_edition(region, template))
    text = PdfReader(io.BytesIO(documents.document_pdf(template, html))).pages
    words = " ".join(" ".join(p.extract_text().split()) for p in text)
    assert "The plan has 1 action with a total budget of EUR 120,000" in words
    assert "Yearly budget profile by funding status (EUR)" in words
    assert "2027 0 40,000 20,000 60,000" in words  # secured, pending, to be sought, total
    assert "A1 Recognition desk" in words
    assert "One desk in every district." in words and "Desk opens" in words
    assert "Staff turnover" in words and "Train two deputies." in words
    assert "Traceability: from findings to indicators" in words
    assert (
        "41% employment rate Recognition in 5 months A1 Recognition desk Months to recognition"
        in words
    )
    assert "Mentoring for 300 women None yet None yet" in words  # an objective with no action
    # A version freezes the records with the answers: a later change leaves it as it was.
    version = versions.submit(region, user, "v1")
    db.session.commit()
    record_service.add_record(region, "action", {"title": "Added later"}, user)
    db.session.commit()
    with app.test_request_context():
        frozen = documents.document_html(
            region, template, versions.edition_of(version, documents.Purpose.VERSION)
        )
        draft = documents.document_html(region, template, documents.draft_edition(region, template))
    assert "Recognition desk" in frozen and "Added later" not in frozen
    assert "Added later" in draft


def _costs(region, user):
    add = record_service.add_record
    add(
        region,
        "cost_line",
        {
            "title": "Strategy secretariat",
            "category": "coordination",
            "budget": [
                {"year": 2026, "source": "Regional budget", "amount": 50000, "status": "secured"},
                {"year": 2027, "source": "Regional budget", "amount": 50000, "status": "pending"},
            ],
        },
        user,
    )
    add(
        region,
        "cost_line",
        {
            "title": "Mid-term evaluation",
            "category": "evaluation",
            "budget": [{"year": 2027, "source": "ESF+", "amount": 30000, "status": "secured"}],
        },
        user,
    )
    db.session.commit()


def test_the_cost_lines_beyond_the_actions_complete_the_budget(app, make):
    region = make.region("alpha", TEMPLATE)
    user = make.user()
    _chain(region, user)
    _costs(region, user)
    template = get_template(TEMPLATE).definition
    result = figures(template, record_service.all_records(region, template))
    assert (result.actions_total, result.costs_total, result.total) == (120000, 130000, 250000)
    assert result.by_year == {2026: 110000, 2027: 140000}
    assert result.by_status == {"secured": 140000, "pending": 90000, "to_be_sought": 20000}
    assert result.by_source == {"ESF+": 130000, "Regional budget": 120000}
    assert result.by_area == {
        "coordination": 100000,
        "labour_market": 60000,
        "welcoming": 60000,
        "evaluation": 30000,
    }
    assert sum(result.by_area.values()) == result.total
    assert result.area_labels["coordination"] == "Coordination and secretariat"


def test_the_document_states_the_complete_budget_from_the_figures_only(app, make):
    region = make.region("alpha", TEMPLATE)
    user = make.user()
    _chain(region, user)
    _costs(region, user)
    template = get_template(TEMPLATE)
    with app.test_request_context():
        html = documents.document_html(region, template, documents.draft_edition(region, template))
    pages = PdfReader(io.BytesIO(documents.document_pdf(template, html))).pages
    words = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "The plan has 1 action with a total budget of EUR 120,000" in words
    assert "add EUR 130,000, for a budget of EUR 250,000 in all." in words
    assert "Other costs of the strategy (EUR)" in words
    assert "Strategy secretariat Coordination and secretariat 2026–2027 100,000" in words
    assert "Mid-term evaluation Monitoring and evaluation 2027 30,000" in words
    assert "2027 30,000 90,000 20,000 140,000" in words  # the yearly profile counts them
    assert "Total 120,000 Table" in words  # the actions' table totals the actions only
    assert re.search(r"250,000 ?Budget of the strategy \(EUR\)", words)  # the key figure
    # every amount the document states is one of the computed figures
    stated = {int(n.replace(",", "")) for n in re.findall(r"\b\d{1,3}(?:,\d{3})+\b", words)}
    computed = {120000, 130000, 250000, 110000, 140000, 60000, 90000, 20000, 100000, 30000}
    computed |= {50000, 40000}  # the lines themselves, on the cards
    assert stated <= computed, stated - computed
