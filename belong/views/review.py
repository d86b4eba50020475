"""Draft versions and their review: submit, read, comment, verdict, release, compare."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from belong import database
from belong.access import Permission, can, region_access
from belong.document import placement
from belong.document.display import display_answer, display_rows
from belong.extensions import db
from belong.forms.review import (
    CommentForm,
    EditCommentForm,
    ReleaseForm,
    ReplyForm,
    SubmitVersionForm,
    VerdictForm,
)
from belong.models import DraftVersion, Region
from belong.services import (
    activity,
    adoptions,
    document_pages,
    documents,
    mail,
    pdf_cache,
    pdf_jobs,
    strategy_checks,
    word_documents,
)
from belong.services import comments as comment_service
from belong.services import versions as version_service
from belong.services.compare import compare
from belong.services.errors import NotAllowed
from belong.services.progress import template_progress
from belong.services.regions import answer_values
from belong.services.review_copy import review_copy_source
from belong.templating.conditions import applicable_questions
from belong.templating.registry import get_template
from belong.views.document import checked_key
from belong.views.preparing import preparing_page
from belong.views.record_lists import record_lists
from belong.web import LARGEST_ID, with_styles

bp = Blueprint("review", __name__, url_prefix="/r/<slug>/versions")


def _version_or_404(region: Region, number: int) -> DraftVersion:
    version = version_service.get_version(region, number)
    if version is None:
        abort(404)
    return version


def _after_commit() -> None:
    """Send queued mail when a mail server is configured (never fails the request)."""
    mail.send_queued()


@bp.route("/")
@region_access(Permission.VIEW)
def index(region: Region):
    return render_template(
        "review/versions.html", region=region, versions=version_service.versions_of(region)
    )


@bp.route("/check", methods=["GET", "POST"])
@region_access(Permission.SUBMIT_VERSION)
def check(region: Region):
    """Check your answers, then submit them as the next version."""
    template = get_template(region.template_id).definition
    values = answer_values([region.id])[region.id]
    progress = template_progress(template, values)
    form = SubmitVersionForm()
    if form.validate_on_submit():
        try:
            version = version_service.submit(region, current_user, form.message.data or "")
            db.session.commit()
        except IntegrityError:  # someone else submitted the same number a moment earlier
            db.session.rollback()
            flash(
                _("Someone submitted a version at the same moment. Check and submit again."),
                "error",
            )
            return redirect(url_for("review.check", slug=region.slug))
        pdf_jobs.enqueue_version(version, version_service.page_link(region, version))
        pdf_jobs.wait_for_version(version)
        _after_commit()
        db.session.refresh(version)
        flash(_submitted_message(version), "success")
        return redirect(url_for("review.version", slug=region.slug, number=version.number))
    steps = []
    for step, p in zip(template.steps, progress, strict=True):
        steps.append(
            {
                "step": step,
                "progress": p,
                "questions": [
                    {
                        "question": q,
                        "missing": q.id in p.missing_required,
                        "html": display_answer(q, values.get((step.id, q.id))),
                        "rows": display_rows(q, values.get((step.id, q.id))),
                    }
                    for q in applicable_questions(
                        step, {q.id: values.get((step.id, q.id)) for q in step.questions}
                    )
                ],
            }
        )
    incomplete = [s for s in steps if s["progress"].missing_required]
    checks = strategy_checks.region_checks(region, template)
    failing = [r for r in checks if r.status.value == "fail"]
    status = 422 if form.errors else 200
    return render_template(
        "review/check.html",
        region=region,
        steps=steps,
        record_lists=record_lists(
            region, [q for s in template.steps for q in s.questions], editing=False
        ),
        incomplete=incomplete,
        failing=failing,
        form=form,
    ), status


def _submitted_message(version: DraftVersion) -> str:
    """True about who was asked: the reviewers counted, or that there is none."""
    asked = len(version_service.requests_of(version))
    if not asked:
        return _(
            "Version %(n)s is submitted. This region has no reviewers yet, so nobody is asked "
            "to review it: invite a reviewer on the Members page.",
            n=version.number,
        )
    if not version.pdf_ready:
        return ngettext(
            "Version %(n)s is submitted. Its PDF is being prepared; %(num)s reviewer will "
            "be asked to review it when it is ready.",
            "Version %(n)s is submitted. Its PDF is being prepared; %(num)s reviewers will "
            "be asked to review it when it is ready.",
            asked,
            n=version.number,
        )
    return ngettext(
        "Version %(n)s is submitted and %(num)s reviewer is asked to review it.",
        "Version %(n)s is submitted and %(num)s reviewers are asked to review it.",
        asked,
        n=version.number,
    )


def _anchor_choices(places) -> list[SelectChoice]:
    """A first, empty choice so that nothing is picked by accident."""
    return [SelectChoice("", _("Choose a section"))] + [
        SelectChoice(f"{s}:{q}", label) for s, q, label in places
    ]


def _document_with_places(region, version, places, threads, reply_form) -> tuple[str, str, set]:
    """The version's document (its language, its body's HTML) with, at each place a comment
    may point to, the control to comment there and the open threads about it; and the ids of
    the threads so placed."""
    html = document_pages.version_html(region, version)
    spots = document_pages.spots(html, places)
    labels = {(s, q): label for s, q, label in places}
    open_threads: dict[tuple[str, str], list] = {}
    for thread in threads:
        if thread.is_open:
            open_threads.setdefault((thread.step_id, thread.question_id), []).append(thread)
    placed: set[int] = set()
    blocks = []
    for spot in spots:
        here = [t for p in spot.places for t in open_threads.get((p.step_id, p.question_id), [])]
        placed.update(t.id for t in here)
        block = render_template(
            "review/_doc_place.html",
            region=region,
            version=version,
            spot=spot,
            threads=here,
            labels=labels,
            reply_form=reply_form,
        )
        blocks.append((spot.offset, block))
    lang, body = document_pages.body_of(placement.insert(html, blocks))
    return lang, body, placed, document_pages.accent_style(html)


def _version_page(region, version, *, comment_form=None, verdict_form=None, status=200):
    threads = comment_service.threads_of(version) if can(Permission.VIEW_REVIEW) else []
    requests = version_service.requests_of(version)
    places = comment_service.anchors(region)
    labels = {(s, q): label for s, q, label in places}
    reply_form = ReplyForm(formdata=None)
    doc_lang, doc_body, placed, accent = _document_with_places(
        region, version, places, threads, reply_form
    )
    if comment_form is None:
        comment_form = CommentForm(formdata=None)
        wanted = request.args.get("anchor")
        if wanted:
            comment_form.anchor.data = wanted
    comment_form.anchor.choices = _anchor_choices(places)
    mine = next((r for r in requests if r.reviewer_id == current_user.id), None)
    if verdict_form is None:
        verdict_form = VerdictForm(formdata=None)
    steps = {s.id: s for s in get_template(version.template_id).definition.steps}
    pdf_state = pdf_jobs.ensure_version(version, version_service.page_link(region, version))
    adoption = adoptions.adoption_of(version) if version.released_at else None
    page = render_template(
        "review/version.html",
        accent=accent,
        region=region,
        version=version,
        threads=threads,
        other_threads=[t for t in threads if t.id not in placed],
        doc_lang=doc_lang,
        doc_body=Markup(doc_body),  # noqa: S704 - the layout's output, as in the PDF
        labels=labels,
        steps=steps,
        requests=requests,
        my_request=mine,
        release_problem=version_service.release_problem(version, requests),
        comment_form=comment_form,
        reply_form=reply_form,
        verdict_form=verdict_form,
        versions=version_service.versions_of(region),
        pdf_state=pdf_state,
        release_state=pdf_jobs.ensure_release(version),
        adoption=adoption,
        adopted_state=pdf_jobs.ensure_adopted(adoption),
    )
    return with_styles(make_response(page, status), accent)


@bp.route("/<int:number>")
@region_access(Permission.VIEW)
def version(region: Region, number: int):
    return _version_page(region, _version_or_404(region, number))


@bp.route("/<int:number>.pdf")
@region_access(Permission.VIEW)
def pdf(region: Region, number: int):
    """The stored bytes, exactly as submitted; while they render, a page that says so."""
    version = _version_or_404(region, number)
    if not version.pdf_ready:
        pdf_jobs.ensure_version(version, version_service.page_link(region, version))
        pdf_jobs.wait_for_version(version)
        db.session.refresh(version)
    if not version.pdf_ready:
        return preparing_page(
            region,
            pdf_jobs.version_state(version),
            status_url=url_for("review.pdf_status", slug=region.slug, number=number),
            here=url_for("review.pdf", slug=region.slug, number=number),
            ready_label=_("Download version %(n)s (PDF)", n=number),
            retry_url=url_for("review.version", slug=region.slug, number=number),
        )
    data = version.pdf
    database.write_next()
    activity.record("version_downloaded", region, number=number)
    db.session.commit()
    return documents.pdf_response(data, documents.download_name(region, f"v{number}-draft"))


@bp.route("/<int:number>.docx")
@region_access(Permission.VIEW)
def docx(region: Region, number: int):
    """The version as a Word document, from its frozen answers as its PDF."""
    return word_documents.version_download(region, _version_or_404(region, number))


@bp.route("/<int:number>/status")
@region_access(Permission.VIEW)
def pdf_status(region: Region, number: int):
    """Polled by pdf-status.js while the version's PDF renders."""
    version = _version_or_404(region, number)
    body = {"state": pdf_jobs.version_state(version).value}
    if version.pdf_ready:
        body["url"] = url_for("review.pdf", slug=region.slug, number=number)
    return jsonify(body)


