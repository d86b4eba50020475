"""A region's publication settings: the rules for its images and accent colour, saving them,
and what a document receives of them (the draft: today's; a version: what it froze)."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import undefer

from belong.extensions import db
from belong.models import PublicationImage, PublicationSettings, Region, User
from belong.services import activity

# An image is refused above this size (the upload) or these dimensions (decoded).
IMAGE_MAX_BYTES = 800 * 1024
IMAGE_MAX_SIDE = 4000
IMAGE_MIN_SIDE = 32
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}

LICENCES = {
    "cc-by-4.0": _l("Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    "cc-by-sa-4.0": _l("Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)"),
    "cc0-1.0": _l("Public domain dedication (CC0 1.0)"),
    "all-rights-reserved": _l("All rights reserved"),
}

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for body text
WHITE = "#ffffff"

# What the settings page and the audit log name; the document reads the same keys.
SNAPSHOT_FIELDS = (
    "logo_sha256",
    "accent",
    "publisher",
    "contact",
    "licence",
    "eu_funded",
    "eu_statement",
    "emblem_sha256",
    "signatory_name",
    "signatory_title",
)


class ImageRefused(ValueError):
    """The upload is not an image the documents may carry (the message says why)."""


@dataclass(frozen=True)
class CheckedImage:
    data: bytes  # re-encoded: no metadata, nothing but the decoded pixels
    media_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_image(raw: bytes) -> CheckedImage:
    """Decode an upload and re-encode it; refuse anything but a PNG or JPEG of sensible size.
    The dimensions are read from the header before any pixel is decoded."""
    from PIL import Image, UnidentifiedImageError

    if not raw:
        raise ImageRefused(_("The file is empty."))
    if len(raw) > IMAGE_MAX_BYTES:
        raise ImageRefused(_("The image is larger than %(size)s kB.", size=IMAGE_MAX_BYTES // 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=list(MEDIA_TYPES)) as image:
                kind = image.format
                width, height = image.size
                if max(width, height) > IMAGE_MAX_SIDE or min(width, height) < IMAGE_MIN_SIDE:
                    raise ImageRefused(
                        _(
                            "The image must be between %(low)s and %(high)s px on each side; "
                            "this one is %(width)s × %(height)s px.",
                            low=IMAGE_MIN_SIDE,
                            high=IMAGE_MAX_SIDE,
                            width=width,
                            height=height,
                        )
                    )
                image.load()
                out = io.BytesIO()
                if kind == "PNG":
                    keep = image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else None
                    (keep or image.convert("RGBA")).save(out, "PNG", optimize=True)
                else:
                    rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
                    rgb.save(out, "JPEG", quality=90)
    except ImageRefused:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise ImageRefused(_("The file is not a PNG or JPEG image that can be read.")) from None
    return CheckedImage(out.getvalue(), MEDIA_TYPES[kind], width, height)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_problem(value: str) -> str | None:
    """Why a brand colour cannot be the document's accent (None: it can). The accent carries
    white text (the cover band) and is the colour of headings on the white page."""
    if not HEX_COLOUR.match(value):
        return _("Give the colour as # and six hexadecimal digits, e.g. #1d5a8c.")
    ratio = contrast_ratio(value, WHITE)
    if ratio < MIN_CONTRAST:
        return _(
            "This colour is too light: against white it has a contrast of %(ratio)s:1, and "
            "text needs at least %(minimum)s:1 to stay readable. Choose a darker shade.",
            ratio=f"{ratio:.1f}",
            minimum=MIN_CONTRAST,
        )
    return None


def settings_of(region: Region) -> PublicationSettings | None:
    return db.session.scalar(
        select(PublicationSettings).where(PublicationSettings.region_id == region.id)
    )


def image_of(region_id: int, sha256: str | None) -> PublicationImage | None:
    """One of this region's images (never another region's, whatever the hash)."""
    if not sha256:
        return None
    return db.session.scalar(
        select(PublicationImage)
        .where(PublicationImage.region_id == region_id, PublicationImage.sha256 == sha256)
        .options(undefer(PublicationImage.data))
    )


def _store(region: Region, image: CheckedImage) -> str:
    sha = image.sha256
    if image_of(region.id, sha) is None:
        db.session.add(
            PublicationImage(
                region_id=region.id,
                sha256=sha,
                media_type=image.media_type,
                width=image.width,
                height=image.height,
                data=image.data,
            )
        )
    return sha


def save(
    region: Region,
    user: User,
    values: dict[str, Any],
    *,
    logo: CheckedImage | None = None,
    emblem: CheckedImage | None = None,
    remove_logo: bool = False,
    remove_emblem: bool = False,
) -> PublicationSettings:
    """Store checked settings and images in this transaction (the caller commits) and audit
    which fields changed."""
    settings = settings_of(region)
    if settings is None:
        settings = PublicationSettings(region_id=region.id, accent="", eu_funded=False)
        db.session.add(settings)
    before = snapshot_of(settings)
    for name in SNAPSHOT_FIELDS:
        if name in values:
            setattr(settings, name, values[name])
    if remove_logo:
        settings.logo_sha256 = None
    if logo is not None:
        settings.logo_sha256 = _store(region, logo)
    if remove_emblem or not settings.eu_funded:
        settings.emblem_sha256 = None
    if emblem is not None and settings.eu_funded:
        settings.emblem_sha256 = _store(region, emblem)
    settings.updated_by_id = user.id
    changed = [name for name in SNAPSHOT_FIELDS if before.get(name) != getattr(settings, name)]
    activity.record("publication_settings_changed", region, user, fields=", ".join(changed))
    db.session.flush()
    return settings


def snapshot_of(settings: PublicationSettings | None) -> dict[str, Any]:
    if settings is None:
        return {}
    return {name: getattr(settings, name) for name in SNAPSHOT_FIELDS}


def snapshot(region: Region) -> dict[str, Any] | None:
    """What a version freezes (None: the region has no settings)."""
    found = snapshot_of(settings_of(region))
    return found or None


def data_uri(image: PublicationImage) -> str:
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"


def document_publication(region: Region, frozen: dict[str, Any] | None) -> dict[str, Any] | None:
    """The layout's `publication`: plain values, the images as data: URIs of this region's
    stored images only (the PDF fetcher serves those and bundled files, nothing else)."""
    if not frozen:
        return None
    logo = image_of(region.id, frozen.get("logo_sha256"))
    emblem = image_of(region.id, frozen.get("emblem_sha256")) if frozen.get("eu_funded") else None
    licence = frozen.get("licence") or ""
    return {
        "logo": data_uri(logo) if logo else "",
        "accent": frozen.get("accent") or "",
        "publisher": frozen.get("publisher") or "",
        "contact": frozen.get("contact") or "",
        "licence": str(LICENCES[licence]) if licence in LICENCES else "",
        "licence_code": licence,
        "eu_funded": bool(frozen.get("eu_funded")),
        "eu_statement": frozen.get("eu_statement") or "",
        "emblem": data_uri(emblem) if emblem else "",
        "signatory_name": frozen.get("signatory_name") or "",
        "signatory_title": frozen.get("signatory_title") or "",
    }
