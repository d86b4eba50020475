"""Stored progress and scores per region: right after every kind of write, read without
loading answers, and never kept when worked out from answers that changed meanwhile."""

from __future__ import annotations

import threading
import time

from sqlalchemy import event, select, text

from belong.extensions import db
from belong.models import Answer, Region, RegionSummary, Role, User
from belong.services import answers, summaries
from belong.services.progress import StepState
from tests.conftest import csrf_token, login


def _summary_row(region) -> RegionSummary | None:
    db.session.expire_all()
    return db.session.get(RegionSummary, region.id)


def _selects_from_answers(client, url) -> int:
    seen = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT") and "FROM answers" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_home_page_keeps_the_summary_and_reads_no_answers_the_second_time(client, make):
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "lead", "Social Inclusion", coordinator)
    db.session.commit()
    login(client, coordinator.email)
    # Worked out and kept: the progress summary, and the strategy checks the home page shows.
    assert _selects_from_answers(client, "/r/alpha/") == 2
    row = _summary_row(region)
    assert row is not None and row.steps[0][0] == "in_progress" and row.steps[0][1] == 1
    assert _selects_from_answers(client, "/r/alpha/") == 0  # read from the stored summary


def test_a_saved_step_shows_at_once_on_home_page_and_dashboard(app, client, make):
    region = make.region("alpha")
    editor = make.user(Role.EDITOR, region)
    admin = app.test_client()
    login(admin, make.user(admin=True).email)
    assert '<td class="n">0%</td>' in admin.get("/admin/dashboard/").get_data(as_text=True)
    login(client, editor.email)
    assert "0 of 2 steps completed" in client.get("/r/alpha/").get_data(as_text=True)
    assert _summary_row(region) is not None

    page = client.get("/r/alpha/steps/basics").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "action": "save"}
    form.update({"q_lead": "Social Inclusion", "q_statement": "We commit.", "q_kind": ""})
    assert client.post("/r/alpha/steps/basics", data=form).status_code == 302

    assert "1 of 2 steps completed" in client.get("/r/alpha/").get_data(as_text=True)
    assert '<td class="n">50%</td>' in admin.get("/admin/dashboard/").get_data(as_text=True)


def test_writes_outside_the_step_form_make_the_summary_stale(app, make):
    """Imports, restores and adopted input all write answers through the session."""
    region = make.region("alpha")
    user = make.user(Role.COORDINATOR, region)
    with app.test_request_context():
        assert summaries.summary(region).percent == 0
    db.session.commit()
    revision = db.session.get(Region, region.id).answers_revision
    answers.set_answer(region, "basics", "lead", "Lead", user)
    answers.set_answer(region, "basics", "statement", "Statement", user)
    db.session.commit()
    assert _summary_row(region) is None  # removed in the same transaction as the write
    assert db.session.get(Region, region.id).answers_revision > revision
    with app.test_request_context():
        found = summaries.summary(region)
    assert found.progress[0].state is StepState.COMPLETED and found.percent == 50

    # Removing an answer counts as a write too.
    db.session.delete(db.session.scalar(select(Answer).where(Answer.question_id == "lead")))
    db.session.commit()
    with app.test_request_context():
        assert summaries.summary(region).progress[0].state is StepState.IN_PROGRESS


def test_a_summary_worked_out_from_older_answers_is_not_trusted(app, make):
    """A reader that loaded the answers just before a save landed, and stored its figures
    after the save removed the summary, must not be believed: it stamped the revision it read
    before the answers, which the save has since bumped."""
    region = make.region("alpha")
    user = make.user(Role.COORDINATOR, region)
    with app.test_request_context():
        key = summaries.all_templates()["sample"].definition_key
    before = db.session.get(Region, region.id).answers_revision
    answers.set_answer(region, "basics", "lead", "Lead", user)
    answers.set_answer(region, "basics", "statement", "Statement", user)
    db.session.commit()
    late = RegionSummary(
        region_id=region.id,
        answers_revision=before,
        template_key=key,
        percent=0,
        steps=[["not_started", 0, ["lead", "statement"]], ["not_started", 0, ["actions"]]],
        overall=None,
        areas={},
    )
    db.session.add(late)
    db.session.commit()
    with app.test_request_context():
        found = summaries.summary(region)
        db.session.commit()
    assert found.percent == 50 and found.progress[0].state is StepState.COMPLETED
    assert (
        _summary_row(region).answers_revision == db.session.get(Region, region.id).answers_revision
    )


def test_an_edited_template_makes_every_summary_stale(app, make):
    region = make.region("alpha")
    with app.test_request_context():
        summaries.summary(region)
        db.session.commit()
    row = _summary_row(region)
    row.template_key = "sample:an-earlier-definition"
    row.percent = 99
    db.session.commit()
    with app.test_request_context():
        assert summaries.summary(region).percent == 0
        db.session.commit()
    assert _summary_row(region).template_key != "sample:an-earlier-definition"


def test_summaries_go_with_their_region(app, make):
    region = make.region("alpha")
    with app.test_request_context():
        summaries.summary(region)
        db.session.commit()
    assert _summary_row(region) is not None
    db.session.delete(db.session.get(Region, region.id))
    db.session.commit()
    assert db.session.scalars(select(RegionSummary)).all() == []


