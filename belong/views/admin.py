from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from belong import page_cache
from belong.access import admin_required
from belong.extensions import db
from belong.forms.admin import RegionForm
from belong.services import regions as region_service
from belong.services import summaries
from belong.templating.languages import language_fits_template, offer_languages
from belong.templating.registry import all_templates

bp = Blueprint("admin", __name__, url_prefix="/admin")
REGIONS_PER_PAGE = 50


def _region_form(templates) -> RegionForm:
    form = RegionForm()
    form.template_id.choices = [SelectChoice(t.id, t.definition.title) for t in templates.values()]
    offer_languages(form, templates)
    return form


def _form_part(form: RegionForm) -> str:
    return render_template("admin/_region_form.html", form=form)


@bp.route("/regions", methods=["GET", "POST"])
@admin_required
def regions():
    templates = all_templates()
    if request.method == "POST":
        return _create_region(templates)

    def empty_form() -> Markup:  # the same for every admin in a language
        return page_cache.remember_programme(
            "admin-region-form", lambda: _form_part(_region_form(templates))
        )

    return page_cache.programme_page(
        "admin-regions", _listing, lambda listed: _regions_page(listed, empty_form())
    )


def _create_region(templates):
    form = _region_form(templates)
    if form.validate_on_submit() and language_fits_template(form, templates):
        try:
            region = region_service.create_region(
                form.name.data,
                form.slug.data,
                form.template_id.data,
                country=form.country.data or "",
                period=form.period.data or "",
                language=form.language.data,
            )
        except region_service.SlugTaken:
            form.slug.errors.append(_("Another region already uses this short name."))
        else:
            db.session.commit()
            flash(
                _("Region %(name)s is created. Now invite its coordinator.", name=region.name),
                "success",
            )
            return redirect(url_for("members.index", slug=region.slug))
    listed = page_cache.remember_programme("admin-regions", _listing)
    return _regions_page(listed, Markup(_form_part(form)))  # noqa: S704 - our template


def _listing() -> str:
    shown, page, pages, total = region_service.regions_page(
        request.args.get("page", 1, type=int), REGIONS_PER_PAGE
    )
    found = summaries.headlines(shown)
    rows = [{"region": region, "percent": found[region.id][0]} for region in shown]
    return render_template(
        "admin/_regions_list.html", rows=rows, page=page, pages=pages, total=total
    )


def _regions_page(listing: Markup, form_html: Markup) -> str:
    return render_template("admin/regions.html", listing=listing, region_form=form_html)
