"""What a region export must satisfy before `import-region` writes anything.

The same rules as the forms (the region form's short name and lengths, the invitation
form's e-mail and name, the step form's answer lengths and table rows), the template's
languages, and the PDFs of submitted versions matching their recorded SHA-256. Each
problem names its place in the file, e.g. `answers[3] (step "diagnosis", question
"context"): 30,000,000 characters, at most 50,000`."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import unicodedata
from typing import Any

from werkzeug.datastructures import MultiDict

from belong.forms.admin import InviteForm, RegionForm
from belong.templating.loader import LoadedTemplate
from belong.templating.schema import Question, StrategyTemplate

REGION_TEXTS = ("slug", "name", "country", "period")
MAX_REPORTED = 20  # a file with thousands of problems is summed up after the first ones


def _control_characters(value: str) -> bool:
    """Line breaks, tabs, NUL and other control characters: never part of a name."""
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value)


def _shown(value: str) -> str:
    """A value quoted in a message, cut short when long."""
    return repr(value[:80]) + (
        f" (and {len(value) - 80:,} more characters)" if len(value) > 80 else ""
    )


def _form_errors(form, names: tuple[str, ...]) -> dict[str, str]:
    """Run the named fields' own validators; their messages by field name."""
    errors = {}
    for name in names:
        field = form[name]
        if not field.validate(form):
            errors[name] = " ".join(str(e) for e in field.errors)
    return errors


def _template(fields: Any, templates: dict[str, LoadedTemplate]) -> LoadedTemplate | None:
    template_id = fields.get("template_id") if isinstance(fields, dict) else None
    return templates.get(template_id) if isinstance(template_id, str) else None


def _region_problems(fields: Any, templates: dict[str, LoadedTemplate]) -> list[str]:
    if not isinstance(fields, dict):
        return ["region: missing"]
    problems = []
    texts = {}
    for name in REGION_TEXTS:
        value = fields.get(name)
        if value is None and name in ("country", "period"):
            value = ""
        if not isinstance(value, str):
            problems.append(f"region.{name}: {value!r} is not text")
        elif name in ("slug", "name") and _control_characters(value):
            problems.append(
                f"region.{name} {_shown(value)}: holds a line break or control character"
            )
        else:
            texts[name] = value
    form = RegionForm(formdata=MultiDict(texts), meta={"csrf": False})
    for name, message in _form_errors(form, tuple(texts)).items():
        problems.append(f"region.{name} {_shown(texts[name])}: {message}")
    template = _template(fields, templates)
    if template is None:
        problems.append(
            f"region.template_id {fields.get('template_id')!r}: no such strategy template here "
            f"(there are: {', '.join(sorted(templates))})"
        )
    elif fields.get("language") not in template.languages:
        problems.append(
            f"region.language {fields.get('language')!r}: the template "
            f"{template.id!r} is available in {', '.join(template.languages)}"
        )
    return problems


def _people_problems(people: Any) -> list[str]:
    if not isinstance(people, list):
        return ["people: not a list"]
    problems = []
    for index, person in enumerate(people):
        where = f"people[{index}]"
        if not isinstance(person, dict) or not isinstance(person.get("email"), str):
            problems.append(f"{where}: needs an email")
            continue
        name = person.get("name") or person["email"]
        if not isinstance(name, str):
            problems.append(f"{where}.name: {name!r} is not text")
            continue
        if _control_characters(name) or _control_characters(person["email"]):
            problems.append(
                f"{where} {_shown(person['email'])}: holds a line break or control character"
            )
            continue
        texts = {"email": person["email"], "name": name}
        form = InviteForm(formdata=MultiDict(texts), meta={"csrf": False})
        for field, message in _form_errors(form, tuple(texts)).items():
            problems.append(f"{where}.{field} {_shown(texts[field])}: {message}")
    return problems


def value_problems(question: Question, value: Any, max_length: int) -> list[str]:
    """Where a stored answer exceeds what the step form would have accepted."""
    return question.value_problems(value, max_length)


