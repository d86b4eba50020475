"""Valdoria's publication settings for the demo: a logo and an EU emblem drawn here in code
(nothing fetched), its brand colour and its imprint details."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

from belong.models import Region, User
from belong.services import publication

FONT = "/usr/share/fonts/truetype/open-sans/OpenSans-Bold.ttf"


def _font(size: int):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # the font is not installed: Pillow's own
        return ImageFont.load_default(size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def draw_logo() -> bytes:
    """Three overlapping rings (equality, diversity, interaction) and the region's name."""
    image = Image.new("RGBA", (720, 220), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for (x, y), colour in zip(
        ((80, 85), (140, 85), (110, 138)),
        ((23, 92, 120, 255), (179, 84, 30, 255), (46, 125, 91, 255)),
        strict=True,
    ):
        draw.ellipse((x - 58, y - 58, x + 58, y + 58), outline=colour, width=14)
    draw.text((220, 42), "VALDORIA", font=_font(78), fill=(23, 60, 90, 255))
    draw.text((224, 138), "Regional Government", font=_font(36), fill=(60, 70, 80, 255))
    return _png(image)


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    return [
        (
            cx + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5),
            cy - (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]


def draw_eu_emblem() -> bytes:
    """The European flag: twelve gold stars in a circle on blue, 3:2."""
    width, height = 450, 300
    image = Image.new("RGB", (width, height), (0, 51, 153))
    draw = ImageDraw.Draw(image)
    radius, star = height / 3, height / 18
    for k in range(12):
        angle = 2 * math.pi * k / 12
        x = width / 2 + radius * math.sin(angle)
        y = height / 2 - radius * math.cos(angle)
        draw.polygon(_star(x, y, star), fill=(255, 204, 0))
    return _png(image)


def load_demo_publication(region: Region, coordinator: User) -> None:
    publication.save(
        region,
        coordinator,
        {
            "accent": "#175c78",
            "publisher": "Regional Government of Valdoria, Department of Social Affairs",
            "contact": "Directorate-General for Social Cohesion and Equal Opportunities\n"
            "Plaza de la Concordia 4, 10100 Valdoria\n"
            "intercultural@valdoria.example · +00 123 456 789",
            "licence": "cc-by-4.0",
            "eu_funded": True,
            "eu_statement": "Co-funded by the European Union through the Asylum, Migration and "
            "Integration Fund (AMIF). Views and opinions expressed are those of the author(s) "
            "only and do not necessarily reflect those of the European Union or the European "
            "Commission. Neither the European Union nor the granting authority can be held "
            "responsible for them.",
            "signatory_name": "Elena Marín Sorolla",
            "signatory_title": "Regional Minister for Social Affairs and Coexistence",
        },
        logo=publication.check_image(draw_logo()),
        emblem=publication.check_image(draw_eu_emblem()),
    )
