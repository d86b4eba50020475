"""The demo's public consultation: Valdoria consulted the public on v1; it is closed, its
comments moderated and answered, and v2 carries the record. Nordmark has none."""

from __future__ import annotations

from datetime import timedelta

from belong.models import CommentResponse, DraftVersion, Region, User
from belong.services import consultations as service
from belong.templating.registry import get_template

INTRODUCTION = (
    "Valdoria is preparing its first intercultural strategy. Tell us what you think of the "
    "draft: comment on any section, or answer the two questions below. Every comment is read "
    "by the strategy team, and we publish our answers here once the consultation has closed."
)
NOTICE = (
    "We keep your comment and, if you give them, your name, organisation and category, to "
    "prepare the strategy. The strategy team of the Regional Government of Valdoria reads "
    "every comment; it is published here only if you agree. We keep no address and set no "
    "tracking cookie. Names and organisations are erased six months after the consultation "
    "closes; write to strategy@valdoria.example to have your comment erased sooner."
)
QUESTIONS = [
    "What would make you feel more at home in Valdoria?",
    "Which action should come first, and why?",
]
# target, text, name, organisation, category, consent, moderation, answer, reason, changed
COMMENTS = [
    ("vision--vision_statement",
     "The vision talks about services, but not about people meeting each other. In our "
     "village the only place where newcomers and old residents meet is the football club.",
     "Marta Kovač", "", "resident", True, "publish",
     CommentResponse.ADOPTED,
     "We rewrote the vision to name meeting and mixing in everyday places, including sport "
     "clubs and the villages of Alta Valdoria.",
     ["vision--vision_statement"]),
    ("action_plan--actions",
     "The welcome desks are a good idea, but they close at 3 pm. People who work cannot go.",
     "", "Open Doors Valdoria", "ngo", True, "publish",
     CommentResponse.NOTED,
     "Opening hours are set by each desk's host municipality; we will ask for one late "
     "afternoon a week when the desks are set up in 2027.",
     []),
    ("q2",
     "Language courses at the workplace first: our staff cannot attend evening classes.",
     "", "Valdoria Food Processors", "employer", True, "publish",
     CommentResponse.DECLINED,
     "Workplace courses are in the plan for 2028, after the regional course catalogue exists; "
     "moving them first would mean courses without trained teachers.",
     []),
    ("general",
     "Please publish the strategy in plain language as well.",
     "", "", "", False, None,
     CommentResponse.NOTED,
     "A plain-language summary will be published with the adopted strategy.",
     []),
    ("general",
     "Cheap flights and hotel deals, visit our website!",
     "", "", "", True, "hide",
     CommentResponse.DECLINED,
     "Not a comment on the strategy.",
     []),
]  # fmt: skip


def load_demo_consultation(region: Region, version: DraftVersion, coordinator: User) -> None:
    """Opened four weeks ago on v1, closed early today, every comment answered."""
    today = service.today()
    definition = get_template(region.template_id).definition
    consultation = service.open_consultation(
        region,
        version,
        coordinator,
        opens_on=today - timedelta(days=28),
        closes_on=today + timedelta(days=14),
        introduction=INTRODUCTION,
        categories=[o.value for o in definition.stakeholder_categories],
        questions=QUESTIONS,
        privacy_notice=NOTICE,
        keep_personal_data_until=today + timedelta(days=14 + 182),
        publish_names=True,
    )
    outline = service.version_outline(region, version)
    made = []
    for target, body, name, organisation, category, consent, *_rest in COMMENTS:
        part = outline.part(target)
        question = int(target[1:]) - 1 if target.startswith("q") else None
        made.append(
            service.add_comment(
                consultation,
                target=target,
                section_title=part.title if part else "",
                chapter=part.chapter_id if part else "",
                chapter_title=part.chapter_title if part else "",
                question_index=question,
                body=body,
                name=name,
                organisation=organisation,
                category=category,
                consent=consent,
            )
        )
    service.close(consultation, coordinator)
    for comment, row in zip(made, COMMENTS, strict=True):
        moderation, response, reason, changed = row[6:]
        if moderation == "publish":
            service.moderate(comment, coordinator, publish=True)
        elif moderation == "hide":
            service.moderate(comment, coordinator, publish=False, reason="Advertising.")
        service.answer(
            comment,
            coordinator,
            response=response,
            reason=reason,
            changed=changed,
            template=definition,
        )
