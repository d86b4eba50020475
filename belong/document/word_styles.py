"""The Word document's named styles, page set-up and language.

Everything the export formats is formatted through a named style (headings, body text, lead
paragraph, note, table heading, figure caption, draft marking...), never by hand on a
paragraph, so a legal service changes the look of the whole strategy by changing a style.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle

FONT = "Open Sans"  # the PDF's typeface (fonts-open-sans)
INK = RGBColor(0x1D, 0x23, 0x2B)
NAVY = RGBColor(0x14, 0x3A, 0x6B)
RUST = RGBColor(0xB3, 0x54, 0x1E)
GREY = RGBColor(0x5A, 0x64, 0x72)
RED = RGBColor(0xB0, 0x00, 0x20)
AMBER = RGBColor(0x8A, 0x4B, 0x00)

# A4, with the PDF's margins (top, right, bottom, left): portrait pages, and the landscape
# pages of wide chapters (the action plan, the indicators, the stakeholder register).
PORTRAIT = (Mm(210), Mm(297), (Mm(24), Mm(20), Mm(22), Mm(22)))
LANDSCAPE = (Mm(297), Mm(210), (Mm(20), Mm(18), Mm(18), Mm(18)))

# Named styles the export adds, by what they are for.
LEAD = "Lead Paragraph"
NOTE = "Note"
UNANSWERED = "Not Answered"
DRAFT_MARKING = "Draft Marking"
DRAFT_MARK = "Draft Mark"  # the character style of the marking in the page header
COVER_REGION = "Cover Region"
SIGNATURE = "Signature"
KEY_FIGURE = "Key Figure"
KEY_FIGURE_VALUE = "Key Figure Value"
FIGURE = "Figure"
TERM = "Definition Term"
DEFINITION = "Definition"
TABLE = "Strategy Table"
TABLE_HEADING = "Table Heading"
TABLE_TEXT = "Table Text"
TABLE_FIGURE = "Table Figure"
HEADING_NUMBER = "Heading Number"
HYPERLINK = "Hyperlink"
PREFORMATTED = "Preformatted Text"
TOC_ENTRY = ("toc 1", "toc 2")


def _font(style: BaseStyle, size: float | None = None, **looks) -> None:
    """Set the style's typeface (in place of the theme's), size and looks."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for name in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(name), FONT)
    font = style.font
    if size is not None:
        font.size = Pt(size)
    for name, value in looks.items():
        if name == "color":
            font.color.rgb = value
        else:
            setattr(font, name, value)


def _paragraph_style(document: Document, name: str, base: str = "Normal"):
    styles = document.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def _character_style(document: Document, name: str):
    styles = document.styles
    if name in [s.name for s in styles]:
        return styles[name]
    return styles.add_style(name, WD_STYLE_TYPE.CHARACTER)


