"""The self-assessment scores on the step page, and recording them as baseline or re-run."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from belong.access import Permission, region_access
from belong.extensions import db
from belong.models import Region
from belong.services import activity
from belong.services.assessments import UnansweredQuestions, record_snapshot
from belong.services.regions import answer_values
from belong.services.scoring import has_assessment
from belong.templating.registry import get_template

bp = Blueprint("assessment", __name__, url_prefix="/r/<slug>/assessment")


@bp.route("/snapshots", methods=["POST"])
@region_access(Permission.EDIT_ANSWERS)
def record(region: Region):
    template = get_template(region.template_id).definition
    step = next((s for s in template.steps if has_assessment(s)), None)
    if step is None:
        abort(404)
    back = url_for("steps.show", slug=region.slug, step_id=step.id, _anchor="scores")
    try:
        snapshot = record_snapshot(
            region,
            template,
            answer_values([region.id])[region.id],
            current_user,
            unanswered_confirmed=request.form.get("unanswered_confirmed") == "yes",
        )
    except UnansweredQuestions as gaps:
        flash(
            ngettext(
                "Nothing was recorded: %(num)s scored question is unanswered and would count as "
                "no points. Answer it, or tick the box to record the scores as they are.",
                "Nothing was recorded: %(num)s scored questions are unanswered and would count "
                "as no points. Answer them, or tick the box to record the scores as they are.",
                gaps.unanswered,
            ),
            "error",
        )
        # Browsers stop at the required box; without one, the message at the top is seen.
        return redirect(url_for("steps.show", slug=region.slug, step_id=step.id))
    activity.record(
        "assessment_recorded", region, label=snapshot.label, overall=snapshot.scores["overall"]
    )
    db.session.commit()
    flash(
        _("The scores are recorded as “%(label)s”.", label=snapshot.label),
        "success",
    )
    return redirect(back)
