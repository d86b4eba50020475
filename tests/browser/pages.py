"""Every page type of the app, as a person reaches it: who is signed in, where, and what they
did first (e.g. sent a form with mistakes). The accessibility, validity and screenshot tests go
through this list; test_every_page_type_is_covered fails when a new page is missing from it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Page

from tests.browser.conftest import (
    ADMIN,
    CONTRIBUTOR,
    COORDINATOR,
    REVIEWER,
    LiveServer,
)


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

    def invitation(self) -> str:
        """A fresh one-time link to set a password (the page an invited person opens)."""
        from belong.extensions import db
        from belong.models import Region, Role
        from belong.services import accounts

        with self.server.app.app_context():
            region = db.session.scalar(db.select(Region).where(Region.slug == "valdoria"))
            count = len(region.memberships)
            _, secret = accounts.invite(
                region, f"invited{count}@belong.example", "Ines Invited", Role.CONTRIBUTOR, hours=1
            )
            db.session.commit()
        return f"/set-password/{secret}"


def _submit_step_with_a_mistake(page: Page) -> None:
    page.locator("#q_core_team").fill("x" * 50_001)
    page.locator("#step-form button[value=save]").click()
    page.locator("#error-summary").wait_for()


def _submit_login_with_a_mistake(page: Page) -> None:
    page.locator("#email").fill("not an address")
    page.locator("form[novalidate] button[type=submit]").last.click()
    page.locator("#error-summary").wait_for()


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
    PageCase("contributor-input", "contributions.mine", CONTRIBUTOR, f"{V}/input"),
    PageCase("contribution-form", "contributions.new", CONTRIBUTOR, f"{V}/steps/mandate/input"),
]

# GET routes that are not HTML pages, or only reached in a state the demo does not have.
NOT_PAGES = {
    "static": "files",
    "document.asset": "the document's stylesheet",
    "document.pdf": "a PDF (checked in test_journeys and test_pdf_accessibility)",
    "document.ready": "a PDF",
    "document.status": "JSON for pdf-status.js",
    "document.preparing": "only with a PDF queue (REDIS_URL), which the browser server has not",
    "dashboard.export": "a CSV file",
    "contributions.participation_csv": "a CSV file",
    "review.pdf": "a PDF",
    "review.released_pdf": "a PDF",
    "review.review_copy": "a PDF",
    "region_data.export": "a JSON file",
}
