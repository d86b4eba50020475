"""The "Preparing your document" page, shown while a PDF renders off the request: one place
for every PDF a page offers (the draft, a version, the released and adopted editions, the
review copy)."""

from __future__ import annotations

from flask import render_template

from belong.models import Region
from belong.services import pdf_jobs


def preparing_page(
    region: Region,
    state: pdf_jobs.JobState,
    *,
    status_url: str,
    here: str,
    ready_label: str,
    retry_url: str,
    ready_url: str | None = None,
):
    """The page (polling `status_url`, checking `here` without JavaScript); 503 when the
    document is too large to render."""
    return render_template(
        "document/preparing.html",
        region=region,
        state=state,
        status_url=status_url,
        check_url=here,
        ready_url=ready_url or here,
        ready_label=ready_label,
        retry_url=retry_url,
    ), 503 if state is pdf_jobs.JobState.TOO_LARGE else 200
