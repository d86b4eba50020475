"""A region's records, each on its own page: add, edit (with the revision check), duplicate,
move up or down, delete after a confirmation naming what refers to it, and its history.
The list of a kind stands on the step that places it (templates/questions/records.html)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from belong.access import Permission, can, region_access
from belong.document.records import display_record
from belong.downloads import csv_download
from belong.extensions import db
from belong.forms.base import BelongForm
from belong.forms.records import build_record_form
from belong.models import Region
from belong.services import activity, plan_tables, record_paste
from belong.services import records as record_service
from belong.services.errors import Conflict
from belong.templating.registry import get_template
from belong.views.record_lists import record_list

bp = Blueprint("records", __name__, url_prefix="/r/<slug>/records/<kind_id>")


def _kind(region: Region, kind_id: str):
    template = get_template(region.template_id).definition
    kind = template.record_kind(kind_id)
    if kind is None:
        abort(404)
    return template, kind


def _record(region: Region, kind, key: str):
    record = record_service.record_or_none(region, key)
    if record is None or record.kind != kind.id:
        abort(404)
    return record


def _loaded(region: Region, kind_id: str, key: str, *, view: bool = True):
    """(template, kind, record row, record view) of the record at the address; 404 when the
    kind or the record is not the region's. `view` False: no view is read."""
    template, kind = _kind(region, kind_id)
    record = _record(region, kind, key)
    return template, kind, record, (_view(region, template, key) if view else None)


def _view(region, template, key):
    for views in record_service.all_records(region, template).values():
        for view in views:
            if view.key == key:
                return view
    abort(404)


def _choices(region, template, kind, own_key=None) -> dict[str, list[tuple[str, str]]]:
    kinds = record_service.all_records(region, template)
    return {
        item.id: [(v.key, v.title) for v in kinds.get(item.kind, []) if v.key != own_key]
        for item in kind.fields
        if item.type == "reference"
    }


def _list_url(region, template, kind) -> str:
    step = template.step_of_kind(kind.id)
    if step is None:
        return url_for("regions.home", slug=region.slug)
    return url_for("steps.show", slug=region.slug, step_id=step.id, _anchor=f"records-{kind.id}")


def _added_rows(kind) -> dict[str, int] | None:
    """`?add=<table field>`: the form offers more empty rows in that table."""
    name = request.args.get("add", "")
    item = kind.field(name)
    return {name: 3} if item is not None and item.type == "table" else None


def _after_save(region, template, kind, key: str):
    """Back to the list, or (Save and add more rows) to the record with more empty rows."""
    action = request.form.get("action", "")
    if action.startswith("add_row:"):
        name = action.removeprefix("add_row:")
        return redirect(
            url_for(
                "records.show",
                slug=region.slug,
                kind_id=kind.id,
                record_key=key,
                add=name,
                _anchor=f"f_{name}",
            )
        )
    return redirect(_list_url(region, template, kind))


def _panel() -> bool:
    """A request of records.js: the add form as a panel in the list, not a page."""
    return request.headers.get("X-Belong-Panel") == "1"


def _list_html(region, template, kind):
    """The kind's list as its step shows it (records.js puts it in place of the old one)."""
    step = template.step_of_kind(kind.id)
    question = next(q for q in step.questions if q.type == "records" and q.kind == kind.id)
    return record_list(region, question)


def _form_page(region, template, kind, form, *, record=None, conflict=None, status=200):
    return (
        render_template(
            "records/_panel.html" if _panel() and record is None else "records/edit.html",
            region=region,
            kind=kind,
            form=form,
            record=record,
            conflict=conflict,
            back=_list_url(region, template, kind),
            step=template.step_of_kind(kind.id),
        ),
        status,
    )


@bp.route("/new", methods=["GET", "POST"])
@region_access(Permission.EDIT_ANSWERS)
def new(region: Region, kind_id: str):
    template, kind = _kind(region, kind_id)
    max_length = current_app.config["MAX_ANSWER_LENGTH"]
    choices = _choices(region, template, kind)
    if request.method == "GET":
        form = build_record_form(kind, {}, 0, choices, max_length=max_length)
        return _form_page(region, template, kind, form)
    form = build_record_form(kind, {}, 0, choices, max_length=max_length, formdata=request.form)
    if not form.validate():
        return _form_page(region, template, kind, form, status=422)
    record = record_service.add_record(region, kind.id, form.values(), current_user)
    activity.record("record_added", region, kind=kind.id, key=record.key)
    db.session.commit()
    message = _("“%(title)s” is added.", title=record.values.get(kind.title, ""))
    if _panel() and template.step_of_kind(kind.id) is not None:
        return _panel_added(region, template, kind, record.key, message)
    flash(message, "success")
    return _after_save(region, template, kind, record.key)


