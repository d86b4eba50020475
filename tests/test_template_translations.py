"""A strategy template in several languages: loading, validation, and a region's language."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml

from belong.extensions import db
from belong.models import Contribution, Notification, Region, Role
from belong.templating.loader import TemplateError, load_template
from belong.templating.translation import is_neutral
from tests.conftest import ROOT, login, post_form

SAMPLE_ES = {
    "language": "es",
    "title": "Estrategia de ejemplo",
    "areas": {"commitment": "Compromiso"},
    "steps": {
        "basics": {
            "title": "Lo básico",
            "summary": "Los datos básicos.",
            "questions": {
                "lead": {"label": "Departamento responsable", "hint": "Indique el departamento."},
                "budget": {"label": "Presupuesto en euros"},
                "start": {"label": "Fecha de inicio"},
                "kind": {
                    "label": "Tipo de estrategia",
                    "options": {"standalone": "Independiente", "mainstreamed": "Integrada"},
                },
            },
        },
        "assess": {
            "title": "Evaluación",
            "questions": {
                "public_statement": {"options": {"yes": "Sí", "no": "No", "partly": "En parte"}},
                "actions": {"label": "Acciones", "columns": {"action": {"label": "Acción"}}},
            },
        },
    },
}


@pytest.fixture
def sample_in_spanish(templates_dir):
    """The sample template with a Spanish translation, for the apps made in this test
    (list it before `client`, so the app is made after the file is written)."""
    folder = templates_dir / "sample" / "translations"
    folder.mkdir(exist_ok=True)
    (folder / "es.yaml").write_text(yaml.safe_dump(SAMPLE_ES, allow_unicode=True), "utf-8")
    yield
    shutil.rmtree(folder)


PROMPTS = ["Who should lead, in your view?", "What should the commitment say?"]
PROMPTS_ES = ["¿Quién debería dirigirla?", "¿Qué debería decir el compromiso?"]


def _template_copy(tmp_path: Path, translation: str) -> Path:
    """A copy of the sample whose first step has two consultation prompts."""
    folder = tmp_path / "sample"
    shutil.copytree(ROOT / "tests" / "data" / "templates" / "sample", folder)
    definition = yaml.safe_load((folder / "template.yaml").read_text("utf-8"))
    definition["steps"][0]["prompts"] = PROMPTS
    (folder / "template.yaml").write_text(yaml.safe_dump(definition), "utf-8")
    (folder / "translations").mkdir(exist_ok=True)
    (folder / "translations" / "es.yaml").write_text(translation, "utf-8")
    return folder


def test_a_translation_is_merged_over_the_definition(tmp_path):
    translation = copy.deepcopy(SAMPLE_ES)
    translation["steps"]["basics"]["prompts"] = PROMPTS_ES
    folder = _template_copy(tmp_path, yaml.safe_dump(translation, allow_unicode=True))
    template = load_template(folder)
    assert template.languages == ("en", "es")
    spanish = template.in_language("es").definition
    assert spanish.language == "es"
    assert spanish.title == "Estrategia de ejemplo"
    basics = spanish.step("basics")
    assert basics.title == "Lo básico"
    assert basics.prompts == tuple(PROMPTS_ES)
    kind = basics.question("kind")
    assert [(o.value, o.label) for o in kind.options] == [
        ("standalone", "Independiente"),
        ("mainstreamed", "Integrada"),
    ]
    scale = spanish.step("assess").question("public_statement")
    assert [(o.label, o.points) for o in scale.options] == [("No", 0), ("En parte", 1), ("Sí", 2)]
    assert spanish.step("assess").question("actions").columns[0].label == "Acción"
    # What was left out stays in English, and the English definition is untouched.
    assert basics.question("statement").label == "Commitment statement"
    assert "steps.basics.questions.statement" in template.untranslated["es"]
    assert template.definition.title == "Sample strategy"
    assert template.in_language("pl") is template  # no Polish translation: the definition


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"steps": {"basics": {"titel": "x"}}}, "es.yaml: steps.basics.titel: unknown key"),
        ({"steps": {"nope": {"title": "x"}}}, "es.yaml: steps.nope: the template has no such step"),
        (
            {"steps": {"basics": {"questions": {"kind": {"options": {"other": "Otra"}}}}}},
            "es.yaml: steps.basics.questions.kind.options.other: the template has no such value",
        ),
        (
            {"steps": {"basics": {"prompts": ["solo uno"]}}},
            "es.yaml: steps.basics.prompts: expected a list of 2 texts, in order",
        ),
        (
            {"steps": {"assess": {"questions": {"actions": {"columns": {"x": {"label": "X"}}}}}}},
            "es.yaml: steps.assess.questions.actions.columns.x: the template has no such column",
        ),
        ({"colour": "rojo"}, "es.yaml: colour: unknown key"),
        ({"title": ""}, "es.yaml: title: expected a non-empty text"),
        ({"language": "pl"}, "es.yaml: language: must be 'es', the name of the file"),
    ],
)
def test_a_broken_translation_names_the_file_and_the_path(tmp_path, change, message):
    data = {"language": "es", **change}
    folder = _template_copy(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(TemplateError) as caught:
        load_template(folder)
    assert message in str(caught.value)


def test_a_list_shared_through_an_anchor_is_translated_in_each_place(tmp_path):
    """Polish words a rating by the gender of its column: one list of options in the
    definition, two translations."""
    folder = tmp_path / "sample"
    shutil.copytree(ROOT / "tests" / "data" / "templates" / "sample", folder)
    definition = yaml.safe_load((folder / "template.yaml").read_text("utf-8"))
    questions = definition["steps"][0]["questions"]
    levels = next(q for q in questions if q["id"] == "levels")
    questions.append({**levels, "id": "reach", "label": "Reach"})  # the same options list
    text = yaml.safe_dump(definition)
    assert "&id001" in text  # written with an anchor, as a template author would
    (folder / "template.yaml").write_text(text, "utf-8")
    (folder / "translations").mkdir()
    labels = {"levels": "Poziom lokalny", "reach": "Zasięg lokalny"}
    translation = {
        "language": "pl",
        "steps": {
            "basics": {
                "questions": {q: {"options": {"local": label}} for q, label in labels.items()}
            }
        },
    }
    (folder / "translations" / "pl.yaml").write_text(
        yaml.safe_dump(translation, allow_unicode=True), "utf-8"
    )
    basics = load_template(folder).in_language("pl").definition.step("basics")
    for question, label in labels.items():
        assert basics.question(question).options[0].label == label


def test_unquoted_yes_and_no_keys_get_a_hint(tmp_path):
    text = "language: es\nsteps:\n  assess:\n    questions:\n      public_statement:\n"
    text += "        options: {yes: Sí}\n"
    folder = _template_copy(tmp_path, text)
    with pytest.raises(TemplateError, match="quote keys such as 'yes' and 'no'"):
        load_template(folder)


def test_admin_creates_a_region_in_a_language_of_the_template(sample_in_spanish, client, as_user):
    as_user(None, admin=True)
    page = client.get("/admin/regions").get_data(as_text=True)
    assert '<option value="es">Español</option>' in page
    response = post_form(
        client,
        "/admin/regions",
        {"name": "Valle", "slug": "valle", "template_id": "sample", "language": "es"},
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Region.language).where(Region.slug == "valle")) == "es"


def test_a_language_the_template_lacks_is_refused(sample_in_spanish, client, as_user):
    as_user(None, admin=True)
    response = post_form(
        client,
        "/admin/regions",
        {"name": "Valle", "slug": "valle", "template_id": "sample", "language": "fr"},
    )
    assert db.session.scalar(db.select(Region.id).where(Region.slug == "valle")) is None
    assert "Not a valid choice" in response.get_data(as_text=True)


def _spanish_region(make):
    region = make.region("valle")
    region.language = "es"
    db.session.commit()
    return region


def test_a_regions_steps_show_the_template_in_its_language(
    sample_in_spanish, client, make, as_user
):
    region = _spanish_region(make)
    user = as_user(Role.EDITOR, region)
    user.locale = "es"  # a reader whose interface is Spanish too
    db.session.commit()
    home = client.get("/r/valle/").get_data(as_text=True)
    assert "Lo básico" in home
    page = client.get("/r/valle/steps/basics").get_data(as_text=True)
    assert "Departamento responsable" in page
    assert "Independiente" in page
    assert "Guardar y continuar" in page
    assert "answers-language" not in page  # nothing to point out


def test_guidance_follows_the_readers_language_and_says_which_language_answers_take(
    sample_in_spanish, client, make, as_user
):
    """An English-speaking editor of a Spanish region reads the questions in English (the
    template has them) and is told that the answers are written in Spanish; a
    Spanish-speaking member of an English region reads them in Spanish. The document stays in
    the region's language either way."""
    _spanish_region(make)
    as_user(Role.EDITOR, db.session.scalar(db.select(Region).where(Region.slug == "valle")))
    page = client.get("/r/valle/steps/basics").get_data(as_text=True)
    assert "Lead department" in page and "Departamento responsable" not in page
    assert "Answers in this region are written in Spanish." in page
    assert "Estrategia de ejemplo" in client.get("/r/valle/document").get_data(as_text=True)

    english = make.region("north")
    reader = make.user(Role.EDITOR, english)
    reader.locale = "es"
    db.session.commit()
    other = client.application.test_client()
    login(other, reader.email)
    page = other.get("/r/north/steps/basics").get_data(as_text=True)
    assert "Departamento responsable" in page
    assert "Las respuestas de esta región se escriben en inglés." in page
    document = other.get("/r/north/document").get_data(as_text=True)
    assert "Lead department" in document and "Departamento responsable" not in document


