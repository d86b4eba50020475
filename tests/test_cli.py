"""Command-line tools for scripts and batch use."""

from __future__ import annotations

from pypdf import PdfReader
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import Answer, Region, User
from belong.services import accounts


def test_create_admin(runner, app):
    result = runner.invoke(
        args=["create-admin", "--email", "Chief@Example.org", "--name", "Chief"],
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chief@example.org"))
    assert user.is_admin and user.password_hash.startswith("$argon2id$")
    assert accounts.authenticate("chief@example.org", "a long password") == user
    again = runner.invoke(
        args=["create-admin", "--email", "chief@example.org", "--name", "Chief"],
        input="a long password\na long password\n",
    )
    assert again.exit_code == 1 and "exists already" in again.output


def test_create_admin_refuses_a_short_password(runner, app):
    result = runner.invoke(
        args=["create-admin", "--email", "a@example.org", "--name", "A"], input="short\nshort\n"
    )
    assert result.exit_code == 2 and "at least 8" in result.output


def test_demo_loads_two_regions_and_is_refused_in_production(runner, app):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "coordinator@belong.example" in result.output
    slugs = set(db.session.scalars(select(Region.slug)))
    assert {"valdoria", "nordmark"} <= slugs
    assert db.session.scalar(select(func.count(Answer.id))) > 80
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "not loaded" in again.output
    app.config["ENV_NAME"] = "production"
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code == 1 and "not loaded in production" in refused.output


def test_regions_lists_progress(runner, app):
    assert "No regions yet." in runner.invoke(args=["regions"]).output
    runner.invoke(args=["demo"])
    output = runner.invoke(args=["regions"]).output
    assert "valdoria" in output and "100%" in output
    assert "nordmark" in output and "0%" in output


def test_export_pdf_writes_the_draft(runner, app, make, tmp_path):
    make.region("alpha")
    target = tmp_path / "alpha.pdf"
    result = runner.invoke(args=["export-pdf", "alpha", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Sample strategy" in text and "Alpha" in text
    missing = runner.invoke(args=["export-pdf", "nowhere", "-o", str(target)])
    assert missing.exit_code == 1 and "no region" in missing.output


def test_every_command_is_in_the_one_cli_module(app):
    """Our commands live in belong/cli.py, registered in one place; Flask's and Alembic's
    own (run, shell, routes, db) are theirs."""
    from belong import cli

    ours = {name: app.cli.commands[name] for name in app.cli.commands if name != "db"}
    assert {"backup", "send-digests", "pdf-worker", "strategy-templates"} <= set(ours)
    assert set(ours.values()) == set(cli.COMMANDS)
    for command in cli.COMMANDS:
        callbacks = [c.callback for c in getattr(command, "commands", {}).values()]
        for callback in callbacks or [command.callback]:
            assert callback.__module__ == "belong.cli", command.name
