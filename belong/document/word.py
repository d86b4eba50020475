"""The strategy as a Word document (DOCX), written from the same HTML the PDF is made of
(belong/services/documents.py document_html, from `document_context`), never from the PDF.

The layout's elements become Word's own: h1-h6 the built-in heading styles (the navigation
pane and the contents field use them), tables Word tables whose heading rows repeat on each
page, inline SVG charts pictures with their title as alternative text, wide chapters
landscape sections, the DRAFT marking the page header. The cover's running texts and the
contents list are used as the layout names them (classes `cover-running`, `draft-running`,
`l10n-page`, `l10n-of`, `toc`). Only what python-docx cannot do is written as XML here: the
repeating heading row, fields (contents, page numbers), alternative text, hyperlinks and a
numbered list that starts again at 1.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import io
import logging
import re
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from belong.document import word_styles as S
from belong.document.html_tree import Element, parse
from belong.text import clean_text

log = logging.getLogger(__name__)

BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "svg", "table", "ul",
}  # fmt: skip
SKIPPED = {"head", "script", "style", "template", "colgroup", "col", "img", "input", "button"}
# Classes of the layout's paragraphs that the page header and footer show instead.
RUNNING = {"l10n", "cover-running", "draft-running"}
PARAGRAPH_STYLES = {
    "lead": S.LEAD,
    "note": S.NOTE,
    "muted": S.NOTE,
    "unanswered": S.UNANSWERED,
    "draft-mark": S.DRAFT_MARKING,
    "cover-region": S.COVER_REGION,
    "cover-period": "Subtitle",
    "signature": S.SIGNATURE,
}
BLOCK_STYLES = {"vision": "Quote", "foreword": S.LEAD}  # for the paragraphs inside
BOLD_CLASSES = {"strong", "k", "objective", "scale-choice"}
_NOT_XML = re.compile("[\ufffe\uffff]")  # kept by clean_text, refused in XML
SHORT_ROW = 800  # characters: a row this short is not split across pages
CHART_WIDTH = Mm(165)  # a chart as wide as a portrait page's text
CHART_SCALE = 2.5  # pixels per SVG unit: sharp when printed


def builder_identity() -> bytes:
    """What decides a DOCX's bytes besides the HTML: this code and the libraries it uses
    (part of the document cache's key)."""
    return _identity()


@lru_cache(maxsize=1)
def _identity() -> bytes:
    digest = hashlib.sha256()
    for module in ("word.py", "word_styles.py", "html_tree.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    for package in ("python-docx", "cairosvg"):
        digest.update(f"{package}={version(package)}".encode())
    return digest.digest()


def html_to_docx(html: str) -> bytes:
    """The DOCX of a document's HTML."""
    root = parse(_NOT_XML.sub("", clean_text(html)))
    writer = _Writer(root)
    writer.write()
    out = io.BytesIO()
    writer.document.save(out)
    return out.getvalue()


class _Format:
    """The character formatting in force while walking inline elements."""

    __slots__ = ("bold", "italic", "link", "strike", "style", "sub", "sup", "underline")

    def __init__(self, **values) -> None:
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    def but(self, **values) -> _Format:
        merged = {name: getattr(self, name) for name in self.__slots__}
        merged.update(values)
        return _Format(**merged)


PLAIN = _Format()


class _Line:
    """A paragraph being filled, collapsing white space as HTML does."""

    def __init__(self, paragraph: Paragraph) -> None:
        self.paragraph = paragraph
        self.space_before_next = False
        self.started = False
        self.last_run = None

    def add(self, text: str, fmt: _Format) -> None:
        text = re.sub(r"\s+", " ", text)
        if not self.started or self.space_before_next:
            text = text.lstrip()
        if not text:
            return
        self.space_before_next = text.endswith(" ")
        self.started = True
        if fmt.link is None:
            run = self.paragraph.add_run(text)
        else:
            run = _link_run(self.paragraph, fmt.link, text)
        _apply(run, fmt)
        self.last_run = run

    def line_break(self) -> None:
        self.paragraph.add_run().add_break(WD_BREAK.LINE)
        self.space_before_next = True
        self.started = True

    def finish(self) -> None:
        if self.last_run is not None and self.last_run.text.endswith(" "):
            self.last_run.text = self.last_run.text.rstrip()


def _apply(run, fmt: _Format) -> None:
    if fmt.style:
        run._r.get_or_add_rPr().style = fmt.style  # a style id (see _Writer.ids)
    if fmt.bold:
        run.bold = True
    if fmt.italic:
        run.italic = True
    if fmt.underline:
        run.underline = True
    if fmt.strike:
        run.font.strike = True
    if fmt.sup:
        run.font.superscript = True
    if fmt.sub:
        run.font.subscript = True


def _link_run(paragraph: Paragraph, hyperlink, text: str) -> Run:
    """A run inside a <w:hyperlink> (python-docx reads hyperlinks but does not make them)."""
    r = OxmlElement("w:r")
    hyperlink.append(r)
    run = Run(r, paragraph)
    run.text = text
    run.style = S.HYPERLINK
    return run


class _Writer:
    def __init__(self, root: Element) -> None:
        self.root = root
        self.document: Document = docx.Document()
        S.set_up_styles(self.document)
        # Style ids by name: python-docx looks a name up among every style each time.
        self.ids = {style.name: style.style_id for style in self.document.styles}
        html = root.find("html") or root
        S.set_language(self.document, html.attrs.get("lang") or "en")
        self._properties(root)
        S.set_page(self.document.sections[0], landscape=False)
        S.set_header_tabs(self.document)
        self.landscape = False
        self.next_break: bool | None = None  # page break before the next paragraph
        self.fresh_cells: set[int] = set()  # cells whose first paragraph is still unused
        self.heading_shift = self._heading_shift(root)

    # the document as a whole

    def _properties(self, root: Element) -> None:
        core = self.document.core_properties
        title = root.find("title")
        core.title = title.text() if title is not None else ""
        metas = {m.attrs.get("name"): m.attrs.get("content", "") for m in _all(root, "meta")}
        core.author = core.last_modified_by = metas.get("author", "")
        core.subject = metas.get("description", "")
        core.keywords = metas.get("keywords", "")
        core.comments = ""
        core.revision = 1
        core.created = core.modified = datetime.now(UTC).replace(microsecond=0)
        # The template's thumbnail and its application details describe another document.
        rels = self.document.part.package.rels
        for r_id, rel in list(rels.items()):
            if rel.reltype in (RELATIONSHIP_TYPE.THUMBNAIL, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES):
                del rels[r_id]

    def write(self) -> None:
        body = self.root.find("body") or self.root
        self._flow(self.document, body.children, None)
        self._running_texts(body)

    def _heading_shift(self, root: Element) -> int:
        """How many levels the layout's chapter headings sit below h1 (a layout whose
        chapters are h2 still gets Heading 1 chapters); the cover and contents aside."""
        levels = [
            int(element.tag[1])
            for element in _all(root, "h1", "h2", "h3", "h4", "h5", "h6", skip={"cover", "toc"})
            if "cover-title" not in element.classes
        ]
        return min(levels) - 1 if levels else 0

    def _running_texts(self, body: Element) -> None:
        """The page header (the document's name and the DRAFT marking) and the footer
        (page x of y) on every page but the cover."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        # The layout carries the page margins' words as attributes of its cover (the PDF's
        # string-set): the running title, the draft marking, "Page" and "of".
        # Layouts without them name those words by classes of (hidden) paragraphs instead.
        cover = body.find_class("cover")
        words = dict(cover.attrs) if cover is not None else {}
        for key, classes in (
            ("data-running-title", ("cover-running",)),
            ("data-draft-running", ("draft-running", "draft-mark")),
            ("data-page-word", ("l10n-page",)),
            ("data-of-word", ("l10n-of",)),
        ):
            found = next((e for e in map(body.find_class, classes) if e is not None), None)
            if not words.get(key) and found is not None:
                words[key] = found.text()
        title = words.get("data-running-title") or self.document.core_properties.title
        header = section.header.paragraphs[0]
        header.add_run(title)
        if words.get("data-draft-running"):
            header.add_run("\t")
            header.add_run(words["data-draft-running"], style=S.DRAFT_MARK)
        footer = section.footer.paragraphs[0]
        footer.add_run("\t")
        if words.get("data-page-word"):
            footer.add_run(words["data-page-word"] + " ")
        _field(footer, "PAGE", "1")
        if words.get("data-of-word"):
            footer.add_run(f" {words['data-of-word']} ")
            _field(footer, "NUMPAGES", "1")

    # blocks

    def _paragraph(self, container, style: str | None) -> Paragraph:
        cell_id = id(container._tc) if isinstance(container, _Cell) else None
        if cell_id is not None and cell_id in self.fresh_cells:
            self.fresh_cells.discard(cell_id)
            paragraph = container.paragraphs[0]
        else:
            paragraph = container.add_paragraph()
        if style:
            paragraph._p.get_or_add_pPr().style = self.ids[style]
        if self.next_break is not None and cell_id is None:
            paragraph.paragraph_format.page_break_before = self.next_break
            self.next_break = None
        return paragraph

    def _flow(self, container, children: list, style: str | None, fmt: _Format = PLAIN) -> None:
        """Children of an element that may hold both text and blocks: runs of text and
        inline elements become paragraphs in `style`, blocks are written as blocks."""
        line: _Line | None = None
        for child in children:
            if isinstance(child, str) or (child.tag not in BLOCKS and child.tag not in SKIPPED):
                if isinstance(child, str) and not child.strip() and line is None:
                    continue
                if line is None:
                    line = _Line(self._paragraph(container, style))
                self._inline(line, child, fmt)
                continue
            if line is not None:
                line.finish()
                line = None
            self._block(container, child, style)
        if line is not None:
            line.finish()

    def _block(self, container, element: Element, style: str | None) -> None:
        tag, classes = element.tag, element.classes
        if tag in SKIPPED or classes & RUNNING:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading(container, element)
        elif tag == "p":
            own = next((PARAGRAPH_STYLES[c] for c in classes if c in PARAGRAPH_STYLES), None)
            self._flow(container, element.children, own or style)
        elif tag == "nav" and "toc" in classes:
            self._contents(element)
        elif tag == "section" and "chapter" in classes and container is self.document:
            self._chapter(element)
            self._flow(container, element.children, style)
        elif tag in ("ul", "ol"):
            self._list(container, element, 0)
        elif tag == "table":
            self._table(container, element)
        elif tag == "svg":
            self._chart(container, element)
        elif tag == "figcaption" or tag == "caption":
            self._flow(container, element.children, "Caption")
        elif tag == "blockquote":
            self._flow(container, element.children, "Quote")
        elif tag == "dt":
            self._flow(container, element.children, S.TERM)
        elif tag == "dd":
            self._flow(container, element.children, S.DEFINITION)
        elif tag == "pre":
            self._preformatted(container, element)
        elif tag == "hr":
            return
        elif tag == "div" and "kf" in classes:
            self._key_figure(container, element)
        else:  # div, section, figure, dl, article...: their content
            own = next((BLOCK_STYLES[c] for c in classes if c in BLOCK_STYLES), None)
            self._flow(container, element.children, own or style)

    def _heading(self, container, element: Element) -> None:
        classes = element.classes
        if "cover-title" in classes:
            style = "Title"
        elif container is not self.document:
            style = S.TABLE_HEADING  # a heading inside a table cell stays in the cell
        else:
            level = max(1, min(6, int(element.tag[1]) - self.heading_shift))
            style = f"Heading {level}"
        line = _Line(self._paragraph(container, style))
        for child in element.children:
            if isinstance(child, Element) and child.classes & {"num", "chapter-number"}:
                line.add(child.text(), PLAIN.but(style=self.ids[S.HEADING_NUMBER]))
                line.add(" ", PLAIN)
            else:
                self._inline(line, child, PLAIN)
        line.finish()

    def _chapter(self, element: Element) -> None:
        """A chapter starts a new page; a wide one is a landscape section, and the chapter
        after it returns to portrait pages."""
        wide = "wide-pages" in element.classes
        if wide != self.landscape:
            section = self.document.add_section(WD_SECTION.NEW_PAGE)
            S.set_page(section, landscape=wide)
            self.landscape = wide
            self.next_break = False  # the section starts the new page
            return
        first = next((c for c in element.children if isinstance(c, Element)), None)
        if "follows" in element.classes:
            self.next_break = False
        elif first is None or first.tag != "h1":
            self.next_break = True

    def _contents(self, nav: Element) -> None:
        """The contents as a Word field, filled with the layout's list until Word updates
        it with page numbers (Word asks to update it when the document is opened)."""
        heading = next(
            (c for c in nav.children if isinstance(c, Element) and c.tag[0] == "h"), None
        )
        paragraph = self._paragraph(self.document, "TOC Heading")
        if heading is not None:
            paragraph.add_run(heading.text())
        entries = list(_items(nav, 0))
        paragraphs = []
        for li, level in entries:
            entry = self._paragraph(self.document, S.TOC_ENTRY[min(level, 1)])
            number = li.find_class("toc-num") or li.find_class("toc-number")
            text = li.text()
            if number is not None and text.startswith(number.text()):
                entry.add_run(number.text() + "\t")
                entry.add_run(text[len(number.text()) :].strip())
            else:
                entry.add_run(text)
            paragraphs.append(entry)
        if not paragraphs:
            paragraphs.append(self._paragraph(self.document, S.TOC_ENTRY[0]))
        _complex_field(paragraphs[0], paragraphs[-1], 'TOC \\o "1-2" \\h \\z \\u')
        self.next_break = True  # the contents has its own page

    def _list(self, container, element: Element, level: int) -> None:
        ordered = element.tag == "ol"
        base = "List Number" if ordered else "List Bullet"
        style = base if level == 0 else f"{base} {min(level + 1, 3)}"
        num_id = _restarted_numbering(self.document, style) if ordered else None
        for li in element.children:
            if not isinstance(li, Element) or li.tag != "li":
                continue
            first = True
            line: _Line | None = None
            for child in li.children:
                if isinstance(child, Element) and child.tag in ("ul", "ol"):
                    if line is not None:
                        line.finish()
                        line = None
                    self._list(container, child, level + 1)
                    first = False
                elif isinstance(child, Element) and child.tag in BLOCKS and child.tag != "p":
                    if line is not None:
                        line.finish()
                        line = None
                    self._block(container, child, "List Continue")
                    first = False
                elif isinstance(child, Element) and child.tag == "p":
                    if line is not None:
                        line.finish()
                    paragraph_style = style if first else "List Continue"
                    line = _Line(self._paragraph(container, paragraph_style))
                    if first and num_id is not None:
                        _number(line.paragraph, num_id)
                    for grandchild in child.children:
                        self._inline(line, grandchild, PLAIN)
                    line.finish()
                    line = None
                    first = False
                else:
                    if isinstance(child, str) and not child.strip() and line is None:
                        continue
                    if line is None:
                        line = _Line(
                            self._paragraph(container, style if first else "List Continue")
                        )
                        if first and num_id is not None:
                            _number(line.paragraph, num_id)
                        first = False
                    self._inline(line, child, PLAIN)
            if line is not None:
                line.finish()

    def _table(self, container, element: Element) -> None:
        rows: list[tuple[Element, bool]] = []  # (row, is a heading row)
        caption = None
        for child in element.children:
            if not isinstance(child, Element):
                continue
            if child.tag == "caption":
                caption = child
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += [(tr, child.tag == "thead") for tr in _children(child, "tr")]
            elif child.tag == "tr":
                rows.append((child, False))
        columns = max(
            (sum(_span(c) for c in _children(tr, "th", "td")) for tr, _h in rows), default=0
        )
        if caption is not None:
            self._flow(container, caption.children, "Caption")
            container.paragraphs[-1].paragraph_format.keep_with_next = True
        if not columns:
            return
        if isinstance(container, _Cell):
            table = container.add_table(0, columns)
            table.style = S.TABLE
        else:
            table = container.add_table(0, columns, style=S.TABLE)
            self.next_break = None
        table.autofit = False
        for tr, heading in rows:
            row = table.add_row()
            if len(tr.text()) < SHORT_ROW:  # kept on one page, as in the PDF
                row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            if heading:
                row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats
            cells = list(row.cells)
            position = 0
            for cell_element in _children(tr, "th", "td"):
                if position >= len(cells):
                    break
                span = min(_span(cell_element), len(cells) - position)
                cell = cells[position]
                if span > 1:
                    cell = cell.merge(cells[position + span - 1])
                position += span
                self.fresh_cells.add(id(cell._tc))
                if cell_element.tag == "th":
                    style = S.TABLE_HEADING
                elif "n" in cell_element.classes:
                    style = S.TABLE_FIGURE
                else:
                    style = S.TABLE_TEXT
                fmt = PLAIN.but(bold=True) if "strong" in cell_element.classes else PLAIN
                self._flow(cell, cell_element.children, style, fmt)
                self.fresh_cells.discard(id(cell._tc))
        if not isinstance(container, _Cell):
            _column_widths(table, rows, columns, self._text_width())

    def _text_width(self) -> Emu:
        section = self.document.sections[-1]
        return Emu(section.page_width - section.left_margin - section.right_margin)

    def _chart(self, container, svg: Element) -> None:
        """An inline SVG chart as a picture, its title as the alternative text."""
        import cairosvg  # heavy import, only where a chart is drawn

        title = re.search(r"<title>(.*?)</title>", svg.source, re.DOTALL)
        alt = svg.attrs.get("aria-label") or (html_lib.unescape(title.group(1)) if title else "")
        try:
            png = cairosvg.svg2png(bytestring=svg.source.encode("utf-8"), scale=CHART_SCALE)
        except Exception:  # the chart's table and caption stay; the log says what failed
            log.exception("a chart of the Word export could not be drawn: %s", alt)
            return
        paragraph = self._paragraph(container, S.FIGURE)
        width = CHART_WIDTH if not isinstance(container, _Cell) else Mm(60)
        picture = paragraph.add_run().add_picture(io.BytesIO(png), width=width)
        picture._inline.docPr.set("descr", alt)
        picture._inline.docPr.set("title", alt)

    def _key_figure(self, container, element: Element) -> None:
        """A key figure: its value in bold, its label on the next line."""
        line = _Line(self._paragraph(container, S.KEY_FIGURE))
        for child in element.children:
            if isinstance(child, Element) and "kf-label" in child.classes:
                line.line_break()
            if isinstance(child, Element) and child.tag == "p":
                line.line_break()
            self._inline(line, child, PLAIN)
        line.finish()

    def _preformatted(self, container, element: Element) -> None:
        paragraph = self._paragraph(container, S.PREFORMATTED)
        lines = element.raw_text().strip("\n").split("\n")
        for number, text in enumerate(lines):
            run = paragraph.add_run(text)
            if number < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)

    # inline

    def _inline(self, line: _Line, node, fmt: _Format) -> None:
        if isinstance(node, str):
            line.add(node, fmt)
            return
        tag, classes = node.tag, node.classes
        if tag in SKIPPED or classes & RUNNING:
            return
        if tag == "br":
            line.line_break()
            return
        if tag in BLOCKS:  # a block inside text (a list in a cell's text): its text
            line.add(" " + node.text() + " ", fmt)
            return
        if tag in ("strong", "b") or classes & BOLD_CLASSES:
            fmt = fmt.but(bold=True)
        if "kf-value" in classes:
            fmt = fmt.but(style=self.ids[S.KEY_FIGURE_VALUE])
        if tag in ("em", "i", "cite", "dfn"):
            fmt = fmt.but(italic=True)
        if tag in ("u", "ins"):
            fmt = fmt.but(underline=True)
        if tag in ("s", "del", "strike"):
            fmt = fmt.but(strike=True)
        if tag == "sup":
            fmt = fmt.but(sup=True)
        if tag == "sub":
            fmt = fmt.but(sub=True)
        if tag == "a" and fmt.link is None:
            href = node.attrs.get("href", "")
            if href.startswith(("https://", "http://", "mailto:")):
                fmt = fmt.but(link=_hyperlink(line.paragraph, href))
        for child in node.children:
            self._inline(line, child, fmt)


# helpers


def _all(root: Element, *tags: str, skip: set[str] = frozenset()):
    """The elements with these tags, in document order, outside elements of `skip` classes."""
    for child in root.children:
        if isinstance(child, Element) and not child.classes & skip:
            if child.tag in tags:
                yield child
            yield from _all(child, *tags, skip=skip)


def _children(element: Element, *tags: str) -> list[Element]:
    return [c for c in element.children if isinstance(c, Element) and c.tag in tags]


def _items(element: Element, level: int):
    """The contents' entries: (li, level), nested lists one level down."""
    for child in element.children:
        if not isinstance(child, Element):
            continue
        if child.tag == "li":
            yield child, level
            for nested in _children(child, "ol", "ul"):
                yield from _items(nested, level + 1)
        elif child.tag in ("ol", "ul", "div"):
            yield from _items(child, level)


def _span(cell: Element) -> int:
    try:
        return max(1, min(int(cell.attrs.get("colspan", "1")), 64))
    except ValueError:
        return 1


CHAR_WIDTH = Mm(1.9)  # a letter of the table text, bold headings included
CELL_PADDING = Mm(4)  # the table style's left and right cell margins


def _column_widths(table: Table, rows, columns: int, total: Emu) -> None:
    """Columns as wide as their text needs: each at least as wide as its longest word (so
    no word breaks letter by letter), the rest of the width shared by how much text the
    column holds."""
    longest = [1] * columns
    amount = [0.0] * columns
    for tr, _heading in rows:
        position = 0
        for cell in _children(tr, "th", "td"):
            span = _span(cell)
            if span == 1 and position < columns:
                text = cell.text()
                words = [len(word) for word in text.split()] or [0]
                longest[position] = max(longest[position], min(max(words), 24))
                amount[position] += min(len(text), 400)
            position += span
    least = [min(CHAR_WIDTH * n + CELL_PADDING, total * 0.35) for n in longest]
    spare = total - sum(least)
    if spare <= 0:
        widths = [w * total / sum(least) for w in least]
    else:
        per_row = [a / max(len(rows), 1) * CHAR_WIDTH for a in amount]
        wish = [max(p - w, 0) for p, w in zip(per_row, least, strict=True)]
        shares = wish if sum(wish) else least
        widths = [w + spare * s / sum(shares) for w, s in zip(least, shares, strict=True)]
    widths = [Emu(int(w)) for w in widths]
    for index, column in enumerate(table.columns):
        column.width = widths[index]
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if index < columns:
                cell.width = widths[index]


def _restarted_numbering(document: Document, style: str) -> int | None:
    """A numbering instance of the list style's own numbering that starts at 1."""
    p_pr = document.styles[style].element.pPr
    if p_pr is None or p_pr.numPr is None or p_pr.numPr.numId is None:
        return None
    numbering = document.part.numbering_part.element
    abstract = numbering.num_having_numId(p_pr.numPr.numId.val).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _number(paragraph: Paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A simple field (PAGE, NUMPAGES) showing `shown` until it is updated."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = shown
    r.append(t)
    field.append(r)
    paragraph._p.append(field)


def _field_char(kind: str, *, dirty: bool = False):
    r = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")  # Word updates it when the document opens
    r.append(char)
    return r


def _complex_field(first: Paragraph, last: Paragraph, instruction: str) -> None:
    """A field whose result is the paragraphs from `first` to `last` (the contents)."""
    begin = first._p.find(qn("w:r"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    parts = [_field_char("begin", dirty=True), instr_run, _field_char("separate")]
    if begin is None:
        for part in parts:
            first._p.append(part)
    else:
        for part in parts:
            begin.addprevious(part)
    last._p.append(_field_char("end"))


def _hyperlink(paragraph: Paragraph, url: str):
    """A <w:hyperlink> to an outside address, appended to the paragraph."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    paragraph._p.append(hyperlink)
    return hyperlink
