"""Every page type of the app, as a person reaches it: who is signed in, where, and what they
did first (e.g. sent a form with mistakes). The accessibility, validity and screenshot tests go
through this list; test_every_page_type_is_covered fails when a new page is missing from it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Page

from belong.demo.seed import PASSWORD
from tests.browser.conftest import (
    ADMIN,
    CONTRIBUTOR,
    COORDINATOR,
    REVIEWER,
    LiveServer,
)

TWO_REGIONS = "two.regions@belong.example"  # made on first use, by Site.person_in_two_regions


class Site:
    """Finds the address of a page the way a person would: by following a link."""

    def __init__(self, server: LiveServer, request_for: Callable[[str | None], object]):
        self.server = server
        self.request_for = request_for

    def link(self, who: str | None, start: str, pattern: str) -> str:
        html = self.request_for(who).get(self.server(start)).text()
        found = re.search(rf'href="({pattern})"', html)
        assert found, f"no link matching {pattern!r} on {start} for {who}"
        return found.group(1).replace("&amp;", "&")

    def contribution_to_edit(self) -> str:
        """The contributor's own input that the team has not decided on (sent here if needed)."""
        pattern = rf"{V}/input/\d+/edit"
        html = self.request_for(CONTRIBUTOR).get(self.server(f"{V}/input")).text()
        if not re.search(pattern, html):
            form_url = self.server(f"{V}/steps/mandate/input")
            page = self.request_for(CONTRIBUTOR).get(form_url).text()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            sent = self.request_for(CONTRIBUTOR).post(
                form_url,
                form={"csrf_token": token, "prompt": "general", "body": "A remark to edit."},
            )
            assert sent.ok, sent.status
        return self.link(CONTRIBUTOR, f"{V}/input", pattern)

    def revision_to_restore(self) -> str:
        """The confirmation page for restoring an earlier text (a second save made if needed)."""
        history = f"{V}/steps/mandate/lead_department/history"
        pattern = r'[^"]+/history/\d+/restore'
        html = self.request_for(COORDINATOR).get(self.server(history)).text()
        if not re.search(pattern, html):
            from belong.extensions import db
            from belong.models import Region, User
            from belong.services import answers
            from belong.templating.registry import get_template

            with self.server.app.app_context():
                region = db.session.scalar(db.select(Region).where(Region.slug == "valdoria"))
                step = get_template(region.template_id).definition.step("mandate")
                current = answers.step_answers(region, step)
                values = {qid: a.value for qid, a in current.items()}
                values["lead_department"] = f"{values.get('lead_department') or ''} (revised)"
                user = db.session.scalar(db.select(User).where(User.email == COORDINATOR))
                versions = {qid: a.version for qid, a in current.items()}
                answers.save_step(region, step, values, versions, user)
                db.session.commit()
        return self.link(COORDINATOR, history, pattern)

    def consultation(self) -> str:
        """The team's page of Valdoria's first consultation of the public."""
        return self.link(COORDINATOR, f"{V}/consultation", rf"{V}/consultation/\d+")

    def contribution_to_decide(self) -> str:
        """Input on a Valdoria step that the team has not adopted yet."""
        from belong.extensions import db
        from belong.models import Contribution, ContributionStatus, Region

        with self.server.app.app_context():
            found = db.session.scalar(
                db.select(Contribution.id)
                .join(Region, Region.id == Contribution.region_id)
                .where(Region.slug == "valdoria")
                .where(Contribution.status != ContributionStatus.ADOPTED)
                .order_by(Contribution.id)
            )
        assert found, "the demo has no input left to decide on"
        return f"/r/valdoria/input/{found}/decide"

    def person_in_two_regions(self) -> str:
        """A demo person who belongs to both regions, so their start page lists them."""
        from belong.extensions import db
        from belong.models import Region, Role, User
        from belong.services import accounts

        with self.server.app.app_context():
            if db.session.scalar(db.select(User.id).where(User.email == TWO_REGIONS)) is None:
                accounts.create_user(TWO_REGIONS, "Teodora Dvojak", password=PASSWORD)
                for slug in ("valdoria", "nordmark"):
                    region = db.session.scalar(db.select(Region).where(Region.slug == slug))
                    accounts.invite(region, TWO_REGIONS, "Teodora Dvojak", Role.REVIEWER, hours=1)
                db.session.commit()
        return "/"

    def invitation(self) -> str:
        """A fresh one-time link to set a password (the page an invited person opens)."""
        from belong.extensions import db
        from belong.models import Region, Role
        from belong.services import accounts

        with self.server.app.app_context():
            region = db.session.scalar(db.select(Region).where(Region.slug == "valdoria"))
            count = len(region.memberships)
            secret = accounts.invite(
                region, f"invited{count}@belong.example", "Ines Invited", Role.CONTRIBUTOR, hours=1
            ).secret
            db.session.commit()
        return f"/set-password/{secret}"

    def token_to_revoke(self) -> str:
        """The confirmation page for revoking one of the coordinator's API tokens (one made
        if they have none)."""
        from belong.extensions import db
        from belong.models import User
        from belong.services import api_tokens

        with self.server.app.app_context():
            user = db.session.scalar(db.select(User).where(User.email == COORDINATOR))
            if not api_tokens.tokens_of(user):
                api_tokens.create(user, "Reporting script", 30)
                db.session.commit()
        return self.link(COORDINATOR, "/account/tokens", r"/account/tokens/\d+/revoke")


