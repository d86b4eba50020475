"""The route matrix: every route x method x role x own / other region, built from app.url_map.

ACCESS names what each endpoint requires. A route the table does not know fails the test, so
every new route gets a line here. On every refusal the database must be exactly as before
(row counts and a hash of every row of every table).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from belong.access import ADMIN_PERMISSIONS, ROLE_PERMISSIONS, Permission, load_region
from belong.extensions import db
from belong.models import Answer, AnswerRevision, Membership, Region, Role
from belong.services import (
    accounts,
    activity,
    api_tokens,
    comments,
    consultations,
    contributions,
    documents,
    records,
    versions,
)
from belong.services import answers as answer_service
from belong.templating.registry import get_template
from tests.conftest import csrf_token, login

PUBLIC, LOGIN, ADMIN = "public", "login", "admin"
P = Permission


@dataclass(frozen=True)
class Access:
    need: str | Permission
    author_only: bool = False  # the fixture's object is someone else's: members get 403
    ok: frozenset[int] = frozenset()  # statuses that count as success besides the usual
    last: int = 0  # run after the other allowed requests (it removes something, or signs out)
    anonymous: int | None = None  # the status for visitors, when not a redirect to sign in
    # Tables a refused visitor's POST may write to (a signed-out person's text kept for them).
    kept: frozenset[str] = frozenset()
    # An API route: the client sends its person's access token, not the session cookie.
    token: bool = False


# What an API request may write even when refused: its count in the rate limiter and the
# token's last use.
API_WRITES = frozenset({"rate_limit_counts", "api_tokens"})


def api(need, **kwargs) -> Access:
    return Access(need, token=True, anonymous=401, kept=API_WRITES, **kwargs)


A = Access
ACCESS: dict[str, Access] = {
    "static": A(PUBLIC),
    "health.healthz": A(PUBLIC),
    "auth.login": A(PUBLIC),
    "auth.logout": A(LOGIN, last=3),
    "auth.set_password": A(PUBLIC),
    "account.forgot_password": A(PUBLIC),
    "account.change_password": A(LOGIN),
    "account.tokens": A(LOGIN),
    "account.revoke_token": A(LOGIN, last=1),
    "api.openapi": A(PUBLIC),
    "api.regions.index": api(LOGIN),
    "api.regions.show": api(P.VIEW),
    "api.steps.show": api(P.VIEW),
    "api.checks.index": api(P.VIEW),
    "api.records.index": api(P.VIEW),
    "api.versions.index": api(P.VIEW),
    "api.versions.show": api(P.VIEW),
    "api.versions.pdf": api(P.VIEW),
    "api.versions.docx": api(P.VIEW),
    # Nothing is released in the fixture (see review.released_pdf).
    "api.versions.released_pdf": api(P.VIEW, ok=frozenset({404})),
    "language.choose": A(PUBLIC),
    "main.index": A(LOGIN),
    "main.waiting": A(LOGIN),
    "main.favicon": A(PUBLIC),
    "main.favicon_svg": A(PUBLIC),
    "admin.regions": A(ADMIN),
    "users.index": A(ADMIN),
    "users.confirm_disable": A(ADMIN),
    "users.disable": A(ADMIN, last=1),
    "users.enable": A(ADMIN),
    "dashboard.index": A(ADMIN),
    "dashboard.export": A(ADMIN),
    "audit.programme_log": A(ADMIN),
    "notifications.index": A(LOGIN),
    "notifications.read": A(LOGIN),
    "notifications.read_all": A(LOGIN),
    "notifications.mail_preference": A(LOGIN),
    "notifications.outbox": A(ADMIN),
    "document.asset": A(PUBLIC),
    "document.in_page_css": A(PUBLIC),
    "regions.home": A(P.VIEW),
    "regions.primer": A(P.VIEW),
    "regions.language": A(P.CHANGE_LANGUAGE),
    "publication.settings": A(P.PUBLICATION_SETTINGS),
    "members.index": A(P.MANAGE_MEMBERS),
    "members.edit": A(P.MANAGE_MEMBERS),
    "members.resend": A(P.MANAGE_MEMBERS, last=1),  # the old link stops working
    "members.remove": A(P.MANAGE_MEMBERS, last=2),
    "steps.show": A(P.VIEW),
    # A signed-out form is kept, and counted against its address (rate_limit_counts).
    "steps.save": A(P.EDIT_ANSWERS, kept=frozenset({"kept_forms", "rate_limit_counts"})),
    "autosave.save": A(P.EDIT_ANSWERS, anonymous=401),  # JSON for the autosave script
    "markdown_preview.preview": A(P.EDIT_ANSWERS),  # JSON for markdown-preview.js, saves nothing
    "recovery.restore": A(P.EDIT_ANSWERS),
    "history.show": A(P.VIEW),
    "history.confirm_restore": A(P.EDIT_ANSWERS),
    "history.restore": A(P.EDIT_ANSWERS),
    "assessment.record": A(P.EDIT_ANSWERS),
    "records.new": A(P.EDIT_ANSWERS),
    "records.show": A(P.VIEW),
    "records.save": A(P.EDIT_ANSWERS),
    "records.duplicate": A(P.EDIT_ANSWERS),
    "records.move": A(P.EDIT_ANSWERS),
    "records.delete": A(P.EDIT_ANSWERS, last=1),
    "records.history": A(P.VIEW),
    "records.paste": A(P.EDIT_ANSWERS),
    "records.export": A(P.VIEW),
    "document.preview": A(P.VIEW),
    "document.pdf": A(P.VIEW),
    "document.docx": A(P.VIEW),
    "html_edition.draft": A(P.VIEW),
    # Nothing is released in the fixture (see review.released_pdf).
    "html_edition.released": A(P.VIEW, ok=frozenset({404})),
    "document.preparing": A(P.VIEW),
    "document.status": A(P.VIEW),
    "document.ready": A(P.VIEW),
    "audit.region_log": A(P.VIEW_AUDIT),
    "region_data.export": A(P.EXPORT_DATA),
    # The sample template has no actions or indicators: "not found" for members too.
    "region_data.plan_table": A(P.VIEW, ok=frozenset({404})),
    "contributions.new": A(P.CONTRIBUTE),
    "contributions.mine": A(P.CONTRIBUTE),
    "contributions.edit": A(P.CONTRIBUTE, author_only=True),
    "contributions.decide": A(P.CONSOLIDATE),
    "contributions.participation": A(P.VIEW_PARTICIPATION),
    "contributions.participation_csv": A(P.VIEW_PARTICIPATION),
    "review.index": A(P.VIEW),
    "review.check": A(P.SUBMIT_VERSION),
    "review.version": A(P.VIEW),
    "review.pdf": A(P.VIEW),
    "review.docx": A(P.VIEW),
    "review.pdf_status": A(P.VIEW),
    # Nothing is released in the fixture, so the released PDF is "not found" for members too;
    # the refusals (anonymous, outsiders) are still checked.
    "review.released_pdf": A(P.VIEW, ok=frozenset({404})),
    "review.released_status": A(P.VIEW, ok=frozenset({404})),
    "review.released_docx": A(P.VIEW, ok=frozenset({404})),
    "review.review_copy_status": A(P.VIEW_REVIEW, ok=frozenset({404})),
    "review.review_copy": A(P.VIEW_REVIEW),
    "review.compare_versions": A(P.VIEW),
    "review.new_thread": A(P.COMMENT),
    "review.reply": A(P.COMMENT),
    "review.resolve": A(P.COMMENT),
    "review.reopen": A(P.COMMENT),
    "review.edit_comment": A(P.COMMENT, author_only=True),
    "review.verdict": A(P.REVIEW),
    "review.release": A(P.RELEASE_VERSION),
    # The fixture's version is not released: the form says so (and a post records nothing).
    "adoption.record": A(P.RECORD_ADOPTION),
    # Nothing is adopted in the fixture: "not found" for members too; refusals still checked.
    "adoption.pdf": A(P.VIEW, ok=frozenset({404})),
    "adoption.status": A(P.VIEW, ok=frozenset({404})),
    # The public consultation: its page and comment form take no account.
    "consult.page": A(PUBLIC),
    "consult.comment": A(PUBLIC),
    "consultation.index": A(P.MODERATE_CONSULTATION),
    "consultation.open_new": A(P.RUN_CONSULTATION),
    "consultation.show": A(P.MODERATE_CONSULTATION),
    "consultation.close": A(P.RUN_CONSULTATION),
    "consultation.moderate": A(P.MODERATE_CONSULTATION),
    "consultation.answer": A(P.MODERATE_CONSULTATION),
    "consultation.erase": A(P.RUN_CONSULTATION),
}
ROLES = ["anonymous", "stranger", "admin", *[r.value for r in Role]]
# Object ids that belong to a region: also tried under the wrong region's address.
REGION_OBJECTS = {
    "contribution_id",
    "membership_id",
    "thread_id",
    "comment_id",
    "revision_id",
    "record_key",
}
REGION_OBJECTS |= {"consultation_id", "public_comment_id"}


@dataclass
class Place:
    """One region of the fixture and the objects in it."""

    slug: str
    ids: dict[str, object] = field(default_factory=dict)


def _person(region, role: Role, label: str):
    """A member without a password (no slow hashing): they never sign in here."""
    invitation = accounts.invite(region, f"{label}@example.org", label.title(), role, hours=1)
    return invitation.user, invitation.secret


def _build_place(make, slug: str) -> Place:
    region = make.region(slug)
    template = get_template(region.template_id).definition
    step = template.step("basics")
    coordinator, _ = _person(region, Role.COORDINATOR, f"{slug}-coordinator")
    contributor, _ = _person(region, Role.CONTRIBUTOR, f"{slug}-contributor")
    reviewer, _ = _person(region, Role.REVIEWER, f"{slug}-reviewer")
    pending, secret = _person(region, Role.EDITOR, f"{slug}-pending")
    answer_service.save_step(region, step, {"lead": "First text"}, {}, coordinator)
    answer_service.save_step(region, step, {"lead": "Second text"}, {"lead": 1}, coordinator)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == contributor.id))
    contribution = contributions.add(
        region, step, contributor, membership, body="An idea from us.", prompt_index=None
    )
    version = versions.submit(region, coordinator, "First draft")
    versions.submit(region, coordinator, "Second draft")  # two, so they can be compared
    reviewer_membership = db.session.scalar(
        select(Membership).where(Membership.user_id == reviewer.id)
    )
    thread = comments.start_thread(
        region, version, reviewer, reviewer_membership, "basics", "lead", "Please say more."
    )
    revision = db.session.scalar(
        select(AnswerRevision.id)
        .join(Answer, Answer.id == AnswerRevision.answer_id)
        .where(Answer.region_id == region.id)
        .order_by(AnswerRevision.id)
    )
    goal = records.add_record(region, "goal", {"name": "A goal"}, coordinator, key=f"goal-{slug}")
    records.add_record(region, "goal", {"name": "Another goal"}, coordinator)
    pending_membership = db.session.scalar(
        select(Membership.id).where(Membership.user_id == pending.id)
    )
    consultation, public_comment = _consultation(region, version, coordinator)
    db.session.commit()
    return Place(
        slug,
        {
            "slug": slug,
            "step_id": "basics",
            "question_id": "lead",
            "revision_id": revision,
            "contribution_id": contribution.id,
            "membership_id": pending_membership,
            "number": version.number,
            "thread_id": thread.id,
            "comment_id": thread.comments[0].id,
            "user_id": pending.id,
            "token": secret,
            "coordinator": coordinator,
            "consultation_id": consultation.id,
            "public_comment_id": public_comment.id,
            "target": "basics--lead",
            "kind_id": "goal",
            "record_key": goal.key,
        },
    )


def _consultation(region, version, coordinator):
    """An open consultation of the public on the first version, with one comment."""
    today = consultations.today()
    consultation = consultations.open_consultation(
        region,
        version,
        coordinator,
        opens_on=today,
        closes_on=today + timedelta(days=30),
        introduction="Tell us what you think.",
        categories=["ngo"],
        questions=["What matters most?"],
        privacy_notice="We keep your comment.",
        keep_personal_data_until=today + timedelta(days=200),
        publish_names=False,
    )
    comment = consultations.add_comment(
        consultation, target="basics--lead", body="A comment of the public.", consent=True
    )
    return consultation, comment


@pytest.fixture
def world(app, make, monkeypatch):
    """Two regions with one of everything; PDFs are stubbed (this test is about access)."""
    monkeypatch.setattr(documents, "document_pdf", lambda template, html: b"%PDF-1.7 stub")
    with app.test_request_context():  # the services link to pages with url_for
        return {"own": _build_place(make, "alpha"), "other": _build_place(make, "beta")}


FIXED = {
    "template_id": "sample",
    "name": "document.css",
    "filename": "belong.css",
    "key": "a" * 64,
    "table": "action-plan",
    "ext": "csv",
}


def _fill(rule, place: Place, *, owned: dict[str, int], cross: Place | None = None) -> str:
    values = {}
    for argument in rule.arguments:
        if argument in owned:
            values[argument] = owned[argument]
        elif cross is not None and argument in REGION_OBJECTS:
            values[argument] = cross.ids[argument]
        elif argument in place.ids:
            values[argument] = place.ids[argument]
        elif argument in FIXED:
            values[argument] = FIXED[argument]
        else:
            pytest.fail(
                f"{rule.endpoint}: the route matrix does not know how to fill <{argument}>; "
                "teach _build_place or FIXED to make one"
            )
    return rule.build(values)[1]


def _snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row, per table, as committed."""
    db.session.rollback()  # nothing of the test's own is pending; see only what is committed
    state = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        state[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    db.session.rollback()
    return state


def _granted(role: str, permission: Permission) -> bool:
    if role == "admin":
        return permission in ADMIN_PERMISSIONS
    if role in ("anonymous", "stranger"):
        return False
    return permission in ROLE_PERMISSIONS[Role(role)]


def _expect(access: Access, role: str, where: str) -> int | str:
    """An exact status for refusals, or "ok" / "login" / "public"."""
    need = access.need
    if need == PUBLIC:
        return "public"
    if role == "anonymous":
        return access.anonymous or "login"
    if need == LOGIN:
        return 404 if where == "cross" else "ok"
    if need == ADMIN:
        return "ok" if role == "admin" else 403
    if role == "stranger" or (where == "other" and role != "admin"):
        return 404  # outsiders cannot tell whether the region exists
    if not _granted(role, need):
        return 403
    if where == "cross":
        return 404  # an object of another region under this region's address
    return 403 if access.author_only else "ok"


def _requests(app, world, owned_ids):
    """Every (endpoint, method, url, where) the matrix tries. `owned_ids` holds, for each
    kind of a person's own object (notification, API token), one of theirs ("mine") and
    someone else's ("theirs")."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint not in ACCESS:
            continue  # test_the_table_knows_every_route names it
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            places = [("own", world["own"], None)]
            if "slug" in rule.arguments:
                places.append(("other", world["other"], None))
                if rule.arguments & REGION_OBJECTS:
                    places.append(("cross", world["own"], world["other"]))
            elif rule.arguments & owned_ids.keys():
                places.append(("cross", world["own"], None))
            for where, place, cross in places:
                whose = "theirs" if where == "cross" else "mine"
                owned = {kind: ids[whose] for kind, ids in owned_ids.items()}
                url = _fill(rule, place, owned=owned, cross=cross)
                yield rule.endpoint, method, url, where


def _sign_in(client, make, role: str):
    if role == "anonymous":
        return None
    if role == "admin":
        user = make.user(admin=True)
    elif role == "stranger":
        user = make.user()
    else:
        alpha = db.session.scalar(select(Region).where(Region.slug == "alpha"))
        user = make.user(Role(role), alpha)
    login(client, user.email)
    return user


def test_the_table_knows_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unknown = sorted(endpoints - ACCESS.keys())
    assert not unknown, f"routes missing from the matrix's ACCESS table: {unknown}"
    stale = sorted(ACCESS.keys() - endpoints)
    assert not stale, f"ACCESS names routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app, client, make, world, role):
    problems = _run_matrix(app, client, make, world, role)
    assert not problems, "\n".join(problems)


def test_the_matrix_notices_a_refusal_that_writes(app, client, make, world, monkeypatch):
    """A route that records something before refusing is reported (the matrix can fail)."""

    def leaky(slug):
        activity.record("leak")
        db.session.commit()
        load_region(slug, Permission.EDIT_ANSWERS)
        return "written"

    app.add_url_rule("/r/<slug>/leak", "leaky.leak", leaky, methods=["POST"])
    monkeypatch.setitem(ACCESS, "leaky.leak", A(P.EDIT_ANSWERS))
    problems = _run_matrix(app, client, make, world, "reviewer", only={"leaky.leak"})
    assert problems == [
        "reviewer POST /r/alpha/leak: refused but changed ['audit_events']",
        "reviewer POST /r/beta/leak: refused but changed ['audit_events']",
    ]


def _run_matrix(app, client, make, world, role: str, only: set[str] | None = None) -> list[str]:
    user = _sign_in(client, make, role)
    someone = world["own"].ids["coordinator"]
    mine = activity.notify([user or someone], "test", "For you")[0]
    theirs = activity.notify([someone], "test", "Not for you")[0]
    my_token, secret = api_tokens.create(user or someone, "Mine", 7)
    their_token, _their_secret = api_tokens.create(someone, "Theirs", 7)
    db.session.commit()
    owned_ids = {
        "note_id": {"mine": mine.id, "theirs": theirs.id},
        "token_id": {"mine": my_token.id, "theirs": their_token.id},
    }
    bearer = {"Authorization": f"Bearer {secret}"} if user else {}
    token_page = "/account/password" if user else "/login"
    token = csrf_token(client.get(token_page).get_data(as_text=True))

    cases = []
    for endpoint, method, url, where in _requests(app, world, owned_ids):
        if only is not None and endpoint not in only:
            continue
        access = ACCESS[endpoint]
        cases.append((access, endpoint, method, url, where, _expect(access, role, where)))
    refusals = [c for c in cases if isinstance(c[5], int) or c[5] == "login"]
    # What is allowed runs after the refusals; whatever ends the session or removes
    # something goes last.
    allowed = sorted((c for c in cases if c not in refusals), key=lambda c: (c[2], c[0].last))

    def send(method: str, url: str, access: Access) -> tuple[int, str]:
        headers = bearer if access.token else {}
        if method == "GET":
            response = client.get(url, headers=headers)
        else:
            response = client.post(url, data={"csrf_token": token}, headers=headers)
        response.close()  # file downloads are streamed
        return response.status_code, response.headers.get("Location", "")

    def may_write(case) -> frozenset[str]:
        if case[0].token or (role == "anonymous" and case[2] == "POST"):
            return case[0].kept
        return frozenset()

    problems = []
    before = _snapshot()
    for access, endpoint, method, url, where, expected in refusals:
        status, location = send(method, url, access)
        label = f"{role} {method} {url} ({endpoint}, {where})"
        if expected == "login":
            if status != 302 or not location.startswith("/login"):
                problems.append(f"{label}: {status}, expected a redirect to the login page")
        elif status != expected:
            problems.append(f"{label}: {status}, expected {expected}")
    # Nothing refused may change the database. One comparison for all of them; when
    # something changed, each refusal is tried again on its own to name the culprit.
    tolerated = frozenset().union(*(may_write(c) for c in refusals))
    after = _snapshot()
    if [name for name in after if after[name] != before[name] and name not in tolerated]:
        for case in refusals:
            first = _snapshot()
            send(case[2], case[3], case[0])
            then = _snapshot()
            changed = [n for n in then if then[n] != first[n] and n not in may_write(case)]
            if changed:
                problems.append(f"{role} {case[2]} {case[3]}: refused but changed {changed}")
        if not any("refused but changed" in p for p in problems):
            problems.append(f"{role}: the refused requests changed the database")

    for access, endpoint, method, url, where, _expected in allowed:
        status, location = send(method, url, access)
        label = f"{role} {method} {url} ({endpoint}, {where})"
        refused = {401, 403, 404, 405} - access.ok
        to_login = location.startswith("/login") and endpoint != "auth.logout"
        if status >= 500 or status in refused or to_login:
            problems.append(f"{label}: {status}, expected it to be allowed")
    return problems
