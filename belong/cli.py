"""Every command-line tool: `flask --app app <command>`, registered in init_app below."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup
from sqlalchemy import select

from belong.extensions import db
from belong.models import Region
from belong.services import (
    accounts,
    backup,
    consultations,
    mail,
    pdf_jobs,
    region_export,
    summaries,
    word_documents,
)
from belong.services import regions as region_service
from belong.templating.loader import check_all, load_all
from belong.templating.registry import get_template

templates_cli = AppGroup("strategy-templates", help="Check the strategy template files.")
records_cli = AppGroup("records", help="A region's linked records (priorities, actions, ...).")


def _region_named(slug: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        raise click.ClickException(f"no region with the short name {slug!r}")
    return region


@records_cli.command("migrate")
@click.argument("slug")
def records_migrate(slug: str) -> None:
    """Make a region's records from its table answers (once; the answers stay)."""
    from belong.services.records_from_answers import migrate_lists, migrate_region

    region = _region_named(slug)
    unmatched = migrate_region(region)
    listed = migrate_lists(region)
    db.session.commit()
    if listed:
        click.echo(f"{listed} stakeholder and training group record(s) made for {slug}.")
    if unmatched is None:
        click.echo(f"{slug} has results chain records already; they were left as they were.")
        return
    click.echo(f"Records made for {slug}; {len(unmatched)} item(s) could not be matched.")


@records_cli.command("unmatched")
@click.argument("slug")
def records_unmatched(slug: str) -> None:
    """List what the migration of a region's answers into records could not match."""
    from belong.services.records_from_answers import unmatched_of

    found = unmatched_of(_region_named(slug))
    if found is None:
        click.echo(f"{slug}: its answers were never turned into records.")
        return
    if not found:
        click.echo(f"{slug}: everything was matched.")
        return
    click.echo(f"{slug}: {len(found)} item(s) to check by hand:")
    for item in found:
        click.echo(f"- {item['what']}: {item['text']!r} ({item['why']})")


@templates_cli.command("check")
def check_templates() -> None:
    """Validate every template folder and render its layout with nothing and with everything
    answered; exit 1 and name each problem if any. Then say how much of each template each
    translation covers, naming the texts still in the template's own language."""
    from belong.services.layout_check import layout_problems

    root = Path(current_app.config["STRATEGY_TEMPLATES_DIR"])
    problems = check_all(root, layout_problems)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"All templates in {root} are valid and their layouts render.")
    for template in load_all(root).values():
        click.echo(template.coverage_line())
        for language, covered in template.coverage.items():
            shown = ", ".join(covered.in_source[:10])
            more = len(covered.in_source) - 10
            if covered.in_source:
                click.echo(
                    f"  {language}: {len(covered.in_source)} of {covered.total} texts still in "
                    f"{template.languages[0]}: {shown}" + (f" and {more} more" if more > 0 else "")
                )


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option(confirmation_prompt=True)
def create_admin(email: str, name: str, password: str) -> None:
    """Create a programme admin."""
    if len(password) < accounts.MIN_PASSWORD:
        raise click.BadParameter(
            f"use at least {accounts.MIN_PASSWORD} characters", param_hint="password"
        )
    try:
        accounts.create_user(email, name, password=password, is_admin=True)
    except accounts.EmailTaken as exc:
        raise click.ClickException(f"an account with {email} exists already") from exc
    db.session.commit()
    click.echo(f"Programme admin {email} created.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no regions yet.")
def demo(if_empty: bool) -> None:
    """Load the demo programme (refused in production)."""
    from belong.demo import seed

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("the demo programme is not loaded in production")
    if if_empty and db.session.scalar(select(Region.id).limit(1)):
        click.echo("The database has regions already; demo not loaded.")
    else:
        click.echo("Loading the demo programme (this takes a minute or two):")
        seed.load_demo(say=lambda message: click.echo(f"  {message}"))
        db.session.commit()
        click.echo("Demo programme loaded.")
    click.echo(seed.logins_text())


