"""PDF/UA-1 met, not only declared: what WeasyPrint's tagged PDF leaves out, added to its
structure tree before the file is written.

WeasyPrint tags every box but drops what the HTML says about it: a header cell's `scope`,
an element's `lang`, a link's text (its annotation is described by the anchor id), a
`<nav>`'s role as contents; it nests one link in another for each box inside an `<a>`,
and puts a `<figcaption>` beside its chart rather than inside it. `finish` (WeasyPrint's
`finisher`, so it runs inside the one bounded render that makes every PDF: draft, version,
release and review copy) pairs each structure element with the box, hence the HTML
element, it was made for, and writes those facts in:

- every `TH` gets `/Scope` from its `scope` (`col` Column, `row` Row, `rowgroup` Row and
  its id added to the `/Headers` of every data cell of its row group);
- an element with `lang` gets `/Lang`;
- a `<nav>`'s lists become `TOC`, their items `TOCI`, the item bodies `Reference`;
- each `<a>` is one `Link` element with one annotation, whose `/Contents` is the link's
  text; the boxes inside it add their text to it, not links of their own;
- a `Caption` beside a `Figure` in the same parent moves into the `Figure`;
- the parts of one element that a page break cut (WeasyPrint makes a tree per page) are
  joined again: one `Sect` per chapter, one `P` per paragraph (tables stay one per page:
  the head row a page repeats is content too);
- structure elements that mark no content and no annotation are removed.

The pairing follows WeasyPrint's own walk of the boxes (weasyprint/pdf/tags.py) and is
checked element by element against the tags it wrote; if they ever differ (another
WeasyPrint), nothing is changed and the mismatch is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pydyf

log = logging.getLogger(__name__)

SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}
_SPACES = re.compile(r"\s+")
TABLE_PARTS = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"}
# Part of the PDF cache key: a change here must not serve PDFs made before it.
REVISION = 1


def finish(document: Any, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: complete the structure tree of a tagged PDF in place."""
    root_ref = pdf.catalog.get("StructTreeRoot")
    if root_ref is None:
        return  # not a tagged PDF
    tree = _Tree(pdf)
    pairs = _pair(document, tree)
    if pairs is None:
        return
    _scopes(pairs)
    _languages(pairs)
    _contents(pairs, tree)
    _links(pairs, tree)
    _captions(pairs, tree)
    _join_fragments(pairs, tree)
    _prune(tree)


class _Tree:
    """The pydyf objects of the structure tree, reached through their references."""

    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        self.root = self.get(pdf.catalog["StructTreeRoot"])
        self.parent_tree = self.get(self.root["ParentTree"])
        self.document = self.get(self.root["K"][0])

    def get(self, reference: bytes | str) -> Any:
        ref = reference.decode() if isinstance(reference, bytes) else reference
        return self.pdf.objects[int(ref.split()[0])]

    def kids(self, element: pydyf.Dictionary) -> Iterator[pydyf.Dictionary]:
        """The structure elements among an element's kids."""
        for kid in element.get("K", ()):
            if isinstance(kid, bytes | str):
                obj = self.get(kid)
                if obj.get("Type") == "/StructElem":
                    yield obj

    def walk(self, element: pydyf.Dictionary) -> Iterator[pydyf.Dictionary]:
        yield element
        for kid in list(self.kids(element)):
            yield from self.walk(kid)

    def page_nums(self, page_number: int) -> pydyf.Array:
        nums = self.parent_tree["Nums"]
        for i in range(0, len(nums), 2):
            if nums[i] == page_number:
                return nums[i + 1]
        raise KeyError(page_number)

    def page_number(self, element: pydyf.Dictionary) -> int:
        return self.pdf.page_references.index(element["Pg"])


# ---------------------------------------------------------------- pairing boxes and tags


def _pair(document: Any, tree: _Tree) -> list[tuple[Any, pydyf.Dictionary]] | None:
    """(box, structure element) for every element WeasyPrint made, in the order it made
    them; None (and a log line) if its tags are not the ones this walk expects."""
    made = [
        obj
        for obj in tree.pdf.objects
        if isinstance(obj, pydyf.Dictionary)
        and obj.get("Type") == "/StructElem"
        and obj is not tree.document
    ]
    expected = [pair for page in document.pages for pair in _walk(page._page_box, None)]
    if len(made) != len(expected):
        log.warning("PDF/UA: %s structure elements, %s boxes", len(made), len(expected))
        return None
    for (box, tag), element in zip(expected, made, strict=True):
        if element["S"] != f"/{tag}":
            log.warning("PDF/UA: element %s is not the %s of %r", element["S"], tag, box)
            return None
    return [(box, element) for (box, _tag), element in zip(expected, made, strict=True)]


