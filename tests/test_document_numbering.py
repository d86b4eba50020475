"""Figures and tables are numbered in the order they appear, whatever wrote them (the layout
or an answer's Markdown), and references name the number the figure or table got."""

from __future__ import annotations

import re

from belong.document.numbering import number_figures_and_tables


def _number(html: str) -> str:
    return number_figures_and_tables(
        html, figure=lambda n: f"Figure {n}", table=lambda n: f"Table {n}"
    )


def test_every_table_and_figure_gets_the_next_number_and_references_follow():
    html = _number(
        '<h2><span class="num">5.2</span> Results &amp; scores</h2>'
        '<figure id="f-scores"><svg></svg><figcaption>Scores. [[ref:t-scores]] has them.'
        "</figcaption></figure>"
        '<table id="t-scores"><caption>Self-assessment scores</caption><tr><td>1</td></tr></table>'
        "<h3>Funding of the plan</h3><table><tr><td>from an answer</td></tr></table>"
        '<table class="facts" data-caption="Training budget"><colgroup><col></colgroup></table>'
        "<figure><svg></svg><figcaption>Timeline, see [[ref:t-scores]].</figcaption></figure>"
    )
    captions = re.findall(r'<span class="caption-label">([^<]+)</span> ([^<]*)', html)
    assert captions == [
        ("Figure 1.", "Scores. "),
        ("Table 1.", "Self-assessment scores"),
        ("Table 2.", "Funding of the plan"),  # no caption: the heading above it
        ("Table 3.", "Training budget"),  # the layout's own caption
        ("Figure 2.", "Timeline, see "),
    ]
    assert html.count('<a class="xref" href="#t-scores">Table 1</a>') == 2
    assert "[[ref:" not in html
    # a caption is the table's first child
    assert '<table id="table-2"><caption>' in html
    assert "Training budget</caption><colgroup>" in html


def test_the_lists_of_figures_and_tables_link_every_numbered_caption():
    html = _number(
        "<ol>[[list:figures]]</ol><ol>[[list:tables]]</ol>"
        '<figure id="f-scores"><svg></svg><figcaption>Scores by area (0 to 100). '
        "[[ref:t-scores]] has them.</figcaption></figure>"
        '<table id="t-scores"><caption>Self-assessment &amp; scores</caption></table>'
        "<h3>Funding of the plan</h3><table><tr><td>from an answer</td></tr></table>"
        "<figure><svg></svg><figcaption>Timeline.</figcaption></figure>"
    )
    figures, tables = re.findall(r"<ol>(.*?)</ol>", html)
    assert re.findall(
        r'<a href="#([^"]+)"><span class="caption-label">([^<]+)</span> ([^<]*)</a>', figures
    ) == [
        ("f-scores", "Figure 1.", "Scores by area (0 to 100)"),
        ("figure-2", "Figure 2.", "Timeline"),
    ]
    assert re.findall(
        r'<a href="#([^"]+)"><span class="caption-label">([^<]+)</span> ([^<]*)</a>', tables
    ) == [
        ("t-scores", "Table 1.", "Self-assessment &amp; scores"),
        ("table-2", "Table 2.", "Funding of the plan"),
    ]
    # every entry links to an element that is there
    for target in re.findall(r'href="#([^"]+)"', figures + tables):
        assert f'id="{target}"' in html


def test_a_heading_gives_its_words_without_its_section_number():
    html = _number('<h2><span class="num">4.4</span> Existing policies</h2><table></table>')
    assert '<span class="caption-label">Table 1.</span> Existing policies</caption>' in html


def test_a_reference_to_nothing_the_layout_numbered_is_left_as_written():
    """An answer may contain the same brackets: it is not turned into an empty link."""
    assert _number("<p>[[ref:nowhere]]</p>") == "<p>[[ref:nowhere]]</p>"