@bp.route("/<int:number>/released.pdf")
@region_access(Permission.VIEW)
def released_pdf(region: Region, number: int):
    """The released PDF; while it renders, a page that says so."""
    version = _version_or_404(region, number)
    if version.released_at is None:
        abort(404)
    if not version.released_sha256:
        pdf_jobs.ensure_release(version)
        pdf_jobs.wait_for_release(version)
        db.session.refresh(version)
    if not version.released_sha256:
        return preparing_page(
            region,
            pdf_jobs.release_state(version),
            status_url=url_for("review.released_status", slug=region.slug, number=number),
            here=url_for("review.released_pdf", slug=region.slug, number=number),
            ready_label=_("Download the released strategy (PDF)"),
            retry_url=url_for("review.version", slug=region.slug, number=number),
        )
    return documents.pdf_response(
        version.released_pdf, documents.download_name(region, f"v{number}-strategy")
    )


@bp.route("/<int:number>/released.docx")
@region_access(Permission.VIEW)
def released_docx(region: Region, number: int):
    """The released strategy as a Word document, as the released PDF has it."""
    version = _version_or_404(region, number)
    if version.released_at is None:
        abort(404)
    return word_documents.version_download(region, version, released=True)


@bp.route("/<int:number>/released/status")
@region_access(Permission.VIEW)
def released_status(region: Region, number: int):
    """Polled by pdf-status.js while the released PDF renders."""
    version = _version_or_404(region, number)
    if version.released_at is None:
        abort(404)
    body = {"state": pdf_jobs.release_state(version).value}
    if version.released_sha256:
        body["url"] = url_for("review.released_pdf", slug=region.slug, number=number)
    return jsonify(body)


