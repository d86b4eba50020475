"""The list of a records question's kind, as its step page shows it (with the add link and
the order buttons for editors) or read only: worked out by the view before the page renders
(a template never queries the database)."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from belong.access import Permission, can
from belong.document.records import cell_text
from belong.models import Region
from belong.services import records as record_service
from belong.templating.conditions import applicable_fields
from belong.templating.registry import get_template


def record_list(region: Region, question, editing: bool = True) -> Markup:
    """The list's HTML for this region (`editing` false: read only, under no heading of its
    own)."""
    template = get_template(region.template_id).definition
    kind = template.record_kind(question.kind)
    views = record_service.records_of(region, kind.id, template)
    columns = [kind.field(name) for name in kind.summary]
    rows = [
        (view, [cell_text(i, view) if i in shown else Markup("") for i in columns])
        for view in views
        for shown in [applicable_fields(kind, view.values)]
    ]
    return Markup(  # noqa: S704 - a rendered template
        render_template(
            "records/_list.html",
            region=region,
            q=question,
            kind=kind,
            columns=columns,
            rows=rows,
            editing=editing and can(Permission.EDIT_ANSWERS),
            heading=editing,  # where the list stands under its question's own label
        )
    )


def record_lists(region: Region, questions, editing: bool = True) -> dict[str, Markup]:
    """The lists of these questions' records questions, by question id."""
    return {q.id: record_list(region, q, editing) for q in questions if q.type == "records"}
