"""Backups and the region export: the copy is whole, and a region's data survives a round
trip through JSON into an empty database unchanged."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from sqlalchemy import select

from belong.extensions import db
from belong.models import Answer, AnswerRevision, AuditEvent, Membership, Region, Role, User
from belong.services import activity, backup, publication, region_export
from belong.services import answers as answer_service
from tests.conftest import _empty_tables, login
from tests.test_publication import png

STEP = "/r/alpha/steps/basics"


def _sample_region(make):
    """A region with members, answers of every shape, a history, and audit events."""
    region = make.region("alpha", name="Región Ålpha – ‮RTL‬ 🌍")
    coordinator = make.user(Role.COORDINATOR, region)
    editor = make.user(Role.EDITOR, region)
    admin = make.user(admin=True)
    values = [
        ("basics", "lead", "Département de l'inclusion"),
        ("basics", "statement", "Line one\n\n**bold** — مرحبا 🎉"),
        ("basics", "budget", 250000),
        ("basics", "levels", ["local", "regional"]),
        ("assess", "public_statement", {"choice": "partly", "evidence": "2024"}),
        ("assess", "actions", [{"action": "Desks", "cost": 1200.5, "due": None}]),
    ]
    for step_id, question_id, value in values:
        answer_service.set_answer(region, step_id, question_id, value, coordinator)
    answer_service.set_answer(region, "basics", "lead", "Second lead text", editor)
    activity.record("login", user=editor)
    activity.record("answers_saved", region, user=editor, step="basics", questions=["lead"])
    activity.record("pdf_downloaded", region, user=admin)
    publication.save(
        region,
        coordinator,
        {"accent": "#1d5a8c", "publisher": "Office ✓", "licence": "cc-by-4.0"},
        logo=publication.check_image(png()),
    )
    db.session.commit()
    return region


def _export(slug: str = "alpha") -> str:
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    return region_export.to_json(region_export.export_region(region))


def test_export_holds_members_answers_and_their_history(app, make):
    _sample_region(make)
    data = json.loads(_export())
    assert data["format"] == "belong-region-export"
    assert data["region"]["name"] == "Región Ålpha – ‮RTL‬ 🌍"
    tables = data["tables"]
    assert sorted(m["role"] for m in tables["memberships"]) == ["coordinator", "editor"]
    lead = next(a for a in tables["answers"] if a["question_id"] == "lead")
    assert lead["value"] == "Second lead text" and lead["version"] == 2
    history = [r["value"] for r in tables["answer_revisions"] if r["answer_id"] == lead["id"]]
    assert history == ["Département de l'inclusion", "Second lead text"]
    assert {p["email"] for p in data["people"]} >= {m["user_id"] for m in tables["memberships"]}
    assert "login" not in {e["action"] for e in tables["audit_events"]}  # not this region's
    (settings,) = tables["publication_settings"]
    (logo,) = tables["publication_images"]
    assert settings["logo_sha256"] == logo["sha256"] and settings["publisher"] == "Office ✓"


def test_round_trip_into_an_empty_database_is_identical(app, make, tmp_path):
    _sample_region(make)
    first = _export()
    _empty_tables()  # every row of every table gone: an empty database
    assert db.session.scalar(select(User.id)) is None
    region_export.import_region(json.loads(first))
    db.session.commit()
    db.session.expire_all()
    assert _export() == first
    # ...and the imported data works: the history and the version check carry on.
    answer = db.session.scalar(select(Answer).where(Answer.question_id == "lead"))
    assert answer.version == 2
    revisions = db.session.scalars(
        select(AnswerRevision.version).where(AnswerRevision.answer_id == answer.id)
    )
    assert sorted(revisions) == [1, 2]
    users = db.session.scalars(select(User))
    assert all(user.password_hash is None for user in users)  # they set one by reset link


def test_cli_export_and_import_round_trip(app, make, runner, tmp_path):
    _sample_region(make)
    exported = tmp_path / "alpha.json"
    result = runner.invoke(args=["export-region", "alpha", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    _empty_tables()
    result = runner.invoke(args=["import-region", str(exported)])
    assert result.exit_code == 0, result.output
    assert "Imported region 'alpha'" in result.output
    again = tmp_path / "again.json"
    assert runner.invoke(args=["export-region", "alpha", "-o", str(again)]).exit_code == 0
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_import_refuses_a_taken_short_name_and_garbage_without_half_saving(
    app, make, runner, tmp_path
):
    _sample_region(make)
    exported = tmp_path / "alpha.json"
    exported.write_text(_export(), encoding="utf-8")
    regions_before = db.session.query(Region).count()
    result = runner.invoke(args=["import-region", str(exported)])
    assert result.exit_code == 1
    assert "a region with the short name 'alpha' exists already" in result.output
    broken = json.loads(exported.read_text(encoding="utf-8"))
    broken["region"]["slug"] = "beta"
    broken["tables"]["answer_revisions"][0]["answer_id"] = 999  # points at nothing
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    result = runner.invoke(args=["import-region", str(path)])
    assert result.exit_code == 1
    assert "nothing imported: answer_revisions, row 1" in result.output
    not_json = tmp_path / "not.json"
    not_json.write_text("{nope", encoding="utf-8")
    assert "is not readable JSON" in runner.invoke(args=["import-region", str(not_json)]).output
    db.session.expire_all()
    assert db.session.query(Region).count() == regions_before
    assert db.session.scalar(select(Region).where(Region.slug == "beta")) is None


def test_import_refuses_images_and_colours_the_settings_page_would_refuse(app, make):
    _sample_region(make)
    data = json.loads(_export())
    data["region"]["slug"] = "beta"
    data["tables"]["publication_images"][0]["data"] = "PHN2Zz48L3N2Zz4="  # <svg></svg>
    data["tables"]["publication_settings"][0]["accent"] = "#ffff00"
    with pytest.raises(region_export.ImportRefused) as refused:
        region_export.import_region(data)
    message = str(refused.value)
    assert "publication_images[0].data: The file is not a PNG or JPEG image" in message
    assert "publication_settings[0].accent: This colour is too light" in message
    db.session.rollback()
    assert db.session.scalar(select(Region).where(Region.slug == "beta")) is None


def test_coordinator_and_admin_download_the_export_others_cannot(app, make):
    _sample_region(make)
    region = db.session.scalar(select(Region))
    editor = app.test_client()
    login(editor, make.user(Role.EDITOR, region).email)
    assert editor.get("/r/alpha/export.json").status_code == 403
    assert "Download all data" not in editor.get("/r/alpha/").get_data(as_text=True)
    coordinator = db.session.scalar(
        select(User).join(Membership).where(Membership.role == Role.COORDINATOR)
    )
    admin = db.session.scalar(select(User).where(User.is_admin))
    for user in (coordinator, admin):
        client = app.test_client()
        login(client, user.email)
        assert "Download all data" in client.get("/r/alpha/").get_data(as_text=True)
        response = client.get("/r/alpha/export.json")
        assert response.status_code == 200
        assert re.fullmatch(
            r'attachment; filename="belong-alpha-\d{8}\.json"',
            response.headers["Content-Disposition"],
        )
        assert json.loads(response.get_data(as_text=True))["region"]["slug"] == "alpha"
    exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "region_exported"))
    assert {e.user_id for e in exports} == {coordinator.id, admin.id}
    outsider = app.test_client()
    login(outsider, make.user(Role.COORDINATOR, make.region("beta")).email)
    assert outsider.get("/r/alpha/export.json").status_code == 404


def test_backup_copies_a_live_wal_database_and_checks_it(tmp_path):
    """Rows still in the WAL file (not yet checkpointed) are in the copy."""
    source = tmp_path / "live.sqlite"
    writer = sqlite3.connect(source)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, value TEXT)")
    writer.executemany("INSERT INTO answers (value) VALUES (?)", [(f"t{i}",) for i in range(500)])
    writer.commit()
    assert (tmp_path / "live.sqlite-wal").stat().st_size > 0
    target = tmp_path / "copies" / "backup.sqlite"
    report = backup.backup_sqlite(f"sqlite:///{source}", target)
    writer.close()
    assert report.integrity == "ok" and report.path == target
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM answers").fetchone()[0] == 500
    copy.close()
    with pytest.raises(backup.BackupRefused, match="exists already"):
        backup.backup_sqlite(f"sqlite:///{source}", target)


def test_backup_refuses_postgresql_and_points_to_pg_dump():
    with pytest.raises(backup.BackupRefused, match="pg_dump"):
        backup.backup_sqlite("postgresql+psycopg://postgres@localhost/belong", "x.sqlite")


def test_backup_command_on_the_app_database(app, make, runner, tmp_path):
    _sample_region(make)
    target = tmp_path / "app-backup.sqlite"
    result = runner.invoke(args=["backup", "-o", str(target)])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert result.exit_code == 0, result.output
        assert "integrity check: ok" in result.output
        copy = sqlite3.connect(target)
        lead = copy.execute("SELECT value FROM answers WHERE question_id = 'lead'").fetchone()
        copy.close()
        assert json.loads(lead[0]) == "Second lead text"
    else:
        assert result.exit_code == 1
        assert "pg_dump" in result.output
        assert not target.exists()