def _walk(box: Any, parent_tag: str | None) -> Iterator[tuple[Any, str]]:
    """The boxes WeasyPrint's _build_box_tree makes a structure element for, in order,
    with the tag it gives each."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf.tags import _get_pdf_tag

    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    element_tag = None if box.element is None else box.element_tag
    tag = _get_pdf_tag(element_tag)
    if element_tag in ("html", "body") or isinstance(box, boxes.PageBox):
        if isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
            for child in box.children:
                yield from _walk(child, parent_tag)
            return
    elif isinstance(box, boxes.MarginBox):
        for child in box.children:
            yield from _walk(child, parent_tag)
        return
    elif tag in ("TD", "TH"):
        if parent_tag in ("TD", "TH"):
            tag = "NonStruct"
    elif tag == "LI":
        no_bullet_li = box.element_tag == "li" and (
            "list-item" not in box.style["display"] or box.style["list_style_type"] == "none"
        )
        if parent_tag == "LI":
            tag = "LBody"
        elif parent_tag == "LBody":
            tag = "NonStruct"
        elif box.element_tag in ("dt", "dd") or no_bullet_li:
            yield box, "LI"  # the list item WeasyPrint wraps around it
            yield from _walk(box, "LI")
            return
    yield box, tag
    if tag == "Table" and box.is_table_wrapper:
        wrapper, table = box, box.get_wrapped_table()
        if table:
            box = table.copy_with_children([])
            for child in wrapper.children:
                box.children.extend(child.children if child is table else [child])
    if getattr(box, "widget_annotation", None):
        yield box, "Form"
    if not isinstance(box, boxes.ParentBox):
        return
    for child in box.children:
        for grandchild in child.children if isinstance(child, boxes.LineBox) else [child]:
            if isinstance(grandchild, boxes.TextBox):
                if tag != "Link":
                    yield grandchild, "Span"
            else:
                nested_list = grandchild.element_tag in ("ul", "ol") and tag == "LI"
                yield from _walk(grandchild, parent_tag if nested_list else tag)


# ---------------------------------------------------------------- what the HTML says


def _scopes(pairs: list[tuple[Any, pydyf.Dictionary]]) -> None:
    """/Scope on every header cell, from its `scope`. A `th` without one is read as a column
    header, as WeasyPrint's /Headers read it (layouts give `scope`; Markdown tables have
    header cells in their head row only). A row group's header heads the cells of its group,
    and only those (WeasyPrint takes it for the header of its column)."""
    group: list[str] = []  # the row-group headers (their ids) of the current row group
    members: dict[str, set[int]] = {}  # a row-group header's id: its group's cells
    ids: dict[str, pydyf.String] = {}
    cells: list[pydyf.Dictionary] = []
    for box, element in pairs:
        tag = element["S"]
        if tag in ("/Table", "/THead", "/TBody", "/TFoot"):
            group = []
        elif tag == "/TH" and box.element_tag == "th":
            scope = (box.element.get("scope") or "col").lower()
            element["A"]["Scope"] = SCOPES.get(scope, "/Column")
            if scope == "rowgroup" and "ID" in element:
                key = element["ID"].string
                group.append(key)
                members[key], ids[key] = set(), element["ID"]
        elif tag == "/TD" and box.element_tag == "td":
            cells.append(element)
            for key in group:
                members[key].add(id(element))
    if not members:
        return
    for cell in cells:
        headers = [h for h in cell["A"].get("Headers", ()) if h.string not in members]
        headers += [ids[key] for key, group_cells in members.items() if id(cell) in group_cells]
        cell["A"]["Headers"] = pydyf.Array(headers)


def _languages(pairs: list[tuple[Any, pydyf.Dictionary]]) -> None:
    """/Lang on the elements whose HTML says their language (the root's is the catalog's)."""
    from weasyprint.formatting_structure.boxes import TextBox

    for box, element in pairs:
        html = box.element
        if html is None or box.element_tag == "html" or isinstance(box, TextBox):
            continue  # a text's element inherits the language of the element it is in
        lang = html.get("lang")
        if lang:
            element["Lang"] = pydyf.String(lang)


def _text(html_element: Any) -> str:
    """An element's text, its parts apart ("1" and "Introduction": "1 Introduction")."""
    return _SPACES.sub(" ", " ".join(html_element.itertext())).strip()


def _contents(pairs: list[tuple[Any, pydyf.Dictionary]], tree: _Tree) -> None:
    """A <nav>'s lists are contents: L -> TOC, LI -> TOCI, LBody -> Reference."""
    renames = {"/L": "/TOC", "/LI": "/TOCI", "/LBody": "/Reference"}
    for box, element in pairs:
        if box.element_tag != "nav":
            continue
        for kid in list(tree.kids(element)):
            if kid["S"] == "/L":
                for node in tree.walk(kid):
                    node["S"] = renames.get(node["S"], node["S"])


def _links(pairs: list[tuple[Any, pydyf.Dictionary]], tree: _Tree) -> None:
    """One Link element and one annotation per <a>, described by the link's text."""
    texts = {}
    for box, element in pairs:
        if element["S"] == "/Link" and box.element_tag == "a":
            texts[id(element)] = _text(box.element)
    for _box, element in pairs:
        if element["S"] != "/Link" or id(element) not in texts:
            continue
        parent = tree.get(element["P"])
        if parent.get("S") == "/Link":
            continue  # merged into its outer link
        _merge_link(element, tree, texts[id(element)])


