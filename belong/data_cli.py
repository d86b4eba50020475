"""Command-line tools for keeping data safe: backup, and a region's JSON export and import."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from belong.extensions import db
from belong.models import Region
from belong.services import backup, region_export


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The file to write (default: instance/backups/belong-<time>.sqlite).",
)
def backup_command(output: str | None) -> None:
    """Copy the SQLite database safely while the app runs, and check the copy."""
    target = Path(output) if output else backup.default_target(current_app.instance_path)
    try:
        report = backup.backup_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except backup.BackupRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup written to {report.path} ({report.size:,} bytes); integrity check: ok.")


@click.command("export-region")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
def export_region_command(slug: str, output: str) -> None:
    """Write one region's strategy (members, answers with history, ...) as JSON."""
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        raise click.ClickException(f"no region with the short name {slug!r}")
    text = region_export.to_json(region_export.export_region(region))
    Path(output).write_text(text, encoding="utf-8")
    click.echo(f"Wrote {output} ({len(text.encode()):,} bytes).")


@click.command("import-region")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_region_command(file: str) -> None:
    """Create a region from a JSON export (refused if its short name is taken)."""
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{file} is not readable JSON: {exc}") from None
    try:
        region = region_export.import_region(data)
    except region_export.ImportRefused as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing imported: {exc}") from None
    db.session.commit()
    # Logged, not put in the region's audit log: the imported data stays exactly as exported.
    current_app.logger.info("imported region %s from %s", region.slug, file)
    click.echo(f"Imported region {region.slug!r} ({region.name}).")


def init_app(app: Flask) -> None:
    for command in (backup_command, export_region_command, import_region_command):
        app.cli.add_command(command)