def test_the_document_comes_out_in_the_regions_language(sample_in_spanish, client, make, as_user):
    region = _spanish_region(make)
    as_user(Role.EDITOR, region)
    data = {"q_lead": "Consejería de Inclusión", "q_budget": "1250000.5", "q_start": "2026-03-01"}
    data.update({"q_statement": "Nos comprometemos.", "action": "save"})
    assert post_form(client, "/r/valle/steps/basics", data).status_code == 302
    html = client.get("/r/valle/document").get_data(as_text=True)
    assert re.search(r'<div class="doc-view" lang="es"', html)  # inside the app's page
    assert "Estrategia de ejemplo" in html
    assert "Borrador" in html  # the layout's own words, from the Spanish catalogue
    assert "1 de marzo de 2026" in html  # dates for the locale
    assert "1.250.000,5" in html  # numbers for the locale
    assert "Departamento responsable" in html


def test_the_intercultural_template_has_a_spanish_translation():
    spanish = load_template(INTERCULTURAL).in_language("es").definition
    assert spanish.title == "Estrategia de región intercultural"
    assert spanish.step("mandate").question("lead_department").label == "Departamento responsable"


def test_notifications_name_the_step_as_each_recipient_reads_it(sample_in_spanish, client, make):
    """A Spanish-speaking contributor's input in an English region: the English coordinator
    is told about "Basics", the contributor hears back about "Lo básico"."""
    region = make.region("north")
    coordinator = make.user(Role.COORDINATOR, region)
    contributor = make.user(Role.CONTRIBUTOR, region)
    contributor.locale = "es"
    db.session.commit()
    login(client, contributor.email)
    data = {"prompt": "general", "body": "Reuniones por la tarde."}
    assert post_form(client, "/r/north/steps/basics/input", data).status_code == 302
    told = db.session.scalar(db.select(Notification).where(Notification.user_id == coordinator.id))
    assert "“Basics”" in told.message

    team = client.application.test_client()
    login(team, coordinator.email)
    contribution = db.session.scalar(db.select(Contribution))
    url = f"/r/north/input/{contribution.id}/decide"
    page = team.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    decision = {"decision": "noted", "version": version.group(1) if version else ""}
    assert post_form(team, url, decision).status_code == 302
    heard = db.session.scalar(db.select(Notification).where(Notification.user_id == contributor.id))
    assert "«Lo básico»" in heard.message


