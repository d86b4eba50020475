"""Command-line tools: `flask --app app <command>`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from belong.extensions import db
from belong.models import Region
from belong.services import accounts, documents, summaries
from belong.services import regions as region_service
from belong.templating.loader import check_all, load_all
from belong.templating.registry import get_template

templates_cli = AppGroup("strategy-templates", help="Check the strategy template files.")


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
    data = documents.draft_pdf(region, get_template(region.template_id))
    Path(output).write_bytes(data)
    click.echo(f"Wrote {output} ({len(data):,} bytes).")


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


def init_app(app: Flask) -> None:
    app.cli.add_command(templates_cli)
    for command in (create_admin, demo, export_pdf, list_regions, clear_page_cache):
        app.cli.add_command(command)
    from belong import data_cli  # backup, export-region, import-region

    data_cli.init_app(app)