@click.command("export-pdf")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def export_pdf(slug: str, output: str) -> None:
    """Write a region's current draft as a PDF file."""
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        raise click.ClickException(f"no region with the short name {slug!r}")
    template = get_template(region.template_id)
    data, key = pdf_jobs.draft_pdf(region, template)
    while data is None:  # rendered off this thread, as for the page: wait for it here
        state = pdf_jobs.state(region, key)
        if state in (pdf_jobs.JobState.FAILED, pdf_jobs.JobState.TOO_LARGE):
            raise click.ClickException(f"the PDF could not be made ({state.value})")
        db.session.rollback()
        time.sleep(0.2)
        data, key = pdf_jobs.draft_pdf(region, template)  # asks again if the job was lost
    Path(output).write_bytes(data)
    click.echo(f"Wrote {output} ({len(data):,} bytes).")


@click.command("export-docx")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def export_docx(slug: str, output: str) -> None:
    """Write a region's current draft as a Word document (DOCX)."""
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        raise click.ClickException(f"no region with the short name {slug!r}")
    data = word_documents.draft_docx(region, get_template(region.template_id))
    db.session.commit()  # the document cache keeps it
    Path(output).write_bytes(data)
    click.echo(f"Wrote {output} ({len(data):,} bytes).")


@click.command("strategy-checks")
@click.argument("slug")
def strategy_checks_command(slug: str) -> None:
    """Print the strategy checks of a region's answers; exit 1 when any check fails."""
    from belong.services import strategy_checks

    region = db.session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        raise click.ClickException(f"no region with the short name {slug!r}")
    template = get_template(region.template_id).definition
    with current_app.test_request_context():
        results = strategy_checks.region_checks(region, template)
        links = {
            r.check.id: mail.external_url(
                url_for("steps.show", slug=region.slug, step_id=r.step_id, _anchor=r.anchor)
            )
            for r in results
        }
    for result in results:
        click.echo(f"[{result.status.value.upper()}] {result.title}: {result.detail}")
        if result.open:
            click.echo(f"    {result.advice}")
            click.echo(f"    {links[result.check.id]}")
    found = strategy_checks.counts(results)
    click.echo(
        f"{found['pass']} passed, {found['warning']} warnings, {found['fail']} failed "
        f"({len(results)} checks)."
    )
    if found["fail"]:
        raise SystemExit(1)


@click.command("regions")
def list_regions() -> None:
    """List regions with their progress."""
    regions = region_service.all_regions()
    if not regions:
        click.echo("No regions yet.")
        return
    click.echo(f"{'slug':<20} {'progress':>8}  name")
    found = summaries.summaries(regions)
    for region in regions:
        click.echo(f"{region.slug:<20} {found[region.id].percent:>7}%  {region.name}")


@click.command("clear-page-cache")
def clear_page_cache() -> None:
    """Drop every kept page body (after restoring a database backup, with Redis configured)."""
    from belong import page_cache

    page_cache.cache.clear()
    click.echo("Kept page bodies dropped; pages are worked out again as they are visited.")


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


@click.command("send-digests")
def send_digests() -> None:
    """Write the daily digest for everyone who chose it, then send what the outbox holds."""
    made = mail.build_digests()
    db.session.commit()
    sent = mail.send_pending()
    db.session.commit()
    click.echo(f"{made} digests written, {sent} messages sent.")


@click.command("send-mail")
def send_mail() -> None:
    """Send the outbox through MAIL_SERVER (run it from cron if requests should not wait)."""
    sent = mail.send_pending()
    db.session.commit()
    click.echo(f"{sent} messages sent.")


@click.command("erase-consultation-data")
def erase_consultation_data() -> None:
    """Erase the names and organisations of public comments kept longer than the
    consultation's privacy notice says (run it daily from cron)."""
    touched = consultations.erase_expired()
    db.session.commit()
    click.echo(f"Names or organisations erased from {touched} comment(s) of the public.")


@click.command("pdf-worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def pdf_worker(burst: bool) -> None:
    """Render queued PDFs (needs REDIS_URL); run one or more beside the app servers."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("set REDIS_URL to the Redis the app servers use")
    pdf_jobs.run_worker(burst=burst)


COMMANDS = (
    templates_cli,
    records_cli,
    create_admin,
    demo,
    export_pdf,
    export_docx,
    strategy_checks_command,
    list_regions,
    clear_page_cache,
    backup_command,
    export_region_command,
    import_region_command,
    send_digests,
    send_mail,
    erase_consultation_data,
    pdf_worker,
)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