@bp.route("/<int:number>/review-copy.pdf")
@region_access(Permission.VIEW_REVIEW)
def review_copy(region: Region, number: int):
    """From the PDF cache when the comments did not change; else rendered off the request
    while a page says it is being prepared."""
    version = _version_or_404(region, number)
    template, html, key = review_copy_source(region, version, comment_service.threads_of(version))
    data = pdf_cache.lookup(key, region)
    if data is None:
        pdf_jobs.enqueue(region, template, html, key)
        pdf_jobs.wait_for_draft(key)
        data = pdf_cache.lookup(key, region)
    if data is None:
        return preparing_page(
            region,
            pdf_jobs.state(region, key),
            status_url=url_for(
                "review.review_copy_status", slug=region.slug, number=number, key=key
            ),
            here=url_for("review.review_copy", slug=region.slug, number=number),
            ready_label=_("Review copy with comments (PDF)"),
            retry_url=url_for("review.version", slug=region.slug, number=number),
        )
    db.session.commit()
    return documents.pdf_response(data, documents.download_name(region, f"v{number}-review-copy"))


@bp.route("/<int:number>/review-copy/status/<key>")
@region_access(Permission.VIEW_REVIEW)
def review_copy_status(region: Region, number: int, key: str):
    """Polled by pdf-status.js while the review copy renders."""
    _version_or_404(region, number)
    state = pdf_jobs.state(region, checked_key(key))
    body = {"state": state.value}
    if state is pdf_jobs.JobState.READY:
        body["url"] = url_for("review.review_copy", slug=region.slug, number=number)
    return jsonify(body)


