"""Interface languages: complete, current catalogues and a switcher that sticks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from belong.extensions import db
from belong.i18n import LANGUAGES
from belong.models import Role, User
from tests.conftest import ROOT, csrf_token, login

TRANSLATIONS = ROOT / "belong" / "translations"
TRANSLATED = sorted(set(LANGUAGES) - {"en"})
# The same extraction as `make messages` (keep the two in step).
EXTRACT = [
    *("-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"),
    *("--no-location", "--sort-output"),
]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _forms(text) -> tuple[str, ...]:
    """A message's text, or each of its plural forms."""
    return tuple(text) if isinstance(text, (tuple, list)) else (text,)


def _translated(message) -> bool:
    return all(_forms(message.string))


def _placeholders(msgid) -> set[str]:
    return set(PLACEHOLDER.findall(" ".join(_forms(msgid))))


def _catalogue(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """The msgids of the source as it is now, extracted into a temporary .pot file."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "-q", "extract", *EXTRACT, "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def test_every_programme_language_has_a_catalogue():
    assert len(TRANSLATED) >= 2
    for lang in TRANSLATED:
        assert (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").is_file(), lang


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(lang):
    catalogue = _catalogue(lang)
    untranslated = [m.id for m in catalogue if m.id and not _translated(m)]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not untranslated, f"{lang}: untranslated, run `make messages` and translate: " + (
        "; ".join(map(repr, untranslated))
    )
    assert not fuzzy, f"{lang}: fuzzy entries to check: " + "; ".join(map(repr, fuzzy))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_matches_the_source(lang, extracted):
    ids = {m.id for m in _catalogue(lang) if m.id}
    missing, obsolete = sorted(extracted - ids, key=str), sorted(ids - extracted, key=str)
    assert not missing, f"{lang}: new strings not in the catalogue (run `make messages`): {missing}"
    assert not obsolete, f"{lang}: strings no longer in the source: {obsolete}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang):
    wrong = [
        (m.id, m.string)
        for m in _catalogue(lang)
        if m.id
        and _translated(m)
        and any(_placeholders(m.id) != _placeholders(text) for text in _forms(m.string))
    ]
    assert not wrong, f"{lang}: placeholders differ: {wrong}"


def test_the_browser_language_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert '<html lang="pl">' in html
    assert "Logowanie do Belong" in html
    english = client.get("/login", headers={"Accept-Language": "fi, sv;q=0.8"})
    assert "Sign in to Belong" in english.get_data(as_text=True)


def _switch(client, locale: str, next_path: str = "/login"):
    html = client.get(next_path).get_data(as_text=True)
    return client.post(
        "/language",
        data={"csrf_token": csrf_token(html), "locale": locale, "next": next_path},
    )


def test_the_switcher_sets_the_language_before_signing_in(client):
    response = _switch(client, "es")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    html = client.get("/login", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Iniciar sesión en Belong" in html
    assert '<option value="es" lang="es" selected>Español</option>' in html


def test_a_signed_in_users_choice_is_kept_on_their_account(client, make):
    region = make.region("alpha")
    user = make.user(Role.EDITOR, region)
    login(client, user.email)
    _switch(client, "pl", "/r/alpha/")
    assert db.session.get(User, user.id).locale == "pl"
    assert "<h2>Kroki</h2>" in client.get("/r/alpha/").get_data(as_text=True)
    # A new session (another browser) starts in the language stored on the account.
    other = client.application.test_client()
    login(other, user.email)
    assert "<h2>Kroki</h2>" in other.get("/r/alpha/").get_data(as_text=True)


def test_the_switcher_ignores_unknown_languages_and_foreign_addresses(client):
    assert _switch(client, "xx").status_code == 302
    assert "Sign in to Belong" in client.get("/login").get_data(as_text=True)
    html = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/language",
        data={"csrf_token": csrf_token(html), "locale": "es", "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/"


def test_the_switcher_needs_the_csrf_token(client):
    assert client.post("/language", data={"locale": "es"}).status_code == 400
