"""A region's publication settings: the coordinator sets the documents' logo, accent colour
and imprint details."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from belong.access import Permission, region_access
from belong.extensions import db
from belong.forms.publication import PublicationForm
from belong.models import Region
from belong.services import publication

bp = Blueprint("publication", __name__, url_prefix="/r/<slug>")


@bp.route("/settings/publication", methods=["GET", "POST"])
@region_access(Permission.PUBLICATION_SETTINGS)
def settings(region: Region):
    settings = publication.settings_of(region)
    form = PublicationForm(obj=settings)
    if form.validate_on_submit():
        publication.save(
            region,
            current_user,
            form.values(),
            logo=form.checked_logo,
            emblem=form.checked_emblem,
            remove_logo=bool(form.remove_logo.data) and form.checked_logo is None,
            remove_emblem=bool(form.remove_emblem.data) and form.checked_emblem is None,
        )
        db.session.commit()
        flash(_("The publication settings are saved."), "success")
        return redirect(url_for("publication.settings", slug=region.slug))
    return render_template(
        "regions/publication.html",
        region=region,
        form=form,
        logo=publication.image_of(region.id, settings.logo_sha256) if settings else None,
        emblem=publication.image_of(region.id, settings.emblem_sha256) if settings else None,
        data_uri=publication.data_uri,
    ), 422 if request.method == "POST" else 200
