"""The demo programme as a new user meets it: `flask demo` tells what it is loading and prints
every login the README lists; Nordmark has only its own few answers; the seeded texts have no
line ends inside sentences; the audit log names who did each demo action.

The demo is loaded once for this module, through the command, with its real PDFs."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from belong import create_app
from belong.demo.people import PASSWORD
from belong.extensions import db
from belong.models import (
    Answer,
    AuditEvent,
    Comment,
    Consultation,
    Contribution,
    PublicComment,
    Region,
)
from tests.conftest import BrowserLikeClient, _config, _empty_tables, login

README = Path(__file__).resolve().parent.parent / "README.md"
LOGIN_LINE = re.compile(r"^  (\S+@\S+) +(.+)$")


@pytest.fixture(scope="module")
def demo(migrated, templates_dir) -> dict:
    app = create_app(_config(migrated, templates_dir))
    app.test_client_class = BrowserLikeClient
    with app.app_context():
        output = app.test_cli_runner().invoke(args=["demo"]).output
        regions = {r.slug: r.id for r in db.session.scalars(select(Region))}
        answers = {slug: {} for slug in regions}
        by_id = {v: k for k, v in regions.items()}
        for a in db.session.scalars(select(Answer)):
            answers[by_id[a.region_id]][(a.step_id, a.question_id)] = a.value
        texts = [c.body for c in db.session.scalars(select(Contribution))]
        texts += [c.body for c in db.session.scalars(select(Comment))]
        texts += [c.body for c in db.session.scalars(select(PublicComment))]
        visitor = app.test_client()
        public = {
            slug: (page.status_code, page.get_data(as_text=True))
            for slug in ("valdoria", "nordmark")
            for page in [visitor.get(f"/consult/{slug}")]
        }
        consultations = {
            slug: [
                (c.closed_at is not None, c.version.number)
                for c in db.session.scalars(
                    select(Consultation).where(Consultation.region_id == region_id)
                )
            ]
            for slug, region_id in regions.items()
        }
        answered = [c.response is not None for c in db.session.scalars(select(PublicComment))]
        actors = [(e.action, e.user_id) for e in db.session.scalars(select(AuditEvent))]
        nordmark = app.test_client()
        login(nordmark, "coordinator.nordmark@belong.example", PASSWORD)
        preview = nordmark.get("/r/nordmark/document").get_data(as_text=True)
        coordinator = app.test_client()
        login(coordinator, "coordinator@belong.example", PASSWORD)
        audit = coordinator.get("/r/valdoria/audit").get_data(as_text=True)
        valdoria_preview = coordinator.get("/r/valdoria/document").get_data(as_text=True)
        _empty_tables()
        db.engine.dispose()
    return {
        "output": output,
        "answers": answers,
        "texts": texts,
        "actors": actors,
        "nordmark_preview": preview,
        "audit_page": audit,
        "public": public,
        "consultations": consultations,
        "answered": answered,
        "valdoria_preview": valdoria_preview,
    }


def _readme_logins() -> list[tuple[str, str]]:
    section = README.read_text(encoding="utf-8").split("## Demo logins", 1)[1].split("\n## ")[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if "@" in line]
    return [(email.strip(), what.strip()) for email, what in rows]


def test_the_command_prints_every_login_the_readme_lists(demo):
    printed = [m.groups() for m in map(LOGIN_LINE.match, demo["output"].splitlines()) if m]
    assert len(printed) == 11
    assert printed == _readme_logins()
    assert f"password for all: {PASSWORD}" in demo["output"]
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert f"The password for all of them is `{PASSWORD}`" in readme


def test_the_command_tells_what_it_is_loading_before_it_is_done(demo):
    lines = demo["output"].splitlines()
    done = lines.index("Demo programme loaded.")
    progress = "\n".join(lines[:done])
    for part in ("people", "Answers of Valdoria", "Answers of Nordmark", "Stakeholder input"):
        assert part in progress
    assert "Version 1" in progress and "Version 2" in progress


def test_nordmark_has_only_its_own_few_answers(demo):
    nordmark, valdoria = demo["answers"]["nordmark"], demo["answers"]["valdoria"]
    # The mandate begun and a self-assessment partly done: a starting region, not a copy.
    assert 0 < len(nordmark) <= 15
    assessed = {q for step, q in nordmark if step == "self_assessment"}
    assert 0 < len(assessed) < len({q for step, q in valdoria if step == "self_assessment"})
    assert not set(map(str, nordmark.values())) & set(map(str, valdoria.values()))
    assert "Nordmark" in demo["nordmark_preview"]
    assert "Valdoria" not in demo["nordmark_preview"]


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


# A line that may follow another without a blank line: a list item, a table row, a heading.
OWN_LINE = re.compile(r"([-*+] |\d+[.)] |\||#)")


def _broken_lines(text: str) -> list[str]:
    """Lines that start with spaces, or that continue the sentence of the line before."""
    lines = text.split("\n")
    bad = [line for line in lines if line != line.lstrip()]
    for before, line in itertools.pairwise(lines):
        if before and line and not OWN_LINE.match(line) and not before.startswith(("|", "#")):
            bad.append(line)
    return bad


def test_seeded_texts_keep_each_paragraph_on_one_line(demo):
    texts = [t for answers in demo["answers"].values() for v in answers.values() for t in _texts(v)]
    texts += demo["texts"]
    long_texts = [t for t in texts if len(t) > 200]
    assert len(long_texts) > 30
    assert sum("\n- " in t or "\n1. " in t for t in long_texts) > 3  # lists kept
    assert {t[:60]: _broken_lines(t) for t in texts if _broken_lines(t)} == {}


def test_the_audit_log_names_who_did_each_demo_action(demo):
    assert demo["actors"]
    assert [action for action, user_id in demo["actors"] if user_id is None] == []
    assert "(unknown or removed)" not in demo["audit_page"]
    assert "Piotr Zielinski" in demo["audit_page"] and "Carla Mendes" in demo["audit_page"]


def test_valdoria_consulted_the_public_on_v1_and_answered_every_comment(demo):
    assert demo["consultations"] == {"valdoria": [(True, 1)], "nordmark": []}
    assert demo["answered"] and all(demo["answered"])
    status, page = demo["public"]["valdoria"]
    assert status == 200
    assert "This consultation closed" in page
    assert "We adopted it." in page and "We declined it." in page
    assert "Cheap flights" not in page  # hidden by the moderator
    assert demo["public"]["nordmark"][0] == 404
    annex = demo["valdoria_preview"].split('id="annex-consultation"', 1)[1]
    assert "5 comments were received; 3 were published." in annex
    assert "1 adopted, 2 noted, 2 declined, 0 not yet answered" in annex
    assert "5. Vision and principles – Vision statement (1 comment)" in annex