def _make_a_token(page: Page) -> None:
    page.locator("#name").fill("Monitoring dashboard")
    page.locator("form[novalidate] button[type=submit]").last.click()
    page.locator("#new-token").wait_for()


def _submit_step_with_a_mistake(page: Page) -> None:
    page.locator("#q_core_team").fill("x" * 50_001)
    page.locator("#step-form button[value=save]").click()
    page.locator("#error-summary").wait_for()


def _choose_another_language(page: Page) -> None:
    page.select_option("#language", "es")
    page.click("form:has(#language) button[type=submit]")
    page.wait_for_load_state()


def _submit_login_with_a_mistake(page: Page) -> None:
    page.locator("#email").fill("not an address")
    page.locator("form[novalidate] button[type=submit]").last.click()
    page.locator("#error-summary").wait_for()


# Two stakeholders as a spreadsheet copies them, one with a category that is no option.
PASTED_STAKEHOLDERS = (
    "Organisation or group\tCategory\tInterest\n"
    "Harbour Youth Club\tNGO or foundation\thigh\n"
    "Valley Bakers' Guild\tbakers\tmedium\n"
)


def _preview_a_paste(page: Page) -> None:
    page.locator("#rows").fill(PASTED_STAKEHOLDERS)
    page.locator("button[name=action][value=preview]").click()  # "Preview" in any language
    page.locator("#preview-heading").wait_for()


def _open_the_add_panel(page: Page) -> None:
    page.locator("#records-stakeholder a[data-record-add]").click()
    page.locator(".record-panel form").wait_for()


@dataclass(frozen=True)
class PageCase:
    name: str
    endpoint: str
    who: str | None
    path: str | Callable[[Site], str]
    act: Callable[[Page], None] | None = None
    status: int = 200
    tags: tuple[str, ...] = field(default=())

    def resolve(self, site: Site) -> str:
        return self.path if isinstance(self.path, str) else self.path(site)


