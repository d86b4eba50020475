"""Text typed into a step is never dropped by an ended sign-in or a stale security token.

- Security token refused while signed in: the step page comes back with the posted text
  and a fresh token, and says what happened.
- Signed out meanwhile (sign-in ended, or signed out in another tab): the posted form is
  kept on the server under a secret held in this browser's cookie; after signing in
  again the step page (at .../kept) comes back with the text, and its form posts to the
  step's own address; the text stays kept until that save succeeds.
- Autosave gets a JSON answer in both cases, so the page can say "not saved" and why.

Only a form typed in this browser is given back (belong/form_origin.py): a form posted by
another page without this browser's token is refused plainly, and nothing is kept."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_url
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from belong import form_origin
from belong.access import Permission, load_region, region_access
from belong.extensions import db, login_manager
from belong.forms.step import build_step_form
from belong.models import Region
from belong.services import answers as answer_service
from belong.services import kept_forms
from belong.services.ratelimit import client_address, limiter, setting
from belong.templating.registry import get_template
from belong.views import steps as step_views

bp = Blueprint("recovery", __name__, url_prefix="/r/<slug>/steps")

STEP_SAVE, AUTOSAVE = "steps.save", "autosave.save"


def init_app(app: Flask) -> None:
    login_manager.unauthorized_handler(unauthorized)


def _step_of_request():
    """(region, step) for a POST to a step form of an existing region, else (None, None)."""
    args = request.view_args or {}
    region = db.session.scalar(select(Region).where(Region.slug == args.get("slug")))
    if region is None:
        return None, None
    step = get_template(region.template_id).definition.step(args.get("step_id", ""))
    return (region, step) if step is not None else (None, None)


def _signed_out_json():
    return jsonify(
        status="signed_out",
        message=_("you are signed out. Press Save: your text is kept while you sign in again."),
    ), 401


def _keep_and_sign_in():
    """Keep the posted step form and send the browser to sign in. The answer looks the same
    whether or not the region and step exist (a signed-out visitor learns nothing from it),
    and one address keeps at most KEPT_FORMS_PER_ADDRESS forms per window."""
    args = request.view_args or {}
    region, step = _step_of_request()
    allowed = limiter().allow("kept", client_address(), setting("KEPT_FORMS_PER_ADDRESS"))
    if not allowed:
        flash(
            _(
                "You were signed out, so your text was not saved, and too many forms were "
                "sent from your network to keep this one. Sign in again, then paste your text."
            ),
            "error",
        )
    else:
        flash(
            _(
                "You were signed out, so your text was not saved yet. It is kept: "
                "sign in again and it comes back in the form."
            ),
            "info",
        )
    secret = secrets.token_urlsafe(32)
    if allowed and region is not None:
        secret = kept_forms.keep(region, step.id, request.form)
        db.session.commit()
    target = url_for("recovery.restore", slug=args.get("slug"), step_id=args.get("step_id"))
    response = redirect(login_url(login_manager.login_view, next_url=target))
    response.set_cookie(
        kept_forms.COOKIE,
        secret,
        max_age=int(kept_forms.KEEP_FOR.total_seconds()),
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
    return response


def unauthorized():
    """Flask-Login's "please sign in", except that a posted step form is kept."""
    if request.method == "POST" and request.endpoint == AUTOSAVE:
        return _signed_out_json()
    if request.method == "POST" and request.endpoint == STEP_SAVE and form_origin.typed_here():
        return _keep_and_sign_in()
    flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def on_csrf_error():
    """A response for a refused step form typed in this browser, or None for the generic
    page."""
    if request.endpoint == AUTOSAVE:
        if not current_user.is_authenticated:
            return _signed_out_json()
        return jsonify(
            status="csrf",
            message=_(
                "this page's security token is no longer valid (for example after signing "
                "out in another tab). Press Save: your text will be shown again to save."
            ),
        ), 400
    if request.endpoint != STEP_SAVE or not form_origin.typed_here():
        return None
    if not current_user.is_authenticated:
        return _keep_and_sign_in()
    region, step = _step_of_request()
    if region is None:
        return None
    try:
        load_region(region.slug, Permission.EDIT_ANSWERS)
    except HTTPException:
        return None
    flash(
        _(
            "Your text was not saved yet: the page's security token had expired (for "
            "example after signing out and in again in another tab). Your text is in the "
            "form below; check it and save again."
        ),
        "error",
    )
    kept = bool(request.form.get(kept_forms.FIELD))  # the page of kept text, posted again
    return _step_page(region, step, request.form, status=400, kept=kept)


def _step_page(region: Region, step, formdata, *, status: int, kept: bool = False):
    g.unsaved_form = True  # autosave.js warns before leaving: this text is not saved yet
    template = get_template(region.template_id).definition
    form = build_step_form(
        step, {}, {}, max_length=current_app.config["MAX_ANSWER_LENGTH"], formdata=formdata
    )
    answers = answer_service.step_answers(region, step)
    return step_views.render_step_page(
        region, template, step, form, answers, status=status, kept=kept
    )


@bp.route("/<step_id>/kept")
@region_access(Permission.EDIT_ANSWERS)
def restore(region: Region, step_id: str):
    """After signing in again: the step page with the text that was kept. It stays kept
    (reloading shows it again) until a save from this page succeeds."""
    step = get_template(region.template_id).definition.step(step_id)
    if step is None:
        return redirect(url_for("regions.home", slug=region.slug))
    formdata = kept_forms.find(request.cookies.get(kept_forms.COOKIE), region, step.id)
    if formdata is None:
        flash(_("There was no kept text for this step (it is kept for one day)."), "info")
        return redirect(url_for("steps.show", slug=region.slug, step_id=step.id))
    flash(
        _(
            "Here is the text you had typed before you were signed out. It is not saved "
            "yet: check it and save. If someone saved this step meanwhile, you will be "
            "shown both texts."
        ),
        "info",
    )
    return _step_page(region, step, formdata, status=200, kept=True)
