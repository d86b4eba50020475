"""German as a region's language: the demo strategy rendered for a German-speaking region has
its whole frame in German (cover, headings, tables, annexes, stakeholder categories, policy
areas) and German numbers and dates; the answers stay as the team wrote them."""

from __future__ import annotations

import html as html_lib
import io
import json
import re

import pytest
import yaml
from babel.messages.pofile import read_po
from pypdf import PdfReader
from sqlalchemy import select

from belong import create_app
from belong.demo.seed import _demo_answers, load_demo
from belong.extensions import db
from belong.models import Notification, Region, Role
from belong.services import documents
from belong.templating.loader import load_template
from belong.templating.registry import get_template
from tests.conftest import ROOT, _config, _empty_tables, login

TEMPLATE_ID = "intercultural-region"
LAYOUT = ROOT / "strategy_templates" / TEMPLATE_ID
# A layout's interface strings: _('...') and the forms of ngettext('...', '...', n).
LAYOUT_STRING = re.compile(
    r"""(?:_|ngettext)\(\s*'((?:[^'\\]|\\.)*)'(?:\s*,\s*'((?:[^'\\]|\\.)*)')?"""
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
OUTLINE = [
    "Stand dieses Entwurfs",
    "Inhalt",
    "Abbildungen und Tabellen",
    "Vorwort",
    "Zusammenfassung",
    "Die Strategie auf einen Blick",
    "1 Einleitung",
    "2 Der interkulturelle Ansatz",
    "3 Wie die Strategie erarbeitet wurde",
    "4 Regionale Ausgangslage und Bestandsaufnahme",
    "5 Wo wir stehen: die interkulturelle Selbstbewertung",
    "6 Leitbild und strategische Ziele",
    "7 Schwerpunktbereiche",
    "8 Querschnittsthemen",
    "9 Interkulturelle Kompetenz und Kapazitätsaufbau",
    "10 Steuerung und Koordinierung zwischen den Ebenen",
    "11 Maßnahmenplan, Zeitplan und Budget",
    "12 Monitoring und Evaluierung",
    "Anhang A Akteursverzeichnis",
    "Anhang B Öffentliche Konsultation und Beschlussfassung",
    "Anhang C Beteiligungsdokumentation",
    "Anhang D Maßnahmenblätter",
    "Anhang E Nachvollziehbarkeit: von den Befunden zu den Indikatoren",
    "Anhang F Antworten und Belege der Selbstbewertung",
    "Anhang G Datenquellen",
    "Anhang H Glossar",
    "Impressum",
]


def _squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and spacing do not matter."""
    return re.sub(r"[\W_]+", "", html_lib.unescape(text)).casefold()


@pytest.fixture(scope="module")
def german(migrated, templates_dir):
    """The demo region Valdoria as a German-speaking region, its draft rendered once."""
    app = create_app(_config(migrated, templates_dir))
    with app.app_context():
        load_demo()
        region = db.session.scalar(select(Region).where(Region.slug == "valdoria"))
        region.language = "de"
        db.session.commit()
        template = get_template(TEMPLATE_ID)
        pdf = documents.document_pdf(template, documents.draft_html(region, template))
        english = _layout_strings() + _template_labels(template.definition)
        _empty_tables()  # release the database before the other tests use it
        db.engine.dispose()
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return {"reader": reader, "text": text, "squashed": _squash(text), "english": english}


def _layout_strings() -> list[str]:
    found = []
    for path in LAYOUT.glob("*.html"):
        for singular, plural in LAYOUT_STRING.findall(path.read_text(encoding="utf-8")):
            found += [s.replace("\\'", "'") for s in (singular, plural) if s]
    return found


def _template_labels(definition) -> list[str]:
    """Every title and label of the template's (English) definition."""
    labels = [definition.title, *(a.label for a in definition.areas)]
    labels += [c.label for c in definition.stakeholder_categories]
    for step in definition.steps:
        labels.append(step.title)
        for question in step.questions:
            for item in (question, *getattr(question, "columns", ())):
                labels += [item.label, *(o.label for o in getattr(item, "options", None) or [])]
    return labels


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, (list, tuple)):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []


def _german_frame() -> str:
    """Every German text the frame can use: the template's translation and the catalogue."""
    texts = _strings(yaml.safe_load((LAYOUT / "translations" / "de.yaml").read_text("utf-8")))
    with (ROOT / "belong" / "translations" / "de" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        for message in read_po(fh, locale="de"):
            texts += _strings(message.string)
    return _squash(" ".join(texts))


def _demo_texts() -> str:
    """Everything the demo's team and contributors wrote (in English)."""
    written = json.dumps(_demo_answers(), ensure_ascii=False)
    for path in (ROOT / "belong" / "demo").iterdir():
        if path.suffix in (".yaml", ".py"):
            written += path.read_text(encoding="utf-8")
    return _squash(written)


def test_the_outline_and_title_are_german(german):
    reader = german["reader"]
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == OUTLINE
    assert reader.metadata.title == "Valdoria: Interkulturelle Strategie für die Region 2026-2030"
    assert reader.trailer["/Root"]["/Lang"] == "de"


def test_no_english_frame_text_is_left(german):
    """No English heading, label, option or sentence of the frame is in the document, unless
    German uses the same words (Budget, Workshop) or the team's English answers do."""
    allowed = _demo_texts() + _german_frame()
    left = []
    for english in german["english"]:
        for part in PLACEHOLDER.split(english):
            words = _squash(part)
            if len(words) >= 5 and words not in allowed and words in german["squashed"]:
                left.append(part.strip())
    assert not left, f"English frame text in the German document: {left}"
    assert "AMIF, ESF+, EFRE" in german["text"]  # the glossary names the funds as the EU does


def test_cover_categories_and_areas_are_german(german):
    squashed = german["squashed"]
    for label in ("Erstellt von", "Status", "ENTWURF", "Kein beschlossenes Dokument"):
        assert _squash(label) in squashed, label
    # the stakeholder register and the consultation annex name the categories in German
    for category in ("Ressort der Landesregierung", "Migrantenorganisation", "NGO oder Stiftung"):
        assert _squash(category) in squashed, category
    for area in ("Nachbarschaften und Wohnen", "Aufnahme von Neuzugewanderten", "Sprache"):
        assert _squash(f"{area} Wert") in squashed, area  # the annex headings per area


def test_numbers_and_dates_are_written_the_german_way(german):
    text = german["text"]
    squashed = german["squashed"]
    assert _squash("Gesamtbudget von 11.880.000 EUR") in squashed
    assert "11.880.000" in text and "11,880,000" not in text
    assert "1. Januar 2026" in text


def test_the_interface_speaks_german(client):
    html = client.get("/login", headers={"Accept-Language": "de-AT,de;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="de">' in html
    assert "Bei Belong anmelden" in html
    assert ">Deutsch<" in html  # offered in the language switcher


def test_the_template_exists_in_german():
    assert "de" in load_template(LAYOUT).languages


def test_a_notification_button_says_open_it_not_that_it_is_open(client, make):
    """ "Open" is a state of a review thread (Offen) and the button of a notification (Öffnen)."""
    user = make.user(Role.CONTRIBUTOR, make.region())
    user.locale = "de"
    note = Notification(user_id=user.id, kind="comment_reply", message="Neue Antwort", link="/")
    db.session.add(note)
    db.session.commit()
    login(client, user.email)
    html = client.get("/notifications/").get_data(as_text=True)
    assert ">Öffnen<span" in html
    assert ">Offen<span" not in html
