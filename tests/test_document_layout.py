"""The strategy document read as a document designer would: body size and measure, pages
that are not left near empty, the strategy at a glance with the computed figures, lists of
figures and tables, the priority colours, and an incomplete draft (the demo's Nordmark)
that says what is missing instead of printing zeros."""

from __future__ import annotations

import io
import re
import statistics
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from belong import create_app
from belong.demo.seed import load_demo
from belong.document.chart import COLOURS
from belong.extensions import db
from belong.formatting import format_amount
from belong.models import Region
from belong.services import documents, records, strategy_figures
from belong.templating.registry import get_template
from tests.conftest import _config, _empty_tables

TEMPLATE = "intercultural-region"
CSS = Path(__file__).parent.parent / "strategy_templates" / TEMPLATE / "document.css"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def drafts(migrated, templates_dir):
    """The demo's two drafts, Valdoria (complete) and Nordmark (barely begun), rendered once,
    with Valdoria's figures as belong/services/strategy_figures.py computes them."""
    app = create_app(_config(migrated, templates_dir))
    out = {}
    with app.app_context():
        load_demo()
        template = get_template(TEMPLATE)
        for slug in ("valdoria", "nordmark"):
            region = db.session.scalar(select(Region).where(Region.slug == slug))
            edition = documents.draft_edition(region, template)
            html = documents.document_html(region, template, edition)
            pdf = documents.document_pdf(template, html)
            chain = records.from_snapshot(template.definition, edition.values)
            out[slug] = {
                "html": html,
                "reader": PdfReader(io.BytesIO(pdf)),
                "figures": strategy_figures.figures(template.definition, chain),
                "actions": chain.get("action", []),
            }
        _empty_tables()
        db.engine.dispose()
    return out


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _fill(page) -> float:
    """How far down the page's text area its lowest line of text reaches (0 to 1)."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    landscape = width > height
    top = height - (20 if landscape else 24) * MM
    bottom = (18 if landscape else 22) * MM
    lowest = []

    def visit(text, cm, tm, _font, _size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and bottom < y < top:  # the running header and footer left out
            lowest.append(y)

    page.extract_text(visitor_text=visit)
    return (top - min(lowest)) / (top - bottom) if lowest else 0.0


@pytest.mark.parametrize("slug", ["valdoria", "nordmark"])
def test_no_page_but_the_last_is_under_a_quarter_full(drafts, slug):
    pages = drafts[slug]["reader"].pages
    fills = [_fill(page) for page in pages[1:]]  # the cover is a designed page
    nearly_empty = [n + 2 for n, fill in enumerate(fills[:-1]) if fill < 0.25]
    assert nearly_empty == [], (slug, [round(f, 2) for f in fills])


def test_body_text_is_set_at_10_5_to_11_pt_in_lines_of_60_to_75_characters(drafts):
    size = re.search(r"^html \{[^}]*font-size: ([\d.]+)pt", CSS.read_text(), re.M)
    assert 10.5 <= float(size.group(1)) <= 11
    lines = defaultdict(str)  # (page, baseline) -> the body text on that line
    for number, page in enumerate(drafts["valdoria"]["reader"].pages):

        def visit(text, cm, tm, _font, font_size, number=number):
            if abs(font_size * tm[3] * cm[3] - 10.5) < 0.05:
                lines[(number, round(tm[5] * cm[3] + cm[5], 1))] += text

        page.extract_text(visitor_text=visit)
    # a paragraph's full lines (its last may be short): 60 to 75 characters on average
    full = [len(line.strip()) for line in lines.values() if len(line.strip()) >= 40]
    assert len(full) > 300
    assert 60 <= statistics.median(full) <= 75
    assert max(full) <= 82


def test_charts_are_set_in_the_text_face(drafts):
    html = drafts["valdoria"]["html"]
    assert html.count('font-family="Open Sans, DejaVu Sans, sans-serif"') > 20
    fonts = {
        str(font["/BaseFont"])
        for page in drafts["valdoria"]["reader"].pages
        for font in page["/Resources"].get("/Font", {}).values()
        if "/BaseFont" in font.get_object()
    }
    assert fonts and all("Open-Sans" in f for f in fonts), fonts


def test_the_strategy_at_a_glance_states_the_computed_figures(drafts):
    valdoria = drafts["valdoria"]
    figures = valdoria["figures"]
    glance = re.search(r'<section class="glance".*?</section>', valdoria["html"], re.S).group(0)
    assert f'<span class="kf-value">{len(valdoria["actions"])}</span>' in glance
    assert f'<span class="kf-value">{format_amount(figures.total)}</span>' in glance
    # the actions and the other costs (coordination, evaluation, surveys) together
    assert '<span class="kf-label">Budget of the strategy (EUR)</span>' in glance
    for status, amount in figures.by_status.items():
        label = figures.status_labels.get(status, status)
        assert f"{figures.share(amount)}<small>%</small></span>" in glance
        assert f'<span class="kf-label">{label}</span>' in glance
    # the headline actions: the five largest by their computed budget, largest first
    largest = sorted(valdoria["actions"], key=lambda a: -figures.by_action[a.key])[:5]
    rows = re.findall(r"<tr><td>A\d+</td><td>(.*?)</td><td class=\"n\">([\d,]+)</td>", glance)
    assert [amount for _title, amount in rows] == [
        format_amount(figures.by_action[a.key]) for a in largest
    ]
    text = _text(valdoria["reader"])
    assert "The strategy at a glance" in text and "Headline actions" in text


def test_the_lists_of_figures_and_tables_name_every_numbered_caption(drafts):
    html = drafts["valdoria"]["html"]
    lists = re.search(r'<section class="lists".*?</section>', html, re.S).group(0)
    body = html.replace(lists, "")
    captioned = re.findall(r'<span class="caption-label">((?:Figure|Table) \d+)\.</span>', body)
    listed = re.findall(r'<a href="#[^"]+"><span class="caption-label">([^<]+)\.</span>', lists)
    assert len(captioned) > 60
    assert listed == sorted(captioned, key=lambda c: (c.split()[0], int(c.split()[1])))
    for target in re.findall(r'<a href="#([^"]+)">', lists):
        assert html.count(f'id="{target}"') == 1, target
    text = _text(drafts["valdoria"]["reader"])
    assert "List of figures" in text and "List of tables" in text
    assert "Abbreviations" in text and "AMIF" in text


def test_each_priority_area_has_its_colour_in_chapters_plan_and_timeline(drafts):
    html = drafts["valdoria"]["html"]
    for n, colour in enumerate(COLOURS, start=1):
        assert f".prio-{n} {{ --priority: {colour}; }}" in html
    areas = re.findall(r'<section class="area prio prio-(\d+)">', html)
    assert areas and areas == [str(n) for n in range(1, len(areas) + 1)]
    assert re.findall(r'<tr class="group prio prio-(\d+)">', html)[: len(areas)] == areas
    timeline = re.search(r'<figure class="chart timeline".*?</figure>', html, re.S).group(0)
    for colour in COLOURS[: len(areas)]:
        assert f'fill="{colour}"' in timeline


def test_nordmark_says_what_is_missing_instead_of_printing_zeros(drafts):
    nordmark = drafts["nordmark"]
    reader = nordmark["reader"]
    text = _text(reader)
    assert "0/100" not in text and "0 /100" not in text
    assert not re.search(r"\b0 Actions\b", text)
    assert "Not yet assessed" in text
    # the status of the draft leads, straight after the cover
    assert "Status of this draft" in reader.pages[1].extract_text()
    # each empty part is one line naming the step where it is filled in, never its number
    assert "Not yet written. This part is filled in at the step “Action plan”." in text
    assert "Not yet written. This part is filled in at the step “Vision and principles”." in text
    assert not re.search(r"\bsteps?\s+\d", text, re.IGNORECASE)
    # one line, not a page of empty headings: the plan chapter and the next share a page
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    plan = next(p for p in pages if "Not yet written" in p and "Action plan, timeline" in p)
    assert "Monitoring and evaluation" in plan
    assert len(reader.pages) < 20