def _answer_problems(
    tables: dict[str, Any], definition: StrategyTemplate | None, max_length: int
) -> list[str]:
    problems = []
    answers = tables.get("answers") or []
    by_position = {row.get("id"): row for row in answers if isinstance(row, dict)}

    def check(where: str, row: dict, value: Any) -> None:
        step_id, question_id = row.get("step_id"), row.get("question_id")
        place = f'{where} (step "{step_id}", question "{question_id}")'
        step = definition.step(step_id) if definition is not None else None
        question = step.question(question_id) if step is not None else None
        if question is None:  # a question the template no longer has: bounded as a whole
            size = len(json.dumps(value, ensure_ascii=False))
            if size > max_length:
                problems.append(f"{place}: {size:,} characters, at most {max_length:,}")
            return
        problems.extend(f"{place}: {p}" for p in value_problems(question, value, max_length))

    for index, row in enumerate(answers):
        if isinstance(row, dict):
            check(f"answers[{index}]", row, row.get("value"))
    for index, revision in enumerate(tables.get("answer_revisions") or []):
        if isinstance(revision, dict) and revision.get("answer_id") in by_position:
            check(
                f"answer_revisions[{index}]",
                by_position[revision["answer_id"]],
                revision.get("value"),
            )
    return problems


def _pdf_problems(versions: Any) -> list[str]:
    problems = []
    for index, version in enumerate(versions or []):
        if not isinstance(version, dict):
            continue
        where = f"draft_versions[{index}] (v{version.get('number')})"
        for pdf_key, hash_key in (("pdf", "sha256"), ("released_pdf", "released_sha256")):
            encoded, recorded = version.get(pdf_key), version.get(hash_key)
            if not encoded and not recorded:  # none, or a version whose PDF was still rendering
                continue
            try:
                data = base64.b64decode(encoded or "", validate=True)
            except (binascii.Error, TypeError, ValueError):
                problems.append(f"{where}.{pdf_key}: not valid base64")
                continue
            actual = hashlib.sha256(data).hexdigest()
            if actual != recorded:
                problems.append(
                    f"{where}.{pdf_key}: the PDF's SHA-256 is {actual}, "
                    f"the file records {recorded!r}; the PDF was changed or damaged"
                )
    return problems


def _publication_problems(images: Any, settings: Any) -> list[str]:
    """Images as the settings page accepts them (decoded PNG or JPEG within the limits, their
    hash their own), a brand colour readable against white, a known licence."""
    from belong.services import publication

    problems = []
    for index, image in enumerate(images or []):
        if not isinstance(image, dict):
            continue
        where = f"publication_images[{index}]"
        try:
            data = base64.b64decode(image.get("data") or "", validate=True)
            publication.check_image(data)
        except (binascii.Error, TypeError, ValueError) as refused:
            problems.append(f"{where}.data: {refused or 'not valid base64'}")
            continue
        if hashlib.sha256(data).hexdigest() != image.get("sha256"):
            problems.append(f"{where}: the image's SHA-256 is not the one the file records")
        if image.get("media_type") not in publication.MEDIA_TYPES.values():
            problems.append(f"{where}.media_type: {_shown(str(image.get('media_type')))}")
    for index, row in enumerate(settings or []):
        if not isinstance(row, dict):
            continue
        where = f"publication_settings[{index}]"
        accent = row.get("accent") or ""
        problem = publication.colour_problem(accent) if accent else None
        if not isinstance(accent, str) or problem:
            problems.append(f"{where}.accent: {problem or 'not text'}")
        if (row.get("licence") or "") not in ("", *publication.LICENCES):
            problems.append(f"{where}.licence: {_shown(str(row.get('licence')))}")
    return problems


def import_problems(
    data: dict[str, Any], templates: dict[str, LoadedTemplate], *, max_answer_length: int
) -> list[str]:
    """Every reason not to import `data`, each naming its place; empty when it may go in."""
    fields = data.get("region")
    problems = _region_problems(fields, templates)
    problems += _people_problems(data.get("people") or [])
    tables = data.get("tables") or {}
    if not isinstance(tables, dict):
        return [*problems, "tables: not a mapping of table names to rows"]
    template = _template(fields, templates)
    definition = template.definition if template is not None else None
    problems += _answer_problems(tables, definition, max_answer_length)
    problems += _pdf_problems(tables.get("draft_versions"))
    problems += _publication_problems(
        tables.get("publication_images"), tables.get("publication_settings")
    )
    if len(problems) > MAX_REPORTED:
        rest = len(problems) - MAX_REPORTED
        problems = [*problems[:MAX_REPORTED], f"... and {rest:,} more problems"]
    return problems
