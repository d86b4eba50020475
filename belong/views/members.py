"""The members page: invite people, change their role, remove them."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from belong.access import Permission, region_access
from belong.extensions import db
from belong.forms.admin import ROLE_LABELS, InviteForm
from belong.forms.members import MemberForm
from belong.models import Membership, Region, Role
from belong.services import accounts, activity
from belong.services import members as member_service
from belong.services import regions as region_service
from belong.services.contributions import category_labels
from belong.templating.registry import get_template

bp = Blueprint("members", __name__, url_prefix="/r/<slug>/members")


def _category_choices(region: Region) -> list[SelectChoice]:
    template = get_template(region.template_id).definition
    return [SelectChoice("", _("Not applicable"))] + [
        SelectChoice(o.value, o.label) for o in template.stakeholder_categories
    ]


def _invite_form(region: Region, **kwargs) -> InviteForm:
    form = InviteForm(**kwargs)
    form.category.choices = _category_choices(region)
    return form


def _membership_or_404(region: Region, membership_id: int) -> Membership:
    membership = member_service.get_membership(region, membership_id)
    if membership is None:
        abort(404)
    return membership


@bp.route("", methods=["GET", "POST"])
@region_access(Permission.MANAGE_MEMBERS)
def index(region: Region):
    form = _invite_form(region)
    link = None
    if form.validate_on_submit():
        user, secret = accounts.invite(
            region,
            form.email.data,
            form.name.data,
            Role(form.role.data),
            hours=current_app.config["INVITE_TOKEN_HOURS"],
            organisation=form.organisation.data or "",
            category=form.category.data or "",
        )
        activity.record("member_invited", region, member=user.id, role=form.role.data)
        db.session.commit()
        if secret:
            link = url_for("auth.set_password", token=secret, _external=True)
            current_app.logger.info("invitation link for %s: %s", user.email, link)
            flash(
                ngettext(
                    "%(name)s is invited. Send them the link below; "
                    "it works once, for %(num)s hour.",
                    "%(name)s is invited. Send them the link below; "
                    "it works once, for %(num)s hours.",
                    current_app.config["INVITE_TOKEN_HOURS"],
                    name=user.name,
                ),
                "success",
            )
        else:
            flash(_("%(name)s now has access to this region.", name=user.name), "success")
        form = _invite_form(region, formdata=None)
    status = 422 if form.errors else 200
    return render_template(
        "members/index.html",
        region=region,
        form=form,
        members=region_service.region_members(region),
        last_active=member_service.last_activity(region),
        categories=category_labels(get_template(region.template_id).definition),
        role_labels=ROLE_LABELS,
        link=link,
    ), status


@bp.route("/<int:membership_id>", methods=["GET", "POST"])
@region_access(Permission.MANAGE_MEMBERS)
def edit(region: Region, membership_id: int):
    membership = _membership_or_404(region, membership_id)
    form = MemberForm(obj=membership)
    form.category.choices = _category_choices(region)
    if form.validate_on_submit():
        try:
            changed = member_service.change_member(
                membership,
                role=Role(form.role.data),
                organisation=form.organisation.data or "",
                category=form.category.data or "",
            )
        except member_service.LastCoordinator:
            db.session.rollback()
            form.role.errors = [
                _("This region needs at least one coordinator. Make someone else one first.")
            ]
        else:
            db.session.commit()
            if changed:
                flash(_("%(name)s's membership is updated.", name=membership.user.name), "success")
            else:
                flash(_("Nothing had changed, so nothing needed saving."), "info")
            return redirect(url_for("members.index", slug=region.slug))
    return render_template("members/edit.html", region=region, membership=membership, form=form), (
        422 if form.errors else 200
    )


@bp.route("/<int:membership_id>/remove", methods=["GET", "POST"])
@region_access(Permission.MANAGE_MEMBERS)
def remove(region: Region, membership_id: int):
    """A confirmation page first; the POST removes access but keeps their input."""
    membership = _membership_or_404(region, membership_id)
    problem = None
    if request.method == "POST":  # CSRF is checked for every POST by CSRFProtect
        name = membership.user.name
        try:
            member_service.remove_member(membership)
        except member_service.LastCoordinator:
            db.session.rollback()
            problem = _(
                "%(name)s is the region's only coordinator. Make someone else coordinator first.",
                name=name,
            )
        else:
            db.session.commit()
            flash(_("%(name)s no longer has access to this region.", name=name), "success")
            if membership.user_id == current_user.id:
                return redirect(url_for("main.index"))
            return redirect(url_for("members.index", slug=region.slug))
    return render_template(
        "members/remove.html", region=region, membership=membership, problem=problem
    ), (409 if problem else 200)
