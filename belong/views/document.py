from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from belong import database
from belong.access import Permission, region_access
from belong.document import screen_css
from belong.extensions import db
from belong.models import Region
from belong.services import (
    activity,
    document_pages,
    documents,
    pdf_cache,
    pdf_jobs,
    word_documents,
)
from belong.services.document_pages import SCOPE
from belong.templating.registry import get_template
from belong.views.preparing import preparing_page
from belong.web import with_styles

bp = Blueprint("document", __name__)


@bp.route("/r/<slug>/document")
@region_access(Permission.VIEW)
def preview(region: Region):
    """The draft in HTML inside the app's page, as the PDF is assembled; `?step=` names the
    step the reader came from, for the way back to it."""
    template = get_template(region.template_id)
    lang, body, accent = document_pages.draft_body(region)
    came_from = template.definition.step(request.args.get("step", ""))
    page = render_template(
        "document/preview.html",
        region=region,
        template=template,
        doc_lang=lang,
        doc_body=Markup(body),  # noqa: S704 - the layout's output, answers sanitized there
        came_from=came_from,
        accent=accent,
    )
    return with_styles(make_response(page), accent)


def _too_large(region: Region):
    """The page that says the document is too large to render, naming the answers that weigh
    most, with a link to each."""
    return render_template(
        "document/too_large.html",
        region=region,
        heaviest=documents.heaviest_answers(region, get_template(region.template_id)),
    ), 503


def _download(region: Region, data: bytes) -> Response:
    database.write_next()
    activity.record("pdf_downloaded", region)
    db.session.commit()
    return documents.pdf_response(data, documents.download_name(region))


@bp.route("/r/<slug>/document.pdf")
@region_access(Permission.VIEW)
def pdf(region: Region):
    """The draft as PDF: from the cache when nothing changed; else rendered off the request
    (the queue, or the app's own runner) while a page says it is being prepared."""
    data, key = pdf_jobs.draft_pdf(region, get_template(region.template_id))
    if data is None:
        if pdf_jobs.state(region, key) is pdf_jobs.JobState.TOO_LARGE:
            return _too_large(region)
        return redirect(url_for("document.preparing", slug=region.slug, key=key))
    return _download(region, data)


@bp.route("/r/<slug>/document.docx")
@region_access(Permission.VIEW)
def docx(region: Region):
    """The draft as a Word document: from the cache when nothing changed, else made now."""
    key, html = word_documents.draft_source(region, get_template(region.template_id))
    return word_documents.download(
        region, key, html, name="draft-strategy", action="docx_downloaded"
    )


def checked_key(key: str) -> str:
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        abort(404)
    return key


@bp.route("/r/<slug>/document/preparing/<key>")
@region_access(Permission.VIEW)
def preparing(region: Region, key: str):
    """Progress of a queued PDF; polled by pdf-status.js, refreshed by the browser without it."""
    state = pdf_jobs.state(region, checked_key(key))
    if state is pdf_jobs.JobState.UNKNOWN:
        return redirect(url_for("document.pdf", slug=region.slug))  # asks the queue again
    if state is pdf_jobs.JobState.TOO_LARGE:
        return _too_large(region)
    return preparing_page(
        region,
        state,
        status_url=url_for("document.status", slug=region.slug, key=key),
        here=url_for("document.preparing", slug=region.slug, key=key),
        ready_url=url_for("document.ready", slug=region.slug, key=key),
        ready_label=_("Download the draft (PDF)"),
        retry_url=url_for("document.pdf", slug=region.slug),
    )


@bp.route("/r/<slug>/document/status/<key>")
@region_access(Permission.VIEW)
def status(region: Region, key: str):
    state = pdf_jobs.state(region, checked_key(key))
    body = {"state": state.value}
    if state is pdf_jobs.JobState.READY:
        body["url"] = url_for("document.ready", slug=region.slug, key=key)
    return jsonify(body)


@bp.route("/r/<slug>/document/ready/<key>.pdf")
@region_access(Permission.VIEW)
def ready(region: Region, key: str):
    """A rendered PDF from the cache, exactly as it was prepared."""
    data = pdf_cache.lookup(checked_key(key), region)
    if data is None:
        return redirect(url_for("document.pdf", slug=region.slug))
    return _download(region, data)


@bp.route("/template-assets/<template_id>/in-page.css")
def in_page_css(template_id: str):
    """The document stylesheet scoped to a document shown inside an app page (the preview,
    a version's page), without its rules for paper."""
    template = get_template(template_id)
    css = screen_css.scoped(template.stylesheet_path().read_text(encoding="utf-8"), SCOPE)
    response = Response(css, mimetype="text/css")
    response.cache_control.max_age = 300
    return response


@bp.route("/template-assets/<template_id>/<path:name>")
def asset(template_id: str, name: str):
    """The document stylesheet, for the HTML preview (only the declared file)."""
    template = get_template(template_id)
    if name != template.definition.document.stylesheet or template.own_file(name) is None:
        abort(404)
    return send_from_directory(template.folder, name, max_age=300)