def _spacing(style, before: float = 0, after: float = 6, line: float | None = None) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def set_up_styles(document: Document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, 10, color=INK)
    _spacing(normal, 0, 6, 1.15)

    for level, size, before in ((1, 18, 0), (2, 13, 14), (3, 11, 10), (4, 10, 8), (5, 10, 8)):
        heading = styles[f"Heading {level}"]
        _font(heading, size, bold=True, italic=False, color=NAVY)
        _spacing(heading, before, 12 if level == 1 else 4)
        heading.paragraph_format.keep_with_next = True
    heading = styles["Heading 6"]
    _font(heading, 10, bold=True, italic=False, color=NAVY)
    # Each chapter starts on a new page (the style decides: change it to run chapters on).
    styles["Heading 1"].paragraph_format.page_break_before = True
    toc_heading = styles["TOC Heading"]  # based on Heading 1: a new page, not in the outline
    _font(toc_heading, 18, bold=True, color=NAVY)

    title = styles["Title"]
    title.element.get_or_add_pPr().remove_all("w:pBdr")
    _font(title, 30, bold=True, color=NAVY)
    _spacing(title, 6, 12, 1.0)
    subtitle = styles["Subtitle"]
    _font(subtitle, 16, bold=True, italic=False, color=RUST)
    _spacing(subtitle, 0, 24)
    cover_region = _paragraph_style(document, COVER_REGION)
    _font(cover_region, 15, color=INK)
    _spacing(cover_region, 48, 12)

    lead = _paragraph_style(document, LEAD)
    _font(lead, 11, color=RGBColor(0x2D, 0x3A, 0x4A))
    _spacing(lead, 0, 10)
    note = _paragraph_style(document, NOTE)
    _font(note, 8.5, color=GREY)
    unanswered = _paragraph_style(document, UNANSWERED)
    _font(unanswered, None, italic=True, color=AMBER)
    quote = styles["Quote"]
    _font(quote, 11, italic=True, color=RGBColor(0x2D, 0x3A, 0x4A))
    quote.paragraph_format.left_indent = Mm(6)
    signature = _paragraph_style(document, SIGNATURE)
    _font(signature, None, bold=True)
    _spacing(signature, 18, 6)

    marking = _paragraph_style(document, DRAFT_MARKING)
    _font(marking, 14, bold=True, all_caps=True, color=RED)
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    mark = _character_style(document, DRAFT_MARK)
    _font(mark, None, bold=True, all_caps=True, color=RED)

    key_figure = _paragraph_style(document, KEY_FIGURE)
    _font(key_figure, 10, color=INK)
    key_figure.paragraph_format.keep_together = True
    value = _character_style(document, KEY_FIGURE_VALUE)
    _font(value, 16, bold=True, color=NAVY)
    figure = _paragraph_style(document, FIGURE)
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    _font(caption, 8.5, bold=True, color=NAVY)
    _spacing(caption, 2, 6)

    term = _paragraph_style(document, TERM)
    _font(term, None, bold=True, color=NAVY)
    _spacing(term, 4, 0)
    term.paragraph_format.keep_with_next = True
    definition = _paragraph_style(document, DEFINITION)
    definition.paragraph_format.left_indent = Mm(6)
    preformatted = _paragraph_style(document, PREFORMATTED)
    _font(preformatted, 9)
    for name in ("w:ascii", "w:hAnsi", "w:cs"):
        preformatted.element.rPr.rFonts.set(qn(name), "DejaVu Sans Mono")

    table_text = _paragraph_style(document, TABLE_TEXT)
    _font(table_text, 8.5)
    _spacing(table_text, 1, 2, 1.0)
    table_heading = _paragraph_style(document, TABLE_HEADING, TABLE_TEXT)
    _font(table_heading, None, bold=True, color=NAVY)
    table_figure = _paragraph_style(document, TABLE_FIGURE, TABLE_TEXT)
    table_figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = styles.add_style(TABLE, WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Table Grid"]

    number = _character_style(document, HEADING_NUMBER)
    number.font.color.rgb = RUST
    link = _character_style(document, HYPERLINK)
    link.font.color.rgb = RGBColor(0x1F, 0x4E, 0x8C)
    link.font.underline = True

    for level, name in enumerate(TOC_ENTRY):
        entry = _paragraph_style(document, name)
        _font(entry, 10, bold=level == 0)
        entry.paragraph_format.left_indent = Mm(6 * level)
        _spacing(entry, 0, 3)
    for name in ("Header", "Footer"):
        _font(styles[name], 7.5, color=GREY)


def set_language(document: Document, language: str) -> None:
    """The document's language (spelling, hyphenation, the language of every text)."""
    tag = word_language(language)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    document.core_properties.language = tag


def word_language(language: str) -> str:
    """A language code as Word names languages: 'de' -> 'de-DE', 'en' -> 'en-GB'."""
    code = language.replace("-", "_")
    if code == "en":
        return "en-GB"  # a European document
    try:
        locale = Locale.parse(code)
        if not locale.territory:  # the territory where the language is most spoken
            locale = Locale.parse(get_global("likely_subtags").get(locale.language, code))
    except (ValueError, UnknownLocaleError):
        return "en-GB"
    return f"{locale.language}-{locale.territory}" if locale.territory else locale.language


def set_page(section: Section, *, landscape: bool) -> None:
    width, height, (top, right, bottom, left) = LANDSCAPE if landscape else PORTRAIT
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.top_margin, section.right_margin = top, right
    section.bottom_margin, section.left_margin = bottom, left
    section.header_distance = section.footer_distance = Mm(10)


def set_header_tabs(document: Document) -> None:
    """The header's and footer's right-hand text ends at the portrait page's right margin."""
    width, _height, (_top, right, _bottom, left) = PORTRAIT
    for name in ("Header", "Footer"):
        stops = document.styles[name].paragraph_format.tab_stops
        stops.clear_all()  # the template's stops are for Letter paper
        stops.add_tab_stop(width - right - left, WD_TAB_ALIGNMENT.RIGHT)