V = "/r/valdoria"
PAGES: list[PageCase] = [
    PageCase("login", "auth.login", None, "/login", tags=("screenshot",)),
    PageCase("login-errors", "auth.login", None, "/login", act=_submit_login_with_a_mistake),
    PageCase("forgot-password", "account.forgot_password", None, "/forgot-password"),
    PageCase("set-password", "auth.set_password", None, lambda s: s.invitation()),
    PageCase("link-not-valid", "auth.set_password", None, "/set-password/not-a-token", status=404),
    PageCase("not-found", "regions.home", COORDINATOR, "/r/nowhere/", status=404),
    PageCase("region-home", "regions.home", COORDINATOR, f"{V}/", tags=("screenshot",)),
    PageCase("primer", "regions.primer", COORDINATOR, f"{V}/primer", tags=("screenshot",)),
    PageCase("region-language", "regions.language", COORDINATOR, f"{V}/settings/language"),
    PageCase(
        "publication-settings",
        "publication.settings",
        COORDINATOR,
        f"{V}/settings/publication",
        tags=("screenshot",),
    ),
    PageCase(
        "region-language-confirm",
        "regions.language",
        ADMIN,
        f"{V}/settings/language",
        act=_choose_another_language,
        tags=("screenshot",),
    ),
    PageCase("step", "steps.show", COORDINATOR, f"{V}/steps/mandate", tags=("screenshot",)),
    PageCase(
        "step-errors",
        "steps.show",
        COORDINATOR,
        f"{V}/steps/mandate",
        act=_submit_step_with_a_mistake,
        tags=("screenshot",),
    ),
    PageCase("step-table", "steps.show", COORDINATOR, f"{V}/steps/action_plan"),
    PageCase("step-scores", "steps.show", COORDINATOR, f"{V}/steps/self_assessment"),
    PageCase("step-read-only", "steps.show", REVIEWER, f"{V}/steps/mandate"),
    PageCase("preview", "document.preview", COORDINATOR, f"{V}/document", tags=("screenshot",)),
    PageCase("members", "members.index", COORDINATOR, f"{V}/members", tags=("screenshot",)),
    PageCase(
        "member-edit",
        "members.edit",
        COORDINATOR,
        lambda s: s.link(COORDINATOR, f"{V}/members", rf"{V}/members/\d+"),
    ),
    PageCase(
        "member-remove",
        "members.remove",
        COORDINATOR,
        lambda s: s.link(COORDINATOR, f"{V}/members", rf"{V}/members/\d+/remove"),
    ),
    PageCase("admin-regions", "admin.regions", ADMIN, "/admin/regions", tags=("screenshot",)),
    PageCase("account-password", "account.change_password", COORDINATOR, "/account/password"),
    PageCase("account-tokens", "account.tokens", COORDINATOR, "/account/tokens"),
    PageCase(
        "account-token-made",
        "account.tokens",
        COORDINATOR,
        "/account/tokens",
        act=_make_a_token,
        tags=("screenshot",),
    ),
    PageCase("token-revoke", "account.revoke_token", COORDINATOR, lambda s: s.token_to_revoke()),
    PageCase("contributor-input", "contributions.mine", CONTRIBUTOR, f"{V}/input"),
    PageCase("contribution-form", "contributions.new", CONTRIBUTOR, f"{V}/steps/mandate/input"),
    PageCase(
        "contribution-edit",
        "contributions.edit",
        CONTRIBUTOR,
        lambda s: s.contribution_to_edit(),
    ),
    PageCase(
        "contribution-decide",
        "contributions.decide",
        COORDINATOR,
        lambda s: s.contribution_to_decide(),
    ),
    PageCase("participation", "contributions.participation", COORDINATOR, f"{V}/participation"),
    PageCase(
        "answer-history",
        "history.show",
        COORDINATOR,
        lambda s: s.link(COORDINATOR, f"{V}/steps/mandate", rf"{V}/steps/mandate/\w+/history"),
    ),
    PageCase(
        "restore-confirm",
        "history.confirm_restore",
        COORDINATOR,
        lambda s: s.revision_to_restore(),
    ),
    PageCase("record-new", "records.new", COORDINATOR, f"{V}/records/action/new"),
    PageCase(
        "stakeholder-list",
        "steps.show",
        COORDINATOR,
        f"{V}/steps/stakeholders",
        act=_open_the_add_panel,
        tags=("screenshot",),
    ),
    PageCase(
        "stakeholder-edit",
        "records.show",
        COORDINATOR,
        f"{V}/records/stakeholder/stakeholder-1",
        tags=("screenshot",),
    ),
    PageCase(
        "record-paste",
        "records.paste",
        COORDINATOR,
        f"{V}/records/stakeholder/paste",
        tags=("screenshot",),
    ),
    PageCase(
        "record-paste-preview",
        "records.paste",
        COORDINATOR,
        f"{V}/records/stakeholder/paste",
        act=_preview_a_paste,
        tags=("screenshot",),
    ),
    PageCase("record-edit", "records.show", COORDINATOR, f"{V}/records/action/action-1"),
    PageCase(
        "record-delete", "records.delete", COORDINATOR, f"{V}/records/objective/objective-2/delete"
    ),
    PageCase(
        "record-history", "records.history", COORDINATOR, f"{V}/records/action/action-1/history"
    ),
    PageCase("versions", "review.index", COORDINATOR, f"{V}/versions/", tags=("screenshot",)),
    PageCase("version", "review.version", REVIEWER, f"{V}/versions/2", tags=("screenshot",)),
    PageCase(
        "check-answers", "review.check", COORDINATOR, f"{V}/versions/check", tags=("screenshot",)
    ),
    PageCase("compare-versions", "review.compare_versions", COORDINATOR, f"{V}/versions/compare"),
    PageCase(
        "comment-edit",
        "review.edit_comment",
        REVIEWER,
        lambda s: s.link(REVIEWER, f"{V}/versions/2", rf"{V}/versions/comments/\d+/edit"),
    ),
    PageCase("release", "review.release", COORDINATOR, f"{V}/versions/2/release"),
    # the demo's v2 is not released: the page says only a released version can be adopted
    PageCase("adoption", "adoption.record", COORDINATOR, f"{V}/versions/2/adoption"),
    PageCase("region-audit", "audit.region_log", COORDINATOR, f"{V}/audit"),
    PageCase("programme-audit", "audit.programme_log", ADMIN, "/admin/audit"),
    PageCase("dashboard", "dashboard.index", ADMIN, "/admin/dashboard/", tags=("screenshot",)),
    PageCase("people", "users.index", ADMIN, "/admin/users/"),
    PageCase(
        "disable-confirm",
        "users.confirm_disable",
        ADMIN,
        lambda s: s.link(ADMIN, "/admin/users/", r"/admin/users/\d+/disable"),
    ),
    PageCase("notifications", "notifications.index", COORDINATOR, "/notifications/"),
    PageCase("waiting-for-you", "main.waiting", COORDINATOR, "/waiting"),
    PageCase("outbox", "notifications.outbox", ADMIN, "/notifications/outbox"),
    PageCase("start-page", "main.index", TWO_REGIONS, lambda s: s.person_in_two_regions()),
    PageCase("consult", "consult.page", None, "/consult/valdoria", tags=("screenshot",)),
    PageCase(
        "consult-comment",
        "consult.comment",
        None,
        "/consult/valdoria/comment/vision--vision_statement",
    ),
    PageCase("consultation", "consultation.index", COORDINATOR, f"{V}/consultation"),
    PageCase("consultation-open", "consultation.open_new", COORDINATOR, f"{V}/consultation/new"),
    PageCase(
        "consultation-comments",
        "consultation.show",
        COORDINATOR,
        lambda s: s.consultation() + "?state=all",
        tags=("screenshot",),
    ),
    PageCase(
        "consultation-close",
        "consultation.close",
        COORDINATOR,
        lambda s: s.consultation() + "/close",
    ),
    PageCase(
        "consultation-answer",
        "consultation.answer",
        COORDINATOR,
        lambda s: s.link(
            COORDINATOR, s.consultation() + "?state=all", rf"{V}/consultation/comments/\d+/answer"
        ),
    ),
    PageCase(
        "consultation-erase",
        "consultation.erase",
        COORDINATOR,
        lambda s: s.link(
            COORDINATOR, s.consultation() + "?state=all", rf"{V}/consultation/comments/\d+/erase"
        ),
    ),
]