INTERCULTURAL = ROOT / "strategy_templates" / "intercultural-region"
SHIPPED = sorted(
    (folder.name, path.stem)
    for folder in (ROOT / "strategy_templates").iterdir()
    for path in (folder / "translations").glob("*.yaml")
)


@pytest.mark.parametrize(("template_id", "language"), SHIPPED)
def test_every_shipped_translation_is_complete(template_id, language):
    """Every text of the template in every language it ships in: a text added to
    template.yaml without its translation, or copied over in English, fails here (it would
    show in English on the pages and in the document of a region in that language)."""
    template = load_template(ROOT / "strategy_templates" / template_id)
    covered = template.coverage[language]
    assert covered.total > 400 if template_id == "intercultural-region" else covered.total
    assert not covered.in_source, (
        f"{len(covered.in_source)} texts of {template_id} still in English in "
        f"translations/{language}.yaml (translate them, or list a text that is rightly the "
        f"same under same_as_source): {list(covered.in_source)}"
    )


def test_the_intercultural_template_ships_in_polish():
    assert "pl" in [language for _, language in SHIPPED]
    polish = load_template(INTERCULTURAL).in_language("pl").definition
    assert polish.title == "Strategia regionu międzykulturowego"
    assert polish.step("mandate").question("lead_department").label == "Departament wiodący"
    categories = {o.value: o.label for o in polish.stakeholder_categories}
    assert categories["migrant_led"] == "Organizacja prowadzona przez migrantów"