@bp.route("/<int:number>/threads", methods=["POST"])
@region_access(Permission.COMMENT)
def new_thread(region: Region, number: int):
    version = _version_or_404(region, number)
    form = CommentForm()
    places = comment_service.anchors(region)
    form.anchor.choices = _anchor_choices(places)
    in_page = request.headers.get("X-Requested-With") == "fetch"
    if not form.validate():
        if in_page:
            return jsonify(errors=[str(e) for errors in form.errors.values() for e in errors]), 422
        return _version_page(region, version, comment_form=form, status=422)
    step_id, _sep, question_id = form.anchor.data.partition(":")
    thread = comment_service.start_thread(
        region, version, current_user, g.membership, step_id, question_id, form.body.data
    )
    db.session.commit()
    _after_commit()
    if in_page:  # the version page's script puts the new thread beside its place
        html = render_template(
            "review/_thread.html",
            region=region,
            thread=thread,
            labels={(s, q): label for s, q, label in places},
            reply_form=ReplyForm(formdata=None),
            thread_tag="p",  # in the document's margin, outside its outline of headings
        )
        return jsonify(id=thread.id, html=html, message=_("Your comment is added.")), 201
    flash(_("Your comment is added."), "success")
    return redirect(
        url_for("review.version", slug=region.slug, number=number, _anchor=f"thread-{thread.id}")
    )


def _thread_or_404(region: Region, thread_id: int):
    thread = comment_service.get_thread(region, thread_id)
    if thread is None:
        abort(404)
    return thread


def _thread_url(region: Region, thread) -> str:
    return url_for(
        "review.version",
        slug=region.slug,
        number=thread.version.number,
        _anchor=f"thread-{thread.id}",
    )


@bp.route("/threads/<int:thread_id>/replies", methods=["POST"])
@region_access(Permission.COMMENT)
def reply(region: Region, thread_id: int):
    thread = _thread_or_404(region, thread_id)
    form = ReplyForm()
    if not form.validate():
        flash(_("Write your reply before sending it."), "error")
        return redirect(_thread_url(region, thread))
    comment_service.reply(region, thread, current_user, g.membership, form.body.data)
    db.session.commit()
    _after_commit()
    flash(_("Your reply is added."), "success")
    return redirect(_thread_url(region, thread))


@bp.route("/threads/<int:thread_id>/resolve", methods=["POST"])
@region_access(Permission.COMMENT)
def resolve(region: Region, thread_id: int):
    thread = _thread_or_404(region, thread_id)
    comment_service.resolve(region, thread, current_user)
    db.session.commit()
    flash(_("The thread is resolved."), "success")
    return redirect(_thread_url(region, thread))