def _merge_link(link: pydyf.Dictionary, tree: _Tree, text: str) -> None:
    page = tree.page_number(link)
    nums = tree.page_nums(page)
    mcids: list[int] = []
    annotations: list[pydyf.Dictionary] = []
    objrs: list[bytes] = []

    def collect(node: pydyf.Dictionary) -> None:
        for kid in node.get("K", ()):
            if isinstance(kid, int):
                mcids.append(kid)
                continue
            obj = tree.get(kid)
            if obj.get("Type") == "/OBJR":
                annotations.append(tree.get(obj["Obj"]))
                objrs.append(kid)
            elif obj.get("Type") == "/StructElem":
                collect(obj)

    collect(link)
    if not annotations:
        return
    kept = annotations[0]
    if text:
        kept["Contents"] = pydyf.String(text)
    annots = tree.get(tree.pdf.page_references[page]).get("Annots")
    for other in annotations[1:]:
        kept["Rect"] = pydyf.Array(_union(kept["Rect"], other["Rect"]))
        if annots is not None and other.reference in annots:
            annots.remove(other.reference)
        _drop_parent_entry(tree, other)
    for mcid in mcids:
        nums[mcid] = link.reference
    link["K"] = pydyf.Array([*mcids, objrs[0]])


def _union(a, b) -> list[float]:
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]


def _drop_parent_entry(tree: _Tree, annotation: pydyf.Dictionary) -> None:
    key = annotation.get("StructParent")
    nums = tree.parent_tree["Nums"]
    for i in range(0, len(nums), 2):
        if nums[i] == key:
            del nums[i : i + 2]
            return


def _captions(pairs: list[tuple[Any, pydyf.Dictionary]], tree: _Tree) -> None:
    """A <figure>'s caption goes inside the Figure (its chart or image) it describes."""
    for box, element in pairs:
        if box.element_tag != "figure":
            continue
        figure = next((e for e in tree.walk(element) if e.get("S") == "/Figure"), None)
        if figure is None:
            continue
        for ref in list(element.get("K", ())):
            if isinstance(ref, int):
                continue
            caption = tree.get(ref)
            if caption.get("S") == "/Caption":
                element["K"].remove(ref)
                figure["K"].append(ref)
                caption["P"] = figure.reference


def _join_fragments(pairs: list[tuple[Any, pydyf.Dictionary]], tree: _Tree) -> None:
    """Join sibling elements made for the same HTML element on consecutive pages."""
    from weasyprint.formatting_structure.boxes import TextBox

    html_of = {id(e): box.element for box, e in pairs if not isinstance(box, TextBox)}

    def same(a: pydyf.Dictionary, b: pydyf.Dictionary) -> bool:
        html = html_of.get(id(a))
        return (
            html is not None
            and html is html_of.get(id(b))
            and a["S"] == b["S"]
            and a["S"] not in TABLE_PARTS
            and a["Pg"] != b["Pg"]
        )

    def absorb(into: pydyf.Dictionary, part: pydyf.Dictionary) -> None:
        nums = tree.page_nums(tree.page_number(part))
        for kid in part["K"]:
            if isinstance(kid, int):  # a content id of another page: a marked-content reference
                into["K"].append(pydyf.Dictionary({"Type": "/MCR", "Pg": part["Pg"], "MCID": kid}))
                nums[kid] = into.reference
                continue
            obj = tree.get(kid)
            into["K"].append(kid)
            if obj.get("Type") == "/StructElem":
                obj["P"] = into.reference
            elif obj.get("Type") == "/OBJR":
                _point_parent_entry(tree, tree.get(obj["Obj"]), into)

    def join(parent: pydyf.Dictionary) -> None:
        kept: list = []
        previous = None
        for kid in parent.get("K", ()):
            obj = tree.get(kid) if isinstance(kid, bytes | str) else None
            if obj is None or obj.get("Type") != "/StructElem":
                kept.append(kid)
                previous = None
            elif previous is not None and same(previous, obj):
                absorb(previous, obj)
            else:
                kept.append(kid)
                previous = obj
        parent["K"] = pydyf.Array(kept)
        for kid in list(tree.kids(parent)):
            join(kid)

    join(tree.document)


def _point_parent_entry(tree: _Tree, annotation: pydyf.Dictionary, element) -> None:
    key = annotation.get("StructParent")
    nums = tree.parent_tree["Nums"]
    for i in range(0, len(nums), 2):
        if nums[i] == key:
            nums[i + 1] = element.reference
            return


def _prune(tree: _Tree) -> None:
    """Remove structure elements that mark no content and hold no annotation."""

    def marks(element: pydyf.Dictionary) -> bool:
        keep = []
        for kid in element.get("K", ()):
            if not isinstance(kid, bytes | str):  # a content id or a content reference
                keep.append(kid)
                continue
            obj = tree.get(kid)
            if obj.get("Type") != "/StructElem" or marks(obj):
                keep.append(kid)
        element["K"] = pydyf.Array(keep)
        return bool(keep) or element.get("S") in TABLE_PARTS  # an empty cell keeps its place

    marks(tree.document)
