"""Charts as inline SVG built from numbers: no JavaScript, rendered the same by browsers
and WeasyPrint. Every label is escaped; the caller gives a table with the same figures
for readers who cannot see the chart, and each chart's text alternative (its accessible
name and `<desc>`) states its data: every label with its value or dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

from belong.formatting import format_day, format_whole

WIDTH = 640
LABEL_W = 250  # right edge of the label column
BAR_X = LABEL_W + 8
BAR_W = 330  # length of a bar at 100
TIMELINE_X = 285  # where the years of the timeline begin
ROW_H = 20
# One colour per priority area, in the order of the priorities: the timeline's bars and the
# document's --priority custom properties (document.html) are both taken from here.
COLOURS = ("#1f4e8c", "#b3541e", "#2e7d5b", "#7a3e8f", "#a6802b", "#3d7ea6", "#8c2f39")
BASELINE_COLOUR = "#a9b4c2"
FONT = 'font-family="Open Sans, DejaVu Sans, sans-serif"'  # the text face


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(height: float, title: str, body: list[str], data: list[str]) -> Markup:
    """`data`: the chart's figures in words, one item per bar, for its text alternative."""
    alternative = _("%(title)s: %(data)s.", title=title, data="; ".join(data)) if data else title
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" width="100%" aria-label="{escape(alternative)}">'
        # The PDF's Figure /Alt is taken from <title>: it states the data too.
        f"<title>{escape(alternative)}</title><desc>{escape(alternative)}</desc>"
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every part escaped


def _scale_axis(top: float, bottom: float) -> list[str]:
    parts = []
    for tick in (0, 25, 50, 75, 100):
        x = BAR_X + BAR_W * tick / 100
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(top)}" x2="{_num(x)}" y2="{_num(bottom)}" '
            'stroke="#d5dbe3" stroke-width="0.7"/>'
            f'<text x="{_num(x)}" y="{_num(bottom + 12)}" font-size="9" text-anchor="middle" '
            f'fill="#555" {FONT}>{escape(format_whole(tick))}</text>'
        )
    return parts


def _bar(x: float, y: float, value: float, height: float, colour: str) -> str:
    length = BAR_W * max(0.0, min(value, 100.0)) / 100
    return (
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(length)}" height="{_num(height)}" '
        f'fill="{colour}"/>'
        f'<text x="{_num(x + length + 4)}" y="{_num(y + height - 2)}" font-size="9.5" '
        f'fill="#1a1a1a" {FONT}>{escape(format_whole(value))}</text>'
    )


def _label(y: float, text: str) -> str:
    return (
        f'<text x="{LABEL_W}" y="{_num(y)}" font-size="10.5" text-anchor="end" fill="#1a1a1a" '
        f"{FONT}>{escape(text)}</text>"
    )


def score_chart(rows: Sequence[tuple[str, float]], *, title: str) -> Markup:
    """Horizontal bars, one per (label, score 0-100); the text alternative names each."""
    top = 6
    body = _scale_axis(top - 2, top + ROW_H * len(rows))
    for index, (label, value) in enumerate(rows):
        y = top + index * ROW_H
        body.append(_label(y + 13, label))
        body.append(_bar(BAR_X, y + 3, value, ROW_H - 7, COLOURS[0]))
    data = [f"{label} {format_whole(value)}" for label, value in rows]
    return _svg(top + ROW_H * len(rows) + 18, title, body, data)


def progress_chart(
    rows: Sequence[tuple[str, float | None, float]],
    *,
    title: str,
    baseline_label: str,
    current_label: str,
) -> Markup:
    """Two bars per (label, baseline, current): the baseline above, the current one below;
    the text alternative gives both figures of each label."""
    row_h = 30
    top = 24
    body = [
        f'<rect x="{BAR_X}" y="2" width="10" height="10" fill="{BASELINE_COLOUR}"/>'
        f'<text x="{BAR_X + 14}" y="11" font-size="9.5" {FONT}>{escape(baseline_label)}</text>'
        f'<rect x="{BAR_X + 170}" y="2" width="10" height="10" fill="{COLOURS[0]}"/>'
        f'<text x="{BAR_X + 184}" y="11" font-size="9.5" {FONT}>{escape(current_label)}</text>'
    ]
    body += _scale_axis(top - 2, top + row_h * len(rows))
    for index, (label, baseline, current) in enumerate(rows):
        y = top + index * row_h
        body.append(_label(y + 17, label))
        if baseline is not None:
            body.append(_bar(BAR_X, y + 3, baseline, 11, BASELINE_COLOUR))
        body.append(_bar(BAR_X, y + 15, current, 11, COLOURS[0]))
    data = [
        _(
            "%(area)s: %(baseline_label)s %(baseline)s, %(current_label)s %(current)s",
            area=label,
            baseline_label=baseline_label,
            baseline=format_whole(baseline) if baseline is not None else "–",
            current_label=current_label,
            current=format_whole(current),
        )
        for label, baseline, current in rows
    ]
    return _svg(top + row_h * len(rows) + 18, title, body, data)