def test_programme_lists_page_regions_and_sort_across_all_of_them(app, client, make):
    """The dashboard shows 25 regions a page and the admin list 50; sorting by progress puts
    the most advanced region first even when its name sorts last."""
    regions = [make.region(f"r{i:02d}", name=f"Region {i:02d}") for i in range(56)]
    user = make.user(Role.COORDINATOR, regions[-1])
    answers.set_answer(regions[-1], "basics", "lead", "Lead", user)
    answers.set_answer(regions[-1], "basics", "statement", "Statement", user)
    db.session.commit()
    login(client, make.user(admin=True).email)

    first = client.get("/admin/dashboard/").get_data(as_text=True)
    assert first.count('<th scope="row"><a href="/r/') == 25
    assert "Page 1 of 3 (56 regions)" in first and "Region 00" in first
    assert "Region 55" not in first
    last = client.get("/admin/dashboard/?page=3").get_data(as_text=True)
    assert last.count('<th scope="row"><a href="/r/') == 6 and "Region 55" in last

    by_progress = client.get("/admin/dashboard/?sort=progress&dir=desc").get_data(as_text=True)
    assert by_progress.index("Region 55") < by_progress.index("Region 00")
    assert '<td class="n">50%</td>' in by_progress
    assert 'href="/admin/dashboard/?sort=progress&amp;dir=desc&amp;page=2"' in by_progress

    csv_rows = client.get("/admin/dashboard/regions.csv").get_data(as_text=True).splitlines()
    assert len(csv_rows) == 57  # the header and every region, not one page

    admin_list = client.get("/admin/regions?page=2").get_data(as_text=True)
    assert "Page 2 of 2 (56 regions)" in admin_list and "Region 55" in admin_list
    assert "50%" in admin_list


def test_a_page_does_not_wait_for_a_long_write_to_keep_a_summary(app, client, make):
    """Keeping a summary is optional for a page that only reads: while another transaction
    holds the lock (say, a version being rendered and stored), the page answers at once
    with the right figures and leaves the summary to a later reader."""
    region = make.region("alpha")
    coordinator = make.user(Role.COORDINATOR, region)
    answers.set_answer(region, "basics", "lead", "Lead", coordinator)
    email, region_id = coordinator.email, region.id
    db.session.commit()
    login(client, email)
    db.session.close()  # this test's own session holds no lock either
    with db.engine.connect() as other:
        if other.dialect.name == "sqlite":
            other.exec_driver_sql("SELECT 1")  # begins IMMEDIATE: holds the write lock
        else:
            other.exec_driver_sql("LOCK TABLE region_summaries IN SHARE MODE")
            # Should the page wait for the lock after all, end the other transaction in 8 s
            # so that the test fails on the time it took instead of hanging.
            pid = other.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            timer = threading.Timer(8, _end_backend, args=(db.engine, pid))
            timer.start()
        started = time.monotonic()
        page = client.get("/r/alpha/")
        waited = time.monotonic() - started
        if other.dialect.name != "sqlite":
            timer.cancel()
        other.rollback()
    assert page.status_code == 200 and "0 of 2 steps completed" in page.get_data(as_text=True)
    assert "In progress" in page.get_data(as_text=True)
    assert waited < 5  # the database would have waited up to 10 s for the lock
    assert db.session.get(RegionSummary, region_id) is None
    # The next reader who works the figures out keeps them (the first reader's page body is
    # itself kept by the page cache, so this is another member).
    other = app.test_client()
    login(other, make.user(Role.EDITOR, db.session.get(Region, region_id)).email)
    assert other.get("/r/alpha/").status_code == 200
    assert db.session.get(RegionSummary, region_id) is not None


def _end_backend(engine, pid: int) -> None:
    with engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()


def test_a_save_landing_while_a_reader_works_out_the_summary_never_fails_the_page(app, make):
    """A reader finds a stale stored summary and works the figures out; meanwhile a save
    lands and removes that row. Storing the figures then finds no row to update (or, had
    another reader stored it, one to collide with): the page must still answer, and the
    next reader must see the saved answer."""
    region = make.region("alpha")
    user = make.user(Role.COORDINATOR, region)
    reader = app.test_client()
    login(reader, make.user(Role.EDITOR, region).email)
    with app.test_request_context():
        key = summaries.all_templates()["sample"].definition_key
    stale = db.session.get(Region, region.id).answers_revision
    db.session.execute(
        Region.__table__.update().values(answers_revision=Region.answers_revision + 1)
    )
    db.session.add(
        RegionSummary(
            region_id=region.id,
            answers_revision=stale,  # made before the last save: not trusted
            template_key=key,
            percent=0,
            steps=[["not_started", 0, ["lead", "statement"]], ["not_started", 0, ["actions"]]],
            overall=None,
            areas={},
        )
    )
    region_id, user_id = region.id, user.id
    db.session.commit()
    db.session.remove()
    reading, landed = threading.get_ident(), []

    def save_meanwhile() -> None:
        with app.app_context():
            saving, author = db.session.get(Region, region_id), db.session.get(User, user_id)
            answers.set_answer(saving, "basics", "lead", "Lead", author)
            answers.set_answer(saving, "basics", "statement", "Statement", author)
            db.session.commit()
            landed.append(True)

    def while_reading_answers(_conn, _cursor, statement, *_args):
        if threading.get_ident() == reading and "FROM answers" in statement and not landed:
            writer = threading.Thread(target=save_meanwhile)
            writer.start()
            writer.join(timeout=30)

    event.listen(db.engine, "before_cursor_execute", while_reading_answers)
    try:
        page = reader.get("/r/alpha/")
    finally:
        event.remove(db.engine, "before_cursor_execute", while_reading_answers)
    assert landed, "the save did not land while the page read the answers"
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    db.session.remove()  # the page's transaction (here the test's own session) is over
    later = app.test_client()
    login(later, make.user(Role.EDITOR, db.session.get(Region, region_id)).email)
    assert "1 of 2 steps completed" in later.get("/r/alpha/").get_data(as_text=True)
