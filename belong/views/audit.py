"""The audit log: the coordinator sees their region's, the programme admin everyone's."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from belong.access import Permission, admin_required, region_access
from belong.models import Region
from belong.services import audit_log

bp = Blueprint("audit", __name__)

# What each recorded action means, in words; unknown actions are shown as recorded.
ACTIONS = {
    "login": _l("Signed in"),
    "password_changed": _l("Changed their password"),
    "password_reset_requested": _l("Asked for a password reset"),
    "user_disabled": _l("Disabled an account"),
    "user_enabled": _l("Enabled an account"),
    "member_invited": _l("Invited a member"),
    "member_changed": _l("Changed a member's role or details"),
    "member_removed": _l("Removed a member"),
    "answers_saved": _l("Saved answers"),
    "answer_restored": _l("Restored an earlier answer"),
    "record_added": _l("Added a record"),
    "record_saved": _l("Saved a record"),
    "record_deleted": _l("Deleted a record"),
    "records_migrated": _l("Turned the strategy's tables into linked records"),
    "contribution_added": _l("Added stakeholder input"),
    "contribution_edited": _l("Edited stakeholder input"),
    "contribution_decided": _l("Decided on stakeholder input"),
    "assessment_recorded": _l("Recorded the self-assessment"),
    "version_submitted": _l("Submitted a version"),
    "version_pdf_recorded": _l("Recorded a version's PDF"),
    "version_released": _l("Released a version"),
    "version_release_pdf_recorded": _l("Recorded a released version's PDF"),
    "adoption_recorded": _l("Recorded the adoption of a released version"),
    "adopted_pdf_recorded": _l("Recorded an adopted version's PDF"),
    "version_downloaded": _l("Downloaded a version"),
    "comment_added": _l("Commented"),
    "thread_resolved": _l("Resolved a comment thread"),
    "thread_reopened": _l("Reopened a comment thread"),
    "verdict_given": _l("Gave a review verdict"),
    "pdf_downloaded": _l("Downloaded the draft PDF"),
    "docx_downloaded": _l("Downloaded the draft as a Word document"),
    "region_exported": _l("Exported the region's data"),
    "region_language_changed": _l("Changed the language of the strategy"),
    "publication_settings_changed": _l("Changed the publication settings"),
    "html_edition_downloaded": _l("Downloaded the document as a web page"),
    "api_token_created": _l("Made an API access token"),
    "api_token_revoked": _l("Revoked an API access token"),
    "consultation_opened": _l("Opened a public consultation"),
    "consultation_closed": _l("Closed a public consultation"),
    "consultation_data_erased": _l("Erased names and organisations of a consultation"),
    "public_comment_published": _l("Published a comment of the public"),
    "public_comment_hidden": _l("Hid a comment of the public"),
    "public_comment_answered": _l("Answered a comment of the public"),
    "public_comment_erased": _l("Erased a comment at its sender's request"),
}


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() else 1


def _render(page, region: Region | None):
    return render_template(
        "audit/log.html",
        region=region,
        page=page,
        regions=audit_log.region_names(page.events),
        actions=ACTIONS,
    )


@bp.route("/r/<slug>/audit")
@region_access(Permission.VIEW_AUDIT)
def region_log(region: Region):
    return _render(audit_log.events_page(region, _page()), region)


@bp.route("/admin/audit")
@admin_required
def programme_log():
    return _render(audit_log.events_page(None, _page()), None)
