"""Counts are written with ngettext, in every language: "1 time", "2 veces", "5 uwag"."""

from __future__ import annotations

import ast
import gettext
import re

import pytest
from babel.messages.pofile import read_po

from belong.extensions import db
from belong.models import Role
from belong.services import contributions
from belong.templating.registry import get_template
from tests.conftest import ROOT, login

# A gettext call whose text puts a count before an English plural noun ("%(n)s notes"), or a
# value printed straight before one ("{{ n }} items"): each needs ngettext.
GETTEXT_CALL = re.compile(r"""(?<![\w.])(?:_|_l|gettext|lazy_gettext)\(\s*(['"])(.*?)\1""", re.S)
COUNTED = re.compile(r"%\((\w+)\)[sd] (?:[a-z]+ )?([a-z]{3,}s)\b")
# Placeholders that hold words, not numbers ("%(name)s requested changes").
WORDS = {
    "name", "region", "step", "label", "title", "body", "names", "sources", "annex", "letter",
    "table",  # "%(table)s gives the same figures": a table's name
}  # fmt: skip
PRINTED = re.compile(r"\}\}\s+([a-z]{3,}s)\b")
NOT_PLURAL = {"this", "was", "has", "its", "is", "his", "yes", "thus", "less", "always", "across"}
NOT_PLURAL |= {"class"}  # "<h{{ level }} class=...": an attribute, not a word
KNOWN: dict[str, set[str]] = {}


def _counted(message: str) -> list[str]:
    return [
        word
        for placeholder, word in COUNTED.findall(message)
        if placeholder not in WORDS and word not in NOT_PLURAL
    ]


def unpluralised(text: str) -> list[str]:
    """The plural nouns counted in a template's `text` without ngettext."""
    found = []
    for call in GETTEXT_CALL.finditer(text):
        found += _counted(call.group(2))
    found += [w for w in PRINTED.findall(text) if w not in NOT_PLURAL]
    return found


def unpluralised_python(source: str) -> list[str]:
    """The same for Python, where a message may be split over several literals."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in {"_", "_l", "gettext", "lazy_gettext"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found += _counted(node.args[0].value)
    return found


def test_the_guard_finds_counts_without_ngettext():
    assert unpluralised("{{ _('%(n)s notes from the review', n=count) }}") == ["notes"]
    assert unpluralised('_("You have given input %(n)s times.", n=total)') == ["times"]
    assert unpluralised("{{ _('%(n)s saved versions', n=3) }}") == ["versions"]
    assert unpluralised("<p>{{ total }} contributions</p>") == ["contributions"]
    split = '_(\n    "The link works once, "\n    "for %(hours)s hours.",\n    hours=2,\n)'
    assert unpluralised_python(split) == ["hours"]
    assert unpluralised_python('ngettext("%(num)s hour", "%(num)s hours", 2)') == []
    assert unpluralised("{{ ngettext('%(num)s note', '%(num)s notes', count) }}") == []
    assert unpluralised("{{ _('Version %(n)s is released.', n=3) }}") == []


def test_no_count_is_written_without_ngettext():
    files = [
        *ROOT.joinpath("templates").rglob("*.html"),
        *ROOT.joinpath("strategy_templates").rglob("*.html"),
        *ROOT.joinpath("belong").rglob("*.py"),
    ]
    problems = {}
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        scan = unpluralised_python if path.suffix == ".py" else unpluralised
        found = set(scan(path.read_text(encoding="utf-8"))) - KNOWN.get(name, set())
        if found:
            problems[name] = sorted(found)
    assert problems == {}


# The form each count takes: Spanish "one, many (millions), other"; Polish "one, few, many".
FORMS = {
    "es": {1: 0, 2: 2, 5: 2, 21: 2, 1_000_000: 1},
    "pl": {1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 22: 1, 25: 2, 0: 2},
}


@pytest.mark.parametrize("lang", sorted(FORMS))
def test_the_catalogues_choose_the_right_plural_form(lang):
    path = ROOT / "belong" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale=lang)
    choose = gettext.c2py(catalogue.plural_expr)
    assert {n: choose(n) for n in FORMS[lang]} == FORMS[lang]
    assert catalogue.num_plurals == max(FORMS[lang].values()) + 1
    for message in catalogue:
        if message.pluralizable and message.id:
            assert len(message.string) == catalogue.num_plurals and all(message.string), message.id


def _add_input(region, user, n):
    step = get_template(region.template_id).definition.steps[0]
    for i in range(n):
        contributions.add(region, step, user, None, body=f"Input {i}", prompt_index=None)
    db.session.commit()


EXPECTED = {
    "en": {
        1: "You have given input 1 time.",
        2: "You have given input 2 times.",
        5: "You have given input 5 times.",
    },
    "es": {1: "Ha hecho aportaciones 1 vez.", 2: "Ha hecho aportaciones 2 veces."},
    "pl": {
        1: "Masz na koncie 1 uwagę.",
        2: "Masz na koncie 2 uwagi.",
        5: "Masz na koncie 5 uwag.",
    },
}
IN_ALL = {
    "en": {1: "1 contribution in all.", 2: "2 contributions in all.", 5: "5 contributions in all."},
    "es": {1: "1 aportación en total.", 2: "2 aportaciones en total."},
    "pl": {1: "Łącznie 1 uwaga.", 2: "Łącznie 2 uwagi.", 5: "Łącznie 5 uwag."},
}


@pytest.mark.parametrize("lang", ["en", "es", "pl"])
def test_pages_write_each_count_in_the_right_form(app, make, lang):
    region = make.region("alpha")
    contributor = make.user(Role.CONTRIBUTOR, region)
    coordinator = make.user(Role.COORDINATOR, region)
    for user in (contributor, coordinator):
        user.locale = lang
    db.session.commit()
    own, team = app.test_client(), app.test_client()
    login(own, contributor.email)
    login(team, coordinator.email)
    given = 0
    for count in sorted(EXPECTED[lang]):
        _add_input(region, contributor, count - given)
        given = count
        mine = " ".join(own.get("/r/alpha/input").get_data(as_text=True).split())
        assert EXPECTED[lang][count] in mine
        overview = " ".join(team.get("/r/alpha/participation").get_data(as_text=True).split())
        assert IN_ALL[lang][count] in overview