@bp.route("/threads/<int:thread_id>/reopen", methods=["POST"])
@region_access(Permission.COMMENT)
def reopen(region: Region, thread_id: int):
    thread = _thread_or_404(region, thread_id)
    comment_service.reopen(region, thread, current_user)
    db.session.commit()
    flash(_("The thread is open again."), "success")
    return redirect(_thread_url(region, thread))


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@region_access(Permission.COMMENT)
def edit_comment(region: Region, comment_id: int):
    comment = comment_service.get_comment(region, comment_id)
    if comment is None:
        abort(404)
    if comment.author_id != current_user.id:
        abort(403)
    form = EditCommentForm(data={"body": comment.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            comment_service.edit(comment, current_user, form.body.data)
        except NotAllowed:
            abort(403)
        db.session.commit()
        flash(_("Your comment is changed; the earlier text is kept."), "success")
        return redirect(_thread_url(region, comment.thread))
    status = 422 if form.errors else 200
    return render_template(
        "review/edit_comment.html", region=region, comment=comment, form=form
    ), status


@bp.route("/<int:number>/verdict", methods=["POST"])
@region_access(Permission.REVIEW)
def verdict(region: Region, number: int):
    version = _version_or_404(region, number)
    form = VerdictForm()
    if not form.validate():
        return _version_page(region, version, verdict_form=form, status=422)
    try:
        version_service.give_verdict(
            region, version, current_user, form.decision.data == "approve", form.summary.data
        )
    except NotAllowed:
        flash(_("This version is released; its review is closed."), "error")
        return redirect(url_for("review.version", slug=region.slug, number=number))
    db.session.commit()
    _after_commit()
    flash(_("Your verdict is recorded and the team is told."), "success")
    return redirect(url_for("review.version", slug=region.slug, number=number))


@bp.route("/<int:number>/release", methods=["GET", "POST"])
@region_access(Permission.RELEASE_VERSION)
def release(region: Region, number: int):
    """A confirmation page, then the release: the released PDF cannot be changed later.
    Open review threads are listed, and releasing with them needs a tick."""
    version = _version_or_404(region, number)
    requests = version_service.requests_of(version)
    problem = version_service.release_problem(version, requests)
    still_open = version_service.open_threads_of(version)
    form = ReleaseForm()
    form.accept_open.label.text = ngettext(
        "I release with %(num)s open thread", "I release with %(num)s open threads", len(still_open)
    )
    if request.method == "POST" and problem is None:
        seen = form.open_seen.data or ""
        accepted = int(seen) if form.accept_open.data and seen.isdigit() else 0
        try:
            version_service.release(region, version, current_user, open_threads_accepted=accepted)
        except version_service.OpenThreadsNotAccepted as exc:
            db.session.rollback()
            form.accept_open.errors = [str(exc)]
        else:
            db.session.commit()
            pdf_jobs.enqueue_release(version)
            pdf_jobs.wait_for_release(version)
            _after_commit()
            flash(_("Version %(n)s is released.", n=number), "success")
            return redirect(url_for("review.version", slug=region.slug, number=number))
    form.open_seen.data = str(len(still_open))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "review/release.html",
        region=region,
        version=version,
        requests=requests,
        problem=problem,
        open_threads=still_open,
        labels={(s, q): label for s, q, label in comment_service.anchors(region)},
        form=form,
    ), status


@bp.route("/compare")
@region_access(Permission.VIEW)
def compare_versions(region: Region):
    versions = version_service.versions_of(region)
    numbers = [v.number for v in versions]
    try:
        a = int(request.args.get("a", numbers[min(1, len(numbers) - 1)] if numbers else 0))
        b = int(request.args.get("b", numbers[0] if numbers else 0))
    except ValueError:
        abort(404)
    if not (0 <= a <= LARGEST_ID and 0 <= b <= LARGEST_ID):
        abort(404)
    if not versions:
        return render_template("review/compare.html", region=region, versions=[], steps=None)
    old, new = _version_or_404(region, a), _version_or_404(region, b)
    template = get_template(new.template_id).definition
    steps = compare(template, old.values(), new.values())
    return render_template(
        "review/compare.html",
        region=region,
        versions=versions,
        old=old,
        new=new,
        steps=steps,
        changed=[s for s in steps if s.changed],
    )
