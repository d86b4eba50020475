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
from belong.forms.admin import ROLE_HELP, ROLE_LABELS, InviteForm
from belong.forms.members import MemberForm
from belong.models import Membership, Region, Role
from belong.services import account_security, accounts, activity, mail
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
    # ?role=reviewer (the link from a version without reviewers) preselects the role.
    wanted = request.args.get("role")
    form = _invite_form(region, data={"role": wanted} if wanted in set(Role) else None)
    link = None
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            invitation = accounts.invite(
                region,
                form.email.data,
                form.name.data,
                role,
                hours=current_app.config["INVITE_TOKEN_HOURS"],
                organisation=form.organisation.data or "",
                category=form.category.data or "",
            )
        except member_service.LastCoordinator:
            _refuse_last_coordinator(form)
        else:
            user = invitation.user
            activity.record("member_invited", region, member=user.id, role=role.value)
            if invitation.new_member and not invitation.new_account:
                home = url_for("regions.home", slug=region.slug)
                member_service.tell_added(user, region, str(ROLE_LABELS[role]), home)
            db.session.commit()
            link = _deliver(invitation, region)
            form = _invite_form(region, formdata=None)
    return index_page(region, link, form)


def index_page(region: Region, link: str | None, form: InviteForm | None = None):
    """The members page; `link` is a set-password link to show (no mail server)."""
    form = form or _invite_form(region, formdata=None)
    status = 422 if form.errors else 200
    return render_template(
        "members/index.html",
        region=region,
        form=form,
        members=region_service.region_members(region),
        last_active=member_service.last_activity(region),
        pending=accounts.pending_invitations(region),
        categories=category_labels(get_template(region.template_id).definition),
        role_labels=ROLE_LABELS,
        role_help=ROLE_HELP,
        link=link,
    ), status


def _refuse_last_coordinator(form) -> None:
    """The change would leave the region without a coordinator: nothing of it is kept."""
    db.session.rollback()
    form.role.errors = [
        _("This region needs at least one coordinator. Make someone else one first.")
    ]


def _deliver(invitation: accounts.Invitation, region: Region) -> str | None:
    """Say truly what happened; returns the link only when it is to be shown here."""
    if invitation.secret is None:
        if mail.send_pending():  # the notification, when a mail server is configured
            db.session.commit()
        flash(_existing_person_message(invitation), "success")
        return None
    return _deliver_link(invitation.user, region, invitation.secret)


def _deliver_link(user, region: Region, secret: str) -> str | None:
    """E-mail a set-password link to its owner, or (no mail server) return it to be shown."""
    hours = current_app.config["INVITE_TOKEN_HOURS"]
    link = mail.external_url(url_for("auth.set_password", token=secret))
    delivery = account_security.deliver_invitation(user, region, link, hours)
    if delivery is account_security.Delivery.SHOWN:
        message = ngettext(
            "%(name)s is invited. No mail server is set up, so nothing was e-mailed: "
            "pass the link below on to them yourself. It works once, for %(num)s hour.",
            "%(name)s is invited. No mail server is set up, so nothing was e-mailed: "
            "pass the link below on to them yourself. It works once, for %(num)s hours.",
            hours,
            name=user.name,
        )
        flash(message, "success")
        return link
    if delivery is account_security.Delivery.MAILED:
        message = ngettext(
            "%(name)s is invited: we e-mailed them a link to choose a password. "
            "It works once, for %(num)s hour.",
            "%(name)s is invited: we e-mailed them a link to choose a password. "
            "It works once, for %(num)s hours.",
            hours,
            name=user.name,
        )
        flash(message, "success")
    else:
        message = _(
            "%(name)s is added, but the invitation could not be e-mailed. When the mail "
            "server works again, they can get a link with “Forgot your password?” on the "
            "sign-in page.",
            name=user.name,
        )
        flash(message, "error")
    return None


def _existing_person_message(invitation: accounts.Invitation) -> str:
    name = invitation.user.name
    if invitation.user.id == current_user.id:
        return _("Your membership is updated.")
    if not invitation.new_member:
        return _("%(name)s was already a member; the membership is updated.", name=name)
    if mail.configured():
        return _(
            "%(name)s already has an account and now has access to this region. "
            "They are told in Belong and, as they chose, by e-mail.",
            name=name,
        )
    return _(
        "%(name)s already has an account and now has access to this region. "
        "They see it in their notifications in Belong.",
        name=name,
    )


@bp.route("/<int:membership_id>/resend", methods=["POST"])
@region_access(Permission.MANAGE_MEMBERS)
def resend(region: Region, membership_id: int):
    """A new link for a pending invitation; the old ones stop working."""
    membership = _membership_or_404(region, membership_id)
    try:
        secret = accounts.resend_invitation(membership, current_app.config["INVITE_TOKEN_HOURS"])
    except accounts.CannotResend:
        flash(
            _(
                "%(name)s's account is not this region's alone, so no new link can be made "
                "here. They can choose a password with “Forgot your password?” on the "
                "sign-in page.",
                name=membership.user.name,
            ),
            "error",
        )
        return redirect(url_for("members.index", slug=region.slug))
    activity.record("invitation_resent", region, member=membership.user_id)
    db.session.commit()
    link = _deliver_link(membership.user, region, secret)
    if link is None:
        return redirect(url_for("members.index", slug=region.slug))
    return index_page(region, link)


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
            _refuse_last_coordinator(form)
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
    name = membership.user.name
    if member_service.is_last_coordinator(membership):
        # Refused before anyone presses a button that cannot work.
        problem = _(
            "%(name)s is the region's only coordinator. Make someone else coordinator first.",
            name=name,
        )
        return render_template(
            "members/remove.html", region=region, membership=membership, problem=problem
        ), (409 if request.method == "POST" else 200)
    pending = membership.user.password_hash is None
    if request.method == "POST":  # CSRF is checked for every POST by CSRFProtect
        if pending:
            accounts.revoke_invitation(membership)
        else:
            member_service.remove_member(membership)
        db.session.commit()
        if pending:
            flash(
                _(
                    "The invitation of %(name)s is withdrawn; their link no longer works.",
                    name=name,
                ),
                "success",
            )
        else:
            flash(_("%(name)s no longer has access to this region.", name=name), "success")
        if membership.user_id == current_user.id:
            return redirect(url_for("main.index"))
        return redirect(url_for("members.index", slug=region.slug))
    return render_template(
        "members/remove.html", region=region, membership=membership, pending=pending
    )