# GET routes that are not HTML pages, or only reached in a state the demo does not have.
NOT_PAGES = {
    "static": "files",
    "main.favicon": "the site icon, for browsers that ask at the root",
    "main.favicon_svg": "the site icon as SVG, linked by every page",
    "document.asset": "the document's stylesheet",
    "document.in_page_css": "the document's stylesheet, scoped for a document inside a page",
    "document.pdf": "a PDF (checked in test_journeys and test_pdf_accessibility)",
    "document.ready": "a PDF",
    "document.docx": "a Word document (checked in test_word_export)",
    "html_edition.draft": "an HTML file to download (checked in test_html_edition)",
    "html_edition.released": "an HTML file to download (checked in test_html_edition)",
    "document.status": "JSON for pdf-status.js",
    "markdown_preview.preview": "JSON for markdown-preview.js",
    "document.preparing": "only while a PDF renders (test_pdf_preparing; the server waits)",
    "dashboard.export": "a CSV file",
    "contributions.participation_csv": "a CSV file",
    "review.pdf": "a PDF",
    "review.docx": "a Word document (checked in test_word_export)",
    "review.pdf_status": "JSON for pdf-status.js",
    "review.released_status": "JSON for pdf-status.js (the released PDF)",
    "review.review_copy_status": "JSON for pdf-status.js (the review copy)",
    "review.released_pdf": "a PDF",
    "review.released_docx": "a Word document (checked in test_word_export)",
    "review.review_copy": "a PDF",
    "adoption.pdf": "a PDF (the adopted edition; checked in test_adoption)",
    "adoption.status": "JSON for pdf-status.js (the adopted edition)",
    "region_data.export": "a JSON file",
    "region_data.plan_table": "a CSV or JSON file",
    "records.export": "a CSV file",
    "api.openapi": "JSON: the API's OpenAPI description",
    "api.regions.index": "JSON (API)",
    "api.regions.show": "JSON (API)",
    "api.steps.show": "JSON (API)",
    "api.versions.index": "JSON (API)",
    "api.versions.show": "JSON (API)",
    "api.versions.pdf": "a PDF (API)",
    "api.versions.docx": "a Word document (API)",
    "api.checks.index": "JSON (API)",
    "api.records.index": "JSON (API)",
    "api.versions.released_pdf": "a PDF (API)",
    "health.healthz": "JSON for the load balancer",
    "recovery.restore": "the step page (checked as step) with text kept over a sign-in",
}
