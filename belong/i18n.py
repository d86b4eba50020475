"""Interface language: the user's choice, else the browser's, among the catalogues we ship."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import Domain, force_locale, get_locale
from flask_login import current_user

from belong.extensions import babel, db
from belong.views.util import safe_next

# Each language under its own name, as a speaker of it looks for it in a list.
LANGUAGES = {"en": "English", "de": "Deutsch", "es": "Español", "pl": "Polski"}
DEFAULT = "en"
# Dates and numbers as written where the language is used in Europe (28 November 2026).
FORMATS = {"en": "en_GB"}

bp = Blueprint("language", __name__)


def babel_locale(language: str | None) -> str:
    """The locale that formats a language's dates and numbers (`en` -> `en_GB`)."""
    return FORMATS.get(language or DEFAULT, language or DEFAULT)


def language_of(user, region=None) -> str:
    """The language to write to a person in (mail, notifications): the interface language
    they chose, else the language of the region concerned, else of their first region."""
    if getattr(user, "locale", None) in LANGUAGES:
        return user.locale
    if region is None and getattr(user, "memberships", None):
        region = min(user.memberships, key=lambda m: m.id).region
    language = getattr(region, "language", None)
    return language if language in LANGUAGES else DEFAULT


def force_language_of(user, region=None):
    """`with force_language_of(person):` translates as that person reads."""
    return force_locale(babel_locale(language_of(user, region)))


def select_locale() -> str:
    return babel_locale(_chosen_language())


def _chosen_language() -> str:
    if not has_request_context():
        return DEFAULT
    chosen = session.get("locale")
    if not chosen and current_user and current_user.is_authenticated:
        chosen = current_user.locale
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


@bp.route("/language", methods=["POST"])
def choose():
    """The switcher in the header: kept in the session, and on the account when signed in."""
    chosen = request.form.get("locale", "")
    if chosen in LANGUAGES:
        session["locale"] = chosen
        if current_user.is_authenticated:
            current_user.locale = chosen
            db.session.commit()
    return redirect(safe_next(url_for("main.index")))


class RequestCachedDomain(Domain):
    """Flask-Babel's message domain, with the catalogue looked up once per request and locale:
    pages translate hundreds of strings (templates and lazy labels), and Flask-Babel's own
    lookup costs more than the translation. Keyed by the locale object, so `force_locale`
    (documents, mail) gets its own catalogue."""

    def get_translations(self):
        if not has_app_context():
            return super().get_translations()
        locale = get_locale()
        cached = g.get("_belong_translations")
        if cached is None or cached[0] is not locale:
            cached = g._belong_translations = (locale, super().get_translations())
        return cached[1]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Behind templates' _(), gettext() and lazy_gettext() alike.
    babel.domain_instance = RequestCachedDomain()
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, get_locale=get_locale, interface_language=_chosen_language
    )
