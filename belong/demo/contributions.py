"""Demo stakeholder input for Valdoria, from several categories, some adopted, so the
consultation record annex of the demo document is real."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from belong.demo import texts
from belong.extensions import db
from belong.models import Contribution, ContributionStatus, Region
from belong.models.base import utcnow
from belong.services import accounts
from belong.templating.registry import get_template

REGION = "valdoria"
# Who wrote each demo contribution, by its category (the file names the organisation).
AUTHOR_BY_CATEGORY = {
    "migrant_led": "contributor@belong.example",
    "ngo": "ngo@belong.example",
    "other": "ngo@belong.example",
    "employer": "employer@belong.example",
    "education": "school@belong.example",
    "municipality": "municipality@belong.example",
}
DECIDER = "coordinator@belong.example"


def _entries() -> list[dict]:
    return texts.load(REGION).get("contributions") or []


def load_demo_contributions() -> None:
    region = db.session.scalar(select(Region).where(Region.slug == REGION))
    if region is None:
        return
    decider = accounts.find_user(DECIDER)
    template = get_template(region.template_id).definition
    entries = _entries()
    start = utcnow() - timedelta(days=len(entries) + 7)
    for n, entry in enumerate(entries):
        step = template.step(entry["step"])
        if step is None:
            continue
        author = accounts.find_user(AUTHOR_BY_CATEGORY.get(entry["category"], DECIDER))
        prompt = entry.get("prompt")
        status = ContributionStatus(entry.get("status", "pending"))
        written = start + timedelta(days=n)
        decided = status is not ContributionStatus.PENDING
        db.session.add(
            Contribution(
                region_id=region.id,
                step_id=step.id,
                prompt_index=prompt
                if isinstance(prompt, int) and prompt < len(step.prompts)
                else None,
                author_id=author.id if author else None,
                organisation=entry.get("organisation", ""),
                category=entry["category"],
                body=entry["body"].strip(),
                status=status,
                reason=entry.get("reason", "") or "",
                decided_by_id=decider.id if decided and decider else None,
                decided_at=written + timedelta(days=3) if decided else None,
                show_organisation=True,
                show_name=False,
                created_at=written,
                updated_at=written,
            )
        )
    db.session.flush()
