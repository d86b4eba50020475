"""What the API answers, as pydantic models: the one description of each response body,
used to build it (belong/api/*.py) and to describe it (/api/v1/openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from belong.web import LARGEST_ID

PER_PAGE = 50
MAX_PER_PAGE = 100


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(Model):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field("about:blank", description="A URI naming the kind of problem.")
    title: str = Field(description="The HTTP status phrase.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, for a person to read.")


class Paging(Model):
    page: int = Field(1, ge=1, le=LARGEST_ID, description="The page to show, from 1.")
    per_page: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Items per page.")


StepState = Literal["not_started", "in_progress", "completed"]


class RegionLinks(Model):
    self: str = Field(description="This region in the API.")
    versions: str = Field(description="The region's submitted versions in the API.")
    page: str = Field(description="The region's home page in the browser.")


class RegionItem(Model):
    slug: str
    name: str
    country: str
    period: str
    language: str = Field(description="The language the strategy is written in.")
    template: str = Field(description="The strategy template the region follows.")
    role: str | None = Field(
        description="The token holder's role in the region; null for a programme admin "
        "who is not a member."
    )
    percent_complete: int = Field(ge=0, le=100, description="The share of steps completed.")
    links: RegionLinks


class RegionList(Model):
    regions: list[RegionItem]
    page: int
    pages: int
    total: int


class StepItem(Model):
    id: str
    title: str
    state: StepState
    answered: int = Field(description="Questions answered (of those that apply).")
    missing_required: list[str] = Field(description="Ids of required questions not answered.")
    links: dict[str, str] = Field(description="self: the step in the API; page: in the browser.")


class RegionDetail(RegionItem):
    steps: list[StepItem]
    latest_version: int | None = Field(description="The number of the newest version, if any.")


class AnswerItem(Model):
    question: str = Field(description="The question's id.")
    type: str = Field(description="The question type (short_text, table, scale, …).")
    label: str
    required: bool
    applies: bool = Field(
        description="Whether the question applies, given the step's other answers; an answer "
        "to a question that does not apply is kept but left out of the document."
    )
    answered: bool
    value: Any = Field(
        description="The stored answer: text (Markdown for long texts), a number, an ISO date, "
        "an option value, a list of option values, a scale answer, or the rows of a table "
        "(objects keyed by column id); null when unanswered."
    )
    text: str = Field(description="The answer as plain text a person can read.")
    updated_at: datetime | None


class StepDetail(StepItem):
    answers: list[AnswerItem]


class VersionLinks(Model):
    self: str
    pdf: str = Field(description="The version's PDF, exactly as submitted (API).")
    docx: str = Field(description="The version as a Word document (API).")
    released_pdf: str | None = Field(description="The released PDF (API), once released.")
    page: str = Field(description="The version's page in the browser.")


class VersionItem(Model):
    number: int
    message: str
    submitted_at: datetime
    submitted_by: str | None = Field(description="The name of who submitted it.")
    pdf_ready: bool = Field(description="Whether the PDF has rendered and been recorded.")
    sha256: str | None = Field(description="The SHA-256 of the PDF, once recorded.")
    released_at: datetime | None
    released_sha256: str | None
    links: VersionLinks


class VersionList(Model):
    versions: list[VersionItem]


class CheckItem(Model):
    id: str = Field(description="The check's id in the strategy template.")
    status: Literal["pass", "warning", "fail"]
    title: str = Field(description="What the check asks, in the token owner's language.")
    detail: str = Field(description="What was found.")
    advice: str = Field(description="What to do; empty once the check passes.")
    step: str = Field(description="The step where to act.")
    question: str | None = Field(description="The question where to act, if one.")
    page: str = Field(description="That place in the browser.")


class CheckList(Model):
    counts: dict[str, int] = Field(description="How many checks passed, warn and fail.")
    items: list[CheckItem]


class RecordItem(Model):
    key: str = Field(description="The record's stable key (it never changes).")
    title: str
    values: dict[str, Any] = Field(description="The record's fields as stored, by field id.")
    refs: dict[str, list[str]] = Field(description="Keys of the records each field refers to.")
    updated_at: datetime | None
    page: str = Field(description="The record's page in the browser.")


class RecordList(Model):
    kind: str
    label: str = Field(description="The kind's name, in the token owner's language.")
    items: list[RecordItem]
