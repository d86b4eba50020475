"""Figures and dates in the reader's language (belong/formatting.py): in the strategy
document (HTML and PDF) of a region in each language, on pages, and in CSV exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from belong.downloads import csv_text
from belong.extensions import db
from belong.formatting import (
    csv_number,
    format_amount,
    format_day,
    format_number,
    format_share,
    format_signed,
    format_whole,
)
from belong.i18n import babel_locale
from belong.models import Role
from belong.services import answers, documents
from belong.services.records import add_record
from belong.templating.registry import get_template
from tests.conftest import login, post_form

NBSP = "\u00a0"

# What each language writes; Polish groups thousands with a non-breaking space.
EXPECTED = {
    "en": {"group": "60,000", "decimal": "2,490.5", "date": "1 March 2026", "share": "62%"},
    "es": {"group": "60.000", "decimal": "2.490,5", "date": "1 de marzo de 2026", "share": "62 %"},
    "pl": {
        "group": f"60{NBSP}000",
        "decimal": f"2{NBSP}490,5",
        "date": "1 marca 2026",
        "share": "62%",
    },
    "de": {"group": "60.000", "decimal": "2.490,5", "date": "1. März 2026", "share": "62 %"},
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_each_language_writes_figures_and_dates_its_own_way(app, language):
    want = EXPECTED[language]
    with force_locale(babel_locale(language)):
        assert format_whole(60000) == want["group"]
        assert format_amount(59999.5) == want["group"]  # halves round up
        assert format_number(2490.5) == want["decimal"]
        assert format_day("2026-03-01") == want["date"]
        assert format_share(61.5) == want["share"].replace(" ", NBSP)
        assert format_signed(-3.2) == "-3" and format_signed(4.5) == "+5"
        assert format_whole(None) == "–" and format_number("n/a") == "n/a"
        decimal = "." if language == "en" else ","
        assert csv_number(2490.5) == f"2490{decimal}5" and csv_number(60000.0) == "60000"


def _strategy_region(make, language: str):
    """An intercultural-region strategy in `language` with population and budget figures."""
    region = make.region(f"region-{language}", template_id="intercultural-region")
    region.language = language
    user = make.user(Role.COORDINATOR, region)
    values = {
        ("mandate", "period_start"): "2026-03-01",
        ("context", "total_population"): 1234567,
        ("context", "foreign_born_share"): 14.2,
        ("context", "population_groups"): [
            {"group": "A", "women": 12000, "men": 11000, "under_18": 500},
            {"group": "B", "women": 48000, "men": 39000, "under_18": 1990},
        ],
        ("training", "training_groups"): [
            {"group": "Front-desk staff", "number_to_train": 1200},
            {"group": "Teachers", "number_to_train": 1290},
        ],
    }
    for (step, question), value in values.items():
        answers.set_answer(region, step, question, value, user)
    for title, amount in (("Welcome desks", 60000), ("Interpreting", 2490.5)):
        line = {"year": 2026, "source": "Regional budget", "amount": amount, "status": "secured"}
        add_record(region, "action", {"title": title, "budget": [line]}, user)
    db.session.commit()
    return region


def _draft_html(region) -> str:
    return documents.draft_html(region, get_template(region.template_id))


@pytest.mark.parametrize("language", ["es", "pl", "de"])
def test_the_document_writes_its_figures_in_the_regions_language(app, make, language):
    """Totals the layout adds up itself (population, people to train, budget) as well as
    the answers: no English separators beside the language's own."""
    html = _draft_html(_strategy_region(make, language))
    group = EXPECTED[language]["group"]
    sep = group[2]  # the language's group separator
    comma = ","
    assert f'<td class="n">{group}</td>' in html  # women in all groups, added up by the layout
    assert f'<td class="n">2{sep}490</td>' in html  # people to train, added up by the layout
    assert f"1{sep}234{sep}567" in html  # total population, an answer
    assert f"14{comma}2" in html  # foreign-born share: the decimal comma
    assert f"2{sep}490{comma}5" in html  # a budget with a decimal, in the action plan
    assert f"62{sep}491" in html  # the plan's total, in whole euros
    assert EXPECTED[language]["date"] in html
    for english in ("60,000", "2,490", "1,234,567", "62,491", "14.2"):
        assert english not in html


@pytest.mark.parametrize("language", ["es", "pl"])
def test_the_pdf_shows_the_regions_number_formatting(app, make, language):
    region = _strategy_region(make, language)
    template = get_template(region.template_id)
    pdf = documents.document_pdf(template, _draft_html(region))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    sep = r"\." if language == "es" else r"[\s\u00a0]"
    assert re.search(rf"\b60{sep}000\b", text)  # the population total
    assert re.search(rf"\b2{sep}490,5\b", text)  # a budget with a decimal comma
    assert re.search(rf"\b62{sep}491\b", text)  # the plan's total
    assert "60,000" not in text and "2,490" not in text and "62,491" not in text


def test_the_english_document_keeps_english_figures(app, make):
    html = _draft_html(_strategy_region(make, "en"))
    assert '<td class="n">60,000</td>' in html and "2,490.5" in html and "62,491" in html


def test_csv_follows_the_readers_language(app):
    moment = datetime(2026, 11, 28, 14, 5, tzinfo=UTC)
    rows = [["=SUM(A1)", 62.5, 3, moment, None]]
    with force_locale("es"):
        spanish = csv_text(["Región", "Puntuación"], rows)
    with force_locale("en_GB"):
        english = csv_text(["Region", "Score"], rows)
    assert spanish.startswith("\ufeffRegión;Puntuación\r\n")
    assert spanish.splitlines()[1] == "'=SUM(A1);62,5;3;2026-11-28 14:05;"
    assert english.startswith("\ufeffRegion,Score\r\n")
    assert english.splitlines()[1] == "'=SUM(A1),62.5,3,2026-11-28 14:05,"


def test_participation_csv_has_a_bom_and_the_readers_labels(app, client, make):
    region = make.region("alpha")
    contributor = make.user(Role.CONTRIBUTOR, region)
    login(client, contributor.email)
    data = {"prompt": "general", "body": "Reuniones por la tarde."}
    assert post_form(client, "/r/alpha/steps/basics/input", data).status_code == 302
    coordinator = make.user(Role.COORDINATOR, region)
    coordinator.locale = "es"
    db.session.commit()
    team = app.test_client()
    login(team, coordinator.email)
    response = team.get("/r/alpha/participation.csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Número de paso", "Paso"]
    assert rows[1][0] == "1"
    assert "A la espera del equipo" in rows[1]  # the status's label, not "pending"
    assert "pending" not in rows[1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[1][8])


def test_dashboard_csv_has_labels_not_codes(app, client, make):
    make.region("alpha")
    admin = make.user(admin=True)
    admin.locale = "pl"
    db.session.commit()
    login(client, admin.email)
    text = client.get("/admin/dashboard/regions.csv").get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Region", "Krótka nazwa do adresów", "Postęp (%)"]
    assert rows[1][:4] == ["Alpha", "alpha", "0", "Nierozpoczęty"]
    assert "Brak wersji" in rows[1]  # the review state's label, not "none"