def _panel_added(region, template, kind, key: str, message: str):
    """Added from the panel: the list with the new record and the message to announce (or,
    for "more rows" of a table field, where to go on: the record's own page)."""
    redirect_to = _after_save(region, template, kind, key)
    if request.form.get("action", "").startswith("add_row:"):
        return "", 201, {"X-Location": redirect_to.location}
    body = render_template(
        "records/_added.html", list_html=_list_html(region, template, kind), message=message
    )
    return body, 201, {"X-Record-Key": key}


@bp.route("/paste", methods=["GET", "POST"])
@region_access(Permission.EDIT_ANSWERS)
def paste(region: Region, kind_id: str):
    """Rows pasted from a spreadsheet: a preview of how the columns map and what fails, then
    all of them added at once, or none."""
    template, kind = _kind(region, kind_id)
    form = BelongForm()
    found, text = None, ""
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        text = request.form.get("rows", "")
        mapped = request.form.get("mapped") == "1"
        found = record_paste.preview(
            kind,
            text,
            _choices(region, template, kind),
            max_length=current_app.config["MAX_ANSWER_LENGTH"],
            mapping=_posted_mapping() if mapped else None,
            header=(request.form.get("header") == "1") if mapped else None,
        )
        if request.form.get("action") == "save" and found.ok:
            for row in found.rows:
                record_service.add_record(region, kind.id, row.values, current_user)
            activity.record("records_pasted", region, kind=kind.id, count=len(found.rows))
            db.session.commit()
            flash(
                ngettext("%(num)s record is added.", "%(num)s records are added.", len(found.rows)),
                "success",
            )
            return redirect(_list_url(region, template, kind))
    status = 422 if found is not None and request.form.get("action") == "save" else 200
    return (
        render_template(
            "records/paste.html",
            region=region,
            kind=kind,
            form=form,
            text=text,
            preview=found,
            fields=record_paste.pasteable(kind),
            back=_list_url(region, template, kind),
        ),
        status,
    )


def _posted_mapping() -> list[str]:
    count = request.form.get("columns", "0")
    count = min(int(count), 200) if count.isdigit() else 0
    return [request.form.get(f"map-{n}", record_paste.SKIP) for n in range(count)]


@bp.route("/export.csv", methods=["GET"])
@region_access(Permission.VIEW)
def export(region: Region, kind_id: str):
    """The kind's records as CSV, one row per record, with its id and a link to its page."""
    template, kind = _kind(region, kind_id)
    table = plan_tables.PlanTable(
        kind.id, region.slug, kind, record_service.records_of(region, kind.id, template)
    )
    header, rows = plan_tables.csv_rows(table)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return csv_download(header, rows, f"belong-{region.slug}-{kind.id}-{stamp}.csv")


@bp.route("/<record_key>", methods=["GET"])
@region_access(Permission.VIEW)
def show(region: Region, kind_id: str, record_key: str):
    key = record_key
    template, kind, record, view = _loaded(region, kind_id, key)
    if not can(Permission.EDIT_ANSWERS):
        return render_template(
            "records/show.html",
            region=region,
            kind=kind,
            view=view,
            shown=display_record(kind, view),
            back=_list_url(region, template, kind),
        )
    form = build_record_form(
        kind,
        view.values,
        record.revision,
        _choices(region, template, kind, key),
        max_length=current_app.config["MAX_ANSWER_LENGTH"],
        extra_rows=_added_rows(kind),
    )
    return _form_page(region, template, kind, form, record=view)