LABEL_CHARS = 52  # characters of a timeline label's line (8.5 pt Open Sans, 280 units)
LINE_H = 10.5


def _wrap(text: str, limit: int, max_lines: int = 3) -> list[str]:
    """A label in lines of at most `limit` characters, broken between words; a word longer
    than a line, or text beyond `max_lines`, is shortened with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(_shorten(word, limit))
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _shorten(" ".join(lines[max_lines - 1 :]), limit)]
    return lines or [""]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline_chart(
    rows: Sequence[tuple[str, date | None, date | None, str]],
    *,
    title: str,
    start: date,
    end: date,
    colours: dict[str, str] | None = None,
) -> Markup:
    """A Gantt-style chart: one bar per (label, start, end, group), coloured by group
    (`colours`: group -> colour, else in the order they come), against the years from start
    to end. Rows without dates get no bar; a long label wraps on to a second line."""
    groups = list(dict.fromkeys(g for *_, g in rows))
    colour = {g: COLOURS[i % len(COLOURS)] for i, g in enumerate(groups)} | (colours or {})
    first, last = date(start.year, 1, 1), date(end.year + 1, 1, 1)
    span = (last - first).days or 1
    row_h = 16
    top = 18
    lines = [_wrap(label, LABEL_CHARS) for label, *_rest in rows]
    heights = [row_h + (len(ls) - 1) * LINE_H for ls in lines]
    tops = [top + sum(heights[:i]) for i in range(len(rows))]
    chart_h = sum(heights)

    def x_of(day: date) -> float:
        clamped = min(max(day, first), last)
        return TIMELINE_X + (WIDTH - TIMELINE_X - 8) * (clamped - first).days / span

    stripes = [
        f'<rect x="0" y="{_num(tops[i])}" width="{WIDTH}" height="{_num(heights[i])}" '
        'fill="#f3f5f8"/>'
        for i in range(0, len(rows), 2)
    ]
    body = []
    for year in range(first.year, last.year + 1):
        x = x_of(date(year, 1, 1))
        body.append(
            f'<line x1="{_num(x)}" y1="{top - 4}" x2="{_num(x)}" y2="{_num(top + chart_h)}" '
            'stroke="#c9d1dc" stroke-width="0.7"/>'
        )
        if year < last.year:
            mid = x_of(date(year, 7, 1))
            body.append(
                f'<text x="{_num(mid)}" y="{top - 7}" font-size="9.5" text-anchor="middle" '
                f'font-weight="bold" {FONT}>{year}</text>'
            )
    for index, (_label, begins, ends, group) in enumerate(rows):
        y = tops[index]
        for n, line in enumerate(lines[index]):
            body.append(
                f'<text x="4" y="{_num(y + 11.5 + n * LINE_H)}" font-size="8.5" fill="#1a1a1a" '
                f"{FONT}>{escape(line)}</text>"
            )
        if begins and ends and ends >= begins:
            x1, x2 = x_of(begins), x_of(ends)
            middle = y + (heights[index] - (row_h - 6)) / 2
            body.append(
                f'<rect x="{_num(x1)}" y="{_num(middle)}" width="{_num(max(x2 - x1, 2))}" '
                f'height="{row_h - 6}" rx="2" fill="{colour[group]}"/>'
            )
    body = stripes + body  # stripes first, so year lines and bars stay visible
    legend_y = top + chart_h + 14
    x = 4.0
    for group in groups:
        if not group:
            continue
        text = _shorten(group, 40)
        if x + 14 + 5.6 * len(text) > WIDTH:
            legend_y += 14
            x = 4.0
        body.append(
            f'<rect x="{_num(x)}" y="{_num(legend_y - 9)}" width="10" height="10" '
            f'fill="{colour[group]}"/>'
            f'<text x="{_num(x + 14)}" y="{_num(legend_y)}" font-size="9" {FONT}>'
            f"{escape(text)}</text>"
        )
        x += 14 + 5.6 * len(text) + 14
    data = [
        _(
            "%(action)s (%(group)s): %(start)s to %(end)s",
            action=label,
            group=group or "–",
            start=format_day(begins, "medium") if begins else "–",
            end=format_day(ends, "medium") if ends else "–",
        )
        for label, begins, ends, group in rows
    ]
    return _svg(legend_y + 6, title, body, data)
