from __future__ import annotations

from flask import Blueprint, current_app, flash, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from belong.access import Permission, region_access
from belong.extensions import db
from belong.forms.admin import InviteForm
from belong.models import Region, Role
from belong.services import accounts
from belong.services import regions as region_service
from belong.services.progress import StepState
from belong.templating.registry import get_template

bp = Blueprint("regions", __name__, url_prefix="/r/<slug>")


@bp.route("/")
@region_access(Permission.VIEW)
def home(region: Region):
    template = get_template(region.template_id)
    progress, percent = region_service.region_progress(region, template)
    next_step = next((p.step for p in progress if p.state is not StepState.COMPLETED), None)
    return render_template(
        "regions/home.html",
        region=region,
        template=template.definition,
        progress=progress,
        percent=percent,
        completed=sum(1 for p in progress if p.state is StepState.COMPLETED),
        next_step=next_step,
    )


@bp.route("/primer")
@region_access(Permission.VIEW)
def primer(region: Region):
    template = get_template(region.template_id)
    return render_template("regions/primer.html", region=region, template=template.definition)


def _category_choices(region: Region) -> list[SelectChoice]:
    template = get_template(region.template_id).definition
    return [SelectChoice("", _("Not applicable"))] + [
        SelectChoice(o.value, o.label) for o in template.stakeholder_categories
    ]


@bp.route("/members", methods=["GET", "POST"])
@region_access(Permission.MANAGE_MEMBERS)
def members(region: Region):
    form = InviteForm()
    form.category.choices = _category_choices(region)
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
        db.session.commit()
        if secret:
            link = url_for("auth.set_password", token=secret, _external=True)
            current_app.logger.info("invitation link for %s: %s", user.email, link)
            flash(
                _(
                    "%(name)s is invited. Send them the link below; "
                    "it works once, for %(hours)s hours.",
                    name=user.name,
                    hours=current_app.config["INVITE_TOKEN_HOURS"],
                ),
                "success",
            )
        else:
            flash(_("%(name)s now has access to this region.", name=user.name), "success")
        form = InviteForm(formdata=None)
        form.category.choices = _category_choices(region)
    return render_template(
        "regions/members.html",
        region=region,
        form=form,
        members=region_service.region_members(region),
        link=link,
    )
