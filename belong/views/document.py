from __future__ import annotations

import base64
import functools
import hashlib
import re

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from belong import database
from belong.access import Permission, region_access
from belong.extensions import db
from belong.models import Region
from belong.services import activity, documents, pdf_cache, pdf_jobs, word_documents
from belong.templating.registry import get_template
from belong.web import CSP

bp = Blueprint("document", __name__)


@bp.route("/r/<slug>/document")
@region_access(Permission.VIEW)
def preview(region: Region):
    template = get_template(region.template_id)
    html = documents.draft_html(
        region,
        template,
        asset_url=lambda name: url_for("document.asset", template_id=template.id, name=name),
    )
    bar = render_template("document/_preview_bar.html", region=region)
    response = Response(_after_body_tag(html, bar), mimetype="text/html")
    response.headers["Content-Security-Policy"] = _with_layout_styles(html)
    return response


def _with_layout_styles(html: str) -> str:
    """The app's policy, letting through by their hash the layout's own <style> elements (the
    region's accent colour); answers never carry one (the sanitizer removes it)."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for text in re.findall(r"<style>(.*?)</style>", html, re.S)
    ]
    if not hashes:
        return CSP
    return CSP.replace("style-src 'self'", "style-src 'self' " + " ".join(hashes))


def _after_body_tag(html: str, addition: str) -> str:
    """The preview's bar back to the app goes first in the document's body; the PDF, made
    from the same document without it, never carries it."""
    head, tag, rest = html.partition("<body")
    if not tag:
        return addition + html
    opening, _, body = rest.partition(">")
    return f"{head}<body{opening}>{addition}{body}"


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
    template = get_template(region.template_id)
    html = functools.cache(lambda: documents.draft_html(region, template))
    key = documents.draft_key(region, template, html)
    data = pdf_cache.lookup(key, region)  # missing: rendered under the same key from html()
    if data is None:
        pdf_jobs.enqueue(region, template, html(), key)
        pdf_jobs.wait_for_draft(key)
        data = pdf_cache.lookup(key, region)
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
    data, seconds = word_documents.made(region, key, html)
    database.write_next()
    word_documents.keep(region, key, data, seconds)
    activity.record("docx_downloaded", region)
    db.session.commit()
    return word_documents.docx_response(data, documents.download_name(region, extension="docx"))


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
    return render_template(
        "document/preparing.html",
        region=region,
        state=state,
        status_url=url_for("document.status", slug=region.slug, key=key),
        check_url=url_for("document.preparing", slug=region.slug, key=key),
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


@bp.route("/template-assets/<template_id>/<path:name>")
def asset(template_id: str, name: str):
    """The document stylesheet, for the HTML preview (only the declared file)."""
    template = get_template(template_id)
    if name != template.definition.document.stylesheet or template.own_file(name) is None:
        abort(404)
    return send_from_directory(template.folder, name, max_age=300)
