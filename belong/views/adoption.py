"""Recording the political adoption of a released version, and its adopted edition's PDF."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from belong.access import Permission, region_access
from belong.extensions import db
from belong.forms.adoption import AdoptionForm
from belong.models import DraftVersion, Region
from belong.services import adoptions, documents, mail, pdf_jobs
from belong.services import versions as version_service
from belong.views.preparing import preparing_page

bp = Blueprint("adoption", __name__, url_prefix="/r/<slug>/versions")


def _version_or_404(region: Region, number: int) -> DraftVersion:
    version = version_service.get_version(region, number)
    if version is None:
        abort(404)
    return version


@bp.route("/<int:number>/adoption", methods=["GET", "POST"])
@region_access(Permission.RECORD_ADOPTION)
def record(region: Region, number: int):
    """The form; posted, a page that shows what will be recorded; confirmed, the record
    ("Change" on that page posts the values back to the form). A recorded adoption cannot be
    changed."""
    version = _version_or_404(region, number)
    problem = adoptions.adoption_problem(version)
    form = AdoptionForm()
    confirming = False
    if problem is None and form.validate_on_submit():
        wrong_date = adoptions.date_problem(version, form.adopted_on.data, date.today())
        if wrong_date:
            form.adopted_on.errors = [wrong_date]
        elif "change" in request.form:
            form.confirmed.data = ""
        elif form.confirmed.data == "yes":
            adoption = adoptions.record(
                region,
                version,
                current_user,
                body=form.body.data,
                adopted_on=form.adopted_on.data,
                reference=form.reference.data,
            )
            db.session.commit()
            pdf_jobs.enqueue_adopted(adoption)
            pdf_jobs.wait_for_adopted(adoption)
            mail.send_queued()
            flash(_("The adoption of version %(n)s is recorded.", n=number), "success")
            return redirect(url_for("review.version", slug=region.slug, number=number))
        else:
            confirming = True
            form.confirmed.data = "yes"
    invalid = bool(form.errors) or (problem is not None and form.is_submitted())
    return render_template(
        "review/adoption.html",
        region=region,
        version=version,
        problem=problem,
        form=form,
        confirming=confirming,
    ), 422 if invalid else 200


@bp.route("/<int:number>/adopted.pdf")
@region_access(Permission.VIEW)
def pdf(region: Region, number: int):
    """The adopted edition; while it renders, a page that says so."""
    version = _version_or_404(region, number)
    adoption = adoptions.adoption_of(version)
    if adoption is None:
        abort(404)
    if not adoption.sha256:
        pdf_jobs.ensure_adopted(adoption)
        pdf_jobs.wait_for_adopted(adoption)
        db.session.refresh(adoption)
    if not adoption.sha256:
        return preparing_page(
            region,
            pdf_jobs.adopted_state(adoption),
            status_url=url_for("adoption.status", slug=region.slug, number=number),
            here=url_for("adoption.pdf", slug=region.slug, number=number),
            ready_label=_("Download the adopted strategy (PDF)"),
            retry_url=url_for("review.version", slug=region.slug, number=number),
        )
    return documents.pdf_response(
        adoption.pdf, documents.download_name(region, f"v{number}-adopted-strategy")
    )


@bp.route("/<int:number>/adopted/status")
@region_access(Permission.VIEW)
def status(region: Region, number: int):
    """Polled by pdf-status.js while the adopted edition renders."""
    version = _version_or_404(region, number)
    adoption = adoptions.adoption_of(version)
    if adoption is None:
        abort(404)
    body = {"state": pdf_jobs.adopted_state(adoption).value}
    if adoption.sha256:
        body["url"] = url_for("adoption.pdf", slug=region.slug, number=number)
    return jsonify(body)
