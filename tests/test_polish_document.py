"""A Polish region's strategy: the Valdoria answers rendered as the draft PDF of a region whose
language is Polish carry no English sentence in the document's frame (headings, cover, labels,
annexes, stakeholder categories, the template's own texts); the same answers in an English
region show which frame strings to look for."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from belong import create_app
from belong.demo.seed import _answers, _demo_answers
from belong.extensions import db
from belong.models import AssessmentSnapshot, Contribution, ContributionStatus
from belong.services import accounts, documents
from belong.services import regions as region_service
from belong.templating.registry import get_template
from belong.templating.translation import text_paths
from tests.conftest import ROOT, _config, _empty_tables

TEMPLATE_ID = "intercultural-region"
LAYOUT = ROOT / "strategy_templates" / TEMPLATE_ID
# The document's own words: the layout's and those the application writes into it.
FRAME_SOURCES = [
    *sorted(LAYOUT.glob("*.html")),
    *sorted((ROOT / "belong" / "document").glob("*.py")),
]
MSGID = re.compile(
    r"""\b(?:_|_l|gettext|ngettext)\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""
)
PLURAL = re.compile(r"""ngettext\(\s*'(?:[^'\\]|\\.)*',\s*'((?:[^'\\]|\\.)*)'""")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and spacing do not matter."""
    return re.sub(r"[\W_]+", "", html_lib.unescape(text)).casefold()


def _catalogue_strings() -> set[str]:
    """Every interface string the layout and the document code write into the document."""
    found: set[str] = set()
    for path in FRAME_SOURCES:
        source = path.read_text(encoding="utf-8")
        found |= {a or b for a, b in MSGID.findall(source)}
        found |= set(PLURAL.findall(source))
    return {s for s in found if s and "<" not in s}


def _region_pdf(language: str, author) -> str:
    """The draft of a region in `language` holding the Valdoria answers, a baseline and one
    adopted contribution; the text of its PDF."""
    region = region_service.create_region(
        "Valdoria",
        f"valdoria-{language}",
        TEMPLATE_ID,
        country="Fictional Republic",
        period="2026-2030",
        language=language,
    )
    _answers(region, _demo_answers()["answers"], author)
    db.session.add(
        AssessmentSnapshot(
            region_id=region.id,
            label="Baseline",
            taken_at=datetime(2024, 3, 1, tzinfo=UTC),
            scores={"overall": 30.0, "answered": 36, "total": 36, "areas": {"media": 0.0}},
        )
    )
    db.session.add(
        Contribution(
            region_id=region.id,
            step_id="mandate",
            author_id=author.id,
            category="migrant_led",
            organisation="Asociación Puentes",
            show_organisation=True,
            status=ContributionStatus.ADOPTED,
            body="Name the four principles.",
        )
    )
    db.session.commit()
    template = get_template(TEMPLATE_ID)
    pdf = documents.document_pdf(template, documents.draft_html(region, template))
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def rendered(migrated, templates_dir):
    app = create_app(_config(migrated, templates_dir))
    with app.app_context():
        author = accounts.create_user("anna@example.org", "Anna Kowalska")
        texts = {language: _region_pdf(language, author) for language in ("en", "pl")}
        template = get_template(TEMPLATE_ID)
        _empty_tables()
        db.engine.dispose()
        with force_locale("pl"):
            catalogue = {s: gettext(s) for s in _catalogue_strings()}
    answers = _squash(" ".join(_flatten(_demo_answers()["answers"])))
    return {
        "en": _squash(texts["en"]),
        "pl": _squash(texts["pl"]),
        "pl_text": texts["pl"],
        "answers": answers,
        "catalogue": catalogue,
        "english": text_paths(template.definition.model_dump()),
        "polish": text_paths(template.in_language("pl").definition.model_dump()),
    }


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _flatten(item)]
    if isinstance(value, list):
        return [text for item in value for text in _flatten(item)]
    return [str(value)]


def _frame_strings(rendered) -> dict[str, str]:
    """English frame strings (each literal piece between placeholders) shown in the English
    document and not part of the answers, with the Polish text expected instead ('' when only
    the English piece's absence is checked: a piece of a pattern, or a text that also lies
    inside a longer frame string, such as a step title inside a chapter heading)."""
    candidates = sorted(rendered["catalogue"].items())
    candidates += [(text, rendered["polish"][path]) for path, text in rendered["english"].items()]
    shown: dict[str, str] = {}
    for english, polish in candidates:
        pieces = [p.strip() for p in PLACEHOLDER.split(english) if len(_squash(p)) >= 4]
        for piece in pieces:
            squashed = _squash(piece)
            if squashed in rendered["en"] and squashed not in rendered["answers"]:
                whole = len(pieces) == 1 and piece == english.strip()
                shown[piece] = polish if whole and shown.get(piece) != "" else ""
    longer = [_squash(s) for s in shown]
    return {
        english: "" if sum(_squash(english) in other for other in longer) > 1 else polish
        for english, polish in shown.items()
    }


def test_a_polish_regions_pdf_has_no_english_in_its_frame(rendered):
    frame = _frame_strings(rendered)
    assert len(frame) > 200  # headings, cover, tables, annexes, categories, labels
    english = sorted(s for s in frame if _squash(s) in rendered["pl"])
    assert not english, f"English frame strings in the Polish PDF: {english}"
    absent = sorted(p for p in frame.values() if p and _squash(p) not in rendered["pl"])
    assert not absent, f"Polish frame strings missing from the Polish PDF: {absent}"


@pytest.mark.parametrize(
    "polish",
    [
        "Strategia regionu międzykulturowego",  # the cover
        "PROJEKT, NIEPRZYJĘTY",  # the running header
        "Spis treści",
        "Gdzie jesteśmy: samoocena międzykulturowa",  # a chapter
        "Rejestr interesariuszy",  # an annex
        "Organizacja prowadzona przez migrantów",  # a stakeholder category
        "Sąsiedztwa i mieszkalnictwo",  # a policy area in the chart and the tables
        "Departament wiodący",  # a question's label
        "Samodzielna strategia wraz z zobowiązaniami włączonymi do planów sektorowych",
        "1 stycznia 2026",
    ],
)
def test_the_polish_pdf_speaks_polish_on_its_pages(rendered, polish):
    assert _squash(polish) in rendered["pl"]


def test_stakeholder_categories_are_named_in_polish(rendered):
    """The register and the consultation record name each category in Polish (the answers
    mention "migrant-led organisations" in English, so the general check cannot see these)."""
    register = _demo_answers()["answers"]["stakeholders"]["stakeholder_register"]
    used = {row["category"] for row in register} | {"migrant_led"}
    assert len(used) >= 8
    pl_text = " ".join(rendered["pl_text"].split())
    for value in used:
        english = rendered["english"][f"stakeholder_categories.{value}"]
        polish = rendered["polish"][f"stakeholder_categories.{value}"]
        assert _squash(polish) in rendered["pl"], value
        if english != polish:  # "Media" is the same word in Polish
            assert f"({english})" not in pl_text and f"{english} (" not in pl_text, value
    assert "Asociación Puentes (Organizacja prowadzona przez migrantów)" in pl_text


def test_the_register_has_room_for_polish_words_and_the_record_reads_on(rendered):
    """The register's level and rating columns fit "Regionalny" and "Zainteresowanie" on one
    line (narrower, they were split in the middle of the word); the consultation record's
    sentence goes on after its semicolon in lower case."""
    words = set(rendered["pl_text"].split())
    assert {"Regionalny", "Zainteresowanie"} <= words
    pl_text = " ".join(rendered["pl_text"].split())
    assert "Zgłoszono 1 uwagę; do tekstu włączono 1." in pl_text


def test_the_polish_interface_calls_a_contributors_input_wklad():
    """Administrative Polish: "Twój wkład" (your contribution) for "Your input", not "Twoja
    uwaga" (your remark), in every message addressed to the contributor about their input."""
    from babel.messages.pofile import read_po

    path = ROOT / "belong" / "translations" / "pl" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalogue = read_po(po)
    own = [m for m in catalogue if isinstance(m.id, str) and "your input" in m.id.casefold()]
    assert len(own) >= 10
    for message in own:
        assert "wkład" in message.string.casefold(), message.id
        assert "uwag" not in message.string.casefold(), message.id
    assert catalogue["Your input"].string == "Twój wkład"
