"""Query budgets: no page issues more SQL statements as a region, or the programme, grows.

Every GET page of the app is measured twice, on a small programme and after it grew (more
regions, members, answers, contributions, comments); the counts must be equal (no N+1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event

import belong.models as models
from belong import page_cache
from belong.extensions import db
from belong.models import Answer, Membership, Region, Role, User
from belong.services import accounts
from belong.services import regions as region_service
from belong.templating.registry import get_template
from tests.conftest import login

TEMPLATE = "intercultural-region"
FILLABLE = {"slug", "step_id", "question_id", "number"}
SKIPPED_SUFFIXES = (".pdf",)  # downloads of rendered files: their cost is the render
NOW = datetime(2026, 11, 1, tzinfo=UTC)


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _value(question, variant: int):
    kind = question.type
    if kind in ("short_text", "long_text"):
        return f"Answer {variant} to {question.id}, with **some** Markdown."
    if kind == "number":
        return 10 + variant
    if kind == "date":
        return "2026-03-01"
    if kind == "single_choice":
        return question.options[0].value
    if kind == "multiple_choice":
        return [o.value for o in question.options[:2]]
    if kind == "scale":
        return {"choice": question.options[-1].value, "evidence": f"Evidence {variant}."}
    if kind == "table":
        return [{c.id: _value(c, variant) for c in question.columns} for _ in range(3)]
    return f"value {variant}"


class Programme:
    """Builds and grows a programme with rows inserted directly (fast, no side effects)."""

    def __init__(self) -> None:
        self.template = get_template(TEMPLATE).definition
        self.people = 0
        self.regions: list[Region] = []

    def person(self, region: Region, role: Role) -> User:
        self.people += 1
        user = User(email=f"p{self.people}@example.org", name=f"Person {self.people}")
        db.session.add(user)
        db.session.flush()
        db.session.add(
            Membership(
                region_id=region.id, user_id=user.id, role=role, organisation="Org", category="ngo"
            )
        )
        return user

    def region(self, slug: str) -> Region:
        region = region_service.create_region(slug.title(), slug, TEMPLATE, period="2026-2030")
        self.regions.append(region)
        return region

    def answer(self, region: Region, steps, authors: list[User], variant: int = 1) -> None:
        """Each answer by another of `authors`: a page listing who saved what is tested."""
        n = 0
        for step in steps:
            for question in step.questions:
                n += 1
                db.session.add(
                    Answer(
                        region_id=region.id,
                        step_id=step.id,
                        question_id=question.id,
                        value=_value(question, variant),
                        updated_by_id=authors[n % len(authors)].id,
                    )
                )

    def contributions(self, region: Region, step_id: str, authors: list[User], n: int) -> None:
        contribution = getattr(models, "Contribution", None)
        if contribution is None:
            return
        for i in range(n):
            db.session.add(
                contribution(
                    region_id=region.id,
                    step_id=step_id,
                    prompt_index=None,
                    author_id=authors[i % len(authors)].id,
                    organisation=f"Organisation {i}",
                    category="ngo",
                    body=f"Input {i} with *emphasis*.",
                )
            )

    def version(self, region: Region, author: User):
        version = getattr(models, "DraftVersion", None)
        if version is None:
            return None
        row = version(
            region_id=region.id,
            number=1,
            template_id=TEMPLATE,
            template_version=self.template.version,
            answers={},
            pdf=b"%PDF-1.7 placeholder",
            sha256="0" * 64,
            submitted_by_id=author.id,
        )
        db.session.add(row)
        db.session.flush()
        return row

    def comments(self, region: Region, version, step_id: str, authors: list[User], n: int):
        thread_model = getattr(models, "CommentThread", None)
        comment_model = getattr(models, "Comment", None)
        if version is None or thread_model is None or comment_model is None:
            return
        for i in range(0, n, 4):
            thread = thread_model(
                region_id=region.id,
                version_id=version.id,
                step_id=step_id,
                question_id="",
                created_by_id=authors[i % len(authors)].id,
            )
            db.session.add(thread)
            db.session.flush()
            for j in range(min(4, n - i)):
                db.session.add(
                    comment_model(
                        region_id=region.id,
                        thread_id=thread.id,
                        author_id=authors[(i + j) % len(authors)].id,
                        body=f"Comment {i + j}.",
                    )
                )


def _urls(app, slug: str, step_id: str, question_id: str) -> list[str]:
    values = {"slug": slug, "step_id": step_id, "question_id": question_id, "number": 1}
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not set(rule.arguments) <= FILLABLE or rule.rule.endswith(SKIPPED_SUFFIXES):
            continue
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        urls.add(url)
    return sorted(urls)


def _measure(client, urls: list[str]) -> dict[str, tuple[int, int]]:
    counts = {}
    for url in urls:
        client.get(url).close()  # warm: first-request caches (templates, translations) aside
        db.session.remove()  # each request starts with an empty session, as in production
        page_cache.cache.clear()  # the page is worked out, not served from its kept body
        with counting() as statements:
            response = client.get(url)
        response.close()  # a file served whole (the favicon) is closed as a server would
        counts[url] = (response.status_code, len(statements))

    return counts


def test_no_page_issues_more_queries_as_the_programme_grows(app, client):
    build = Programme()
    template = build.template
    first, second = template.steps[0], template.steps[1]
    home = build.region("home")
    other = build.region("other")
    me = accounts.create_user("me@example.org", "Me", password="correct horse battery")
    me.is_admin = True
    db.session.add(Membership(region_id=home.id, user_id=me.id, role=Role.COORDINATOR))
    people = [build.person(home, Role.CONTRIBUTOR), build.person(home, Role.EDITOR)]
    build.person(other, Role.COORDINATOR)
    build.answer(home, [first], people[1:])
    build.contributions(home, first.id, people, 1)
    version = build.version(home, me)
    build.comments(home, version, first.id, people, 1)
    db.session.add(models.AuditEvent(user_id=me.id, region_id=home.id, action="seeded", detail={}))
    db.session.commit()

    login(client, me.email)
    urls = _urls(app, home.slug, first.id, first.questions[0].id)
    assert any(re.search(r"/r/home/steps/", u) for u in urls) and "/admin/regions" in urls
    ids = home.id, [p.id for p in people], version.id if version is not None else None
    small = _measure(client, urls)
    home, people = db.session.get(Region, ids[0]), [db.session.get(User, i) for i in ids[1]]
    version = db.session.get(models.DraftVersion, ids[2]) if ids[2] else None

    # Grow everything a page might loop over.
    people += [build.person(home, role) for role in list(Role) * 5]
    db.session.query(Answer).filter_by(region_id=home.id).delete()
    build.answer(home, template.steps, people, variant=2)
    build.contributions(home, first.id, people, 50)
    build.contributions(home, second.id, people, 10)
    build.comments(home, version, first.id, people, 20)
    build.comments(home, version, second.id, people, 8)
    for n in range(8):
        region = build.region(f"region-{n}")
        author = build.person(region, Role.COORDINATOR)
        build.person(region, Role.CONTRIBUTOR)
        build.answer(region, template.steps, [author])
    db.session.commit()
    large = _measure(client, urls)

    grew = {
        url: f"{small[url][1]} -> {large[url][1]} queries"
        for url in urls
        if large[url][1] > small[url][1]
    }
    assert not grew, f"pages whose query count grows with the data (N+1): {grew}"
    failing = {url: status for url, (status, _n) in large.items() if status >= 500}
    assert not failing, f"pages that fail: {failing}"
    core = ["/r/home/", f"/r/home/steps/{first.id}", "/r/home/document", "/admin/regions"]
    assert all(large[url][0] == 200 for url in core), {url: large[url] for url in core}


def test_admin_list_shows_the_regions_a_page_at_a_time(app, client, as_user):
    """Progress is computed per region shown, so a programme of hundreds stays fast."""
    from belong.views.admin import REGIONS_PER_PAGE

    for n in range(REGIONS_PER_PAGE + 5):
        region_service.create_region(f"Region {n:03d}", f"region-{n:03d}", TEMPLATE)
    db.session.commit()
    as_user(None, admin=True)
    first = client.get("/admin/regions").get_data(as_text=True)
    assert first.count('href="/r/region-') == 2 * REGIONS_PER_PAGE  # home and members links
    assert "Region 000" in first and f"Region {REGIONS_PER_PAGE:03d}" not in first
    assert "Next page" in first and "Previous page" not in first
    second = client.get("/admin/regions?page=2").get_data(as_text=True)
    assert f"Region {REGIONS_PER_PAGE + 4:03d}" in second and "Region 000" not in second
    assert "Previous page" in second and "Next page" not in second
    assert client.get("/admin/regions?page=99").status_code == 200  # clamped to the last page
