from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from belong import page_cache
from belong.access import Permission, can, region_access
from belong.extensions import db
from belong.forms.admin import RegionLanguageForm
from belong.models import Region
from belong.services import regions as region_service
from belong.services import strategy_checks, summaries, versions, waiting
from belong.services.progress import StepState
from belong.templating.languages import language_in_readers_words, language_name
from belong.templating.registry import get_template

bp = Blueprint("regions", __name__, url_prefix="/r/<slug>")


@bp.route("/")
@region_access(Permission.VIEW)
def home(region: Region):
    template = get_template(region.template_id).definition

    def content() -> str:
        found = summaries.summary(region)
        progress = found.progress
        checks = strategy_checks.region_checks(region, template)
        return render_template(
            "regions/_home.html",
            region=region,
            template=template,
            progress=progress,
            percent=found.percent,
            completed=sum(1 for p in progress if p.state is StepState.COMPLETED),
            language=language_in_readers_words(region.language),
            latest_version=versions.latest_version(region),
            action=waiting.next_action(
                region,
                current_user,
                reviews=can(Permission.REVIEW),
                writes=can(Permission.EDIT_ANSWERS),
                submits=can(Permission.SUBMIT_VERSION),
                contributes=can(Permission.CONTRIBUTE),
                progress=progress,
                template=template,
            ),
            checks=strategy_checks.ordered(checks),
            counts=strategy_checks.counts(checks),
            whole=True,
        )

    return page_cache.page(
        region,
        "home",
        content,
        lambda body: render_template(
            "regions/home.html", region=region, template=template, content=body
        ),
    )


@bp.route("/primer")
@region_access(Permission.VIEW)
def primer(region: Region):
    template = get_template(region.template_id)
    return render_template("regions/primer.html", region=region, template=template.definition)


@bp.route("/settings/language", methods=["GET", "POST"])
@region_access(Permission.CHANGE_LANGUAGE)
def language(region: Region):
    """Choose another language of the template, then confirm on a page that says what
    changes (the document's frame, guidance) and what does not (the team's answers)."""
    template = get_template(region.template_id)
    form = RegionLanguageForm(language=region.language)
    form.language.choices = [(code, language_name(code)) for code in template.languages]
    names = {
        "current": language_in_readers_words(region.language),
        "chosen": language_in_readers_words(form.language.data),
    }
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("regions/language.html", region=region, form=form, **names), status
    if form.language.data == region.language:
        flash(
            _("The strategy is already written in %(language)s.", language=names["chosen"]), "info"
        )
    elif form.confirmed.data != form.language.data:
        return render_template("regions/language_confirm.html", region=region, form=form, **names)
    elif region_service.change_language(region, template, form.language.data):
        db.session.commit()
        flash(
            _("The strategy is now written in %(language)s.", language=names["chosen"]), "success"
        )
    return redirect(url_for("regions.home", slug=region.slug))
