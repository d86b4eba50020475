from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_next(default: str) -> str:
    """Only a path on this site is followed after login; anything else goes to default."""
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or parts.scheme
        or parts.netloc
        or any(ord(c) < 32 for c in target)
    ):
        return default
    return target