def test_coverage_counts_texts_left_out_or_copied_in_english(tmp_path):
    translation = copy.deepcopy(SAMPLE_ES)
    basics = translation["steps"]["basics"]
    basics["prompts"] = ["Who should lead, in your view?", PROMPTS_ES[1]]  # copied over
    basics["questions"]["lead"]["hint"] = "Name the department."  # copied over
    basics["questions"]["budget"]["hint"] = "EUR 100 000"  # no word to translate
    folder = _template_copy(tmp_path, yaml.safe_dump(translation, allow_unicode=True))
    covered = load_template(folder).coverage["es"]
    assert "steps.basics.prompts[0]" in covered.in_source
    assert "steps.basics.prompts[1]" not in covered.in_source
    assert "steps.basics.questions.lead.hint" in covered.in_source
    assert "steps.basics.questions.budget.hint" not in covered.in_source
    assert "steps.basics.questions.statement.label" in covered.in_source  # left out
    assert "steps.assess.questions.public_statement.options.no" in covered.in_source
    assert 0 < covered.percent < 100
    # A text that is rightly the same in Spanish is listed once and no longer counts.
    translation["same_as_source"] = ["No", "Name the department."]
    folder = _template_copy(tmp_path / "again", yaml.safe_dump(translation, allow_unicode=True))
    covered = load_template(folder).coverage["es"]
    assert "steps.assess.questions.public_statement.options.no" not in covered.in_source
    assert "steps.basics.questions.lead.hint" not in covered.in_source


@pytest.mark.parametrize(
    ("text", "neutral"),
    [
        ("EU-BELONG", True),
        ("ESF+ (60%), AMIF", True),
        ("https://example.org/a", True),
        ("2026-2030", True),
        ("Local", False),
        ("EU funds", False),
    ],
)
def test_names_acronyms_numbers_and_addresses_need_no_translation(text, neutral):
    assert is_neutral(text) is neutral


def test_a_stale_same_as_source_entry_is_an_error(tmp_path):
    data = {"language": "es", "same_as_source": ["Nothing like this"]}
    folder = _template_copy(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(TemplateError, match="same_as_source: 'Nothing like this' is not a text"):
        load_template(folder)


def test_the_cli_check_reports_coverage_per_language(runner, app, tmp_path):
    translation = copy.deepcopy(SAMPLE_ES)
    translation["steps"]["basics"]["prompts"] = PROMPTS_ES
    _template_copy(tmp_path, yaml.safe_dump(translation, allow_unicode=True))
    app.config["STRATEGY_TEMPLATES_DIR"] = str(tmp_path)
    result = runner.invoke(args=["strategy-templates", "check"])
    assert result.exit_code == 0, result.output
    covered = load_template(tmp_path / "sample").coverage["es"]
    assert f"sample: en (source), es {covered.percent} %" in result.output
    assert f"es: {len(covered.in_source)} of {covered.total} texts still in en: " in result.output
    app.config["STRATEGY_TEMPLATES_DIR"] = str(ROOT / "strategy_templates")
    result = runner.invoke(args=["strategy-templates", "check"])
    languages = ", ".join(f"{language} 100 %" for _, language in SHIPPED)
    assert f"intercultural-region: en (source), {languages}" in result.output
    assert "still in en" not in result.output