@bp.route("/<record_key>", methods=["POST"])
@region_access(Permission.EDIT_ANSWERS)
def save(region: Region, kind_id: str, record_key: str):
    key = record_key
    template, kind, record, view = _loaded(region, kind_id, key)
    form = build_record_form(
        kind,
        view.values,
        0,
        _choices(region, template, kind, key),
        max_length=current_app.config["MAX_ANSWER_LENGTH"],
        formdata=request.form,
    )
    if not form.validate():
        return _form_page(region, template, kind, form, record=view, status=422)
    try:
        saved = record_service.save_record(
            region, record, form.values(), form.base_revision(), current_user
        )
    except Conflict as conflict:
        db.session.rollback()
        view = _view(region, template, key)
        form.revision.data = str(view.revision)  # saving again now replaces their text
        theirs = display_record(kind, view)
        found = conflict.conflicts[0] if conflict.conflicts else None
        return _form_page(
            region,
            template,
            kind,
            form,
            record=view,
            conflict={"found": found, "theirs": theirs},
            status=409,
        )
    if saved:
        activity.record("record_saved", region, kind=kind.id, key=key)
        db.session.commit()
        flash(_("“%(title)s” is saved.", title=record.values.get(kind.title, "")), "success")
    else:
        flash(_("Nothing had changed, so nothing needed saving."), "info")
    return _after_save(region, template, kind, key)


@bp.route("/<record_key>/duplicate", methods=["POST"])
@region_access(Permission.EDIT_ANSWERS)
def duplicate(region: Region, kind_id: str, record_key: str):
    key = record_key
    _template, kind, record, _view_none = _loaded(region, kind_id, key, view=False)
    if not BelongForm().validate_on_submit():
        abort(400)
    copy = record_service.duplicate_record(region, record, kind, current_user)
    activity.record("record_added", region, kind=kind.id, key=copy.key, copy_of=key)
    db.session.commit()
    flash(_("A copy is added below the original; change what differs."), "success")
    return redirect(url_for("records.show", slug=region.slug, kind_id=kind.id, record_key=copy.key))


@bp.route("/<record_key>/move", methods=["POST"])
@region_access(Permission.EDIT_ANSWERS)
def move(region: Region, kind_id: str, record_key: str):
    key = record_key
    template, kind, record, _view_none = _loaded(region, kind_id, key, view=False)
    if not BelongForm().validate_on_submit():
        abort(400)
    step = -1 if request.form.get("direction") == "up" else 1
    try:
        moved = record_service.move_record(region, record, step)
    except Conflict:
        flash(_("Someone else changed this list meanwhile; here it is as it stands."), "error")
        return redirect(_list_url(region, template, kind))
    if moved:
        db.session.commit()
    return redirect(_list_url(region, template, kind))


@bp.route("/<record_key>/delete", methods=["GET", "POST"])
@region_access(Permission.EDIT_ANSWERS)
def delete(region: Region, kind_id: str, record_key: str):
    key = record_key
    template, kind, record, view = _loaded(region, kind_id, key)
    form = BelongForm()
    if request.method == "POST" and form.validate_on_submit():
        title = view.title
        record_service.delete_record(region, record, template, current_user)
        activity.record("record_deleted", region, kind=kind.id, key=key)
        db.session.commit()
        flash(_("“%(title)s” is deleted.", title=title), "success")
        return redirect(_list_url(region, template, kind))
    return render_template(
        "records/delete.html",
        region=region,
        kind=kind,
        view=view,
        form=form,
        referring=record_service.referencing(region, key, template),
        kinds={k.id: k for k in template.records},
        back=url_for("records.show", slug=region.slug, kind_id=kind.id, record_key=key),
    )


@bp.route("/<record_key>/history", methods=["GET"])
@region_access(Permission.VIEW)
def history(region: Region, kind_id: str, record_key: str):
    key = record_key
    template, kind = _kind(region, kind_id)
    revisions = record_service.history(region, key)
    if not revisions or revisions[0].kind != kind.id:
        abort(404)
    return render_template(
        "records/history.html",
        region=region,
        kind=kind,
        key=key,
        revisions=revisions,
        titles={
            v.key: v.title
            for views in record_service.all_records(region, template).values()
            for v in views
        },
        back=_list_url(region, template, kind),
    )


@bp.app_template_global("record_history_text")
def record_history_text(kind, values, titles):
    """A saved state of a record as lines of plain text ("Label: text")."""
    lines = []
    for item in kind.fields:
        value = (values or {}).get(item.id)
        if value in (None, "", []):
            continue
        if item.type == "reference":
            text = ", ".join(titles.get(k, k) for k in item.keys(value))
        else:
            text = item.readable_text(value)
        lines.append(f"{item.label}: {text}")
    return "\n".join(lines)
