"""Personal access tokens of the read-only API: made, listed, revoked and checked here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from belong.extensions import db
from belong.models import ApiToken, User
from belong.models.base import utcnow
from belong.services import activity
from belong.services.errors import DomainError

PREFIX = "blg_"  # tells a Belong token apart in a secret scanner or a config file
SHOWN_PREFIX = 12  # characters of the secret kept in clear, to tell tokens apart
EXPIRY_DAYS = (7, 30, 90, 365)  # the lifetimes offered when a token is made
MAX_TOKENS = 10  # per person, expired ones included: the list stays short
READ = "read"  # the one scope there is: the API only reads
# A token's last use is written at most this often (not on every request).
LAST_USED_EVERY = timedelta(minutes=5)


class TooManyTokens(DomainError):
    pass


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create(user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new read token of `user`, valid `days` days; the secret is returned once and only
    its hash is kept."""
    if days not in EXPIRY_DAYS:
        raise ValueError(f"a token lasts one of {EXPIRY_DAYS} days")
    count = db.session.scalar(
        select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)
    )
    if (count or 0) >= MAX_TOKENS:
        raise TooManyTokens(MAX_TOKENS)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip(),
        prefix=secret[:SHOWN_PREFIX],
        token_hash=digest(secret),
        scope=READ,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    activity.record("api_token_created", user=user, token=token.prefix, days=days)
    return token, secret


def revoke(user: User, token_id: int) -> ApiToken | None:
    """Delete one of `user`'s tokens (None: they have no such token); it stops working at once."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        return None
    db.session.execute(delete(ApiToken).where(ApiToken.id == token.id))
    activity.record("api_token_revoked", user=user, token=token.prefix)
    return token


def is_expired(token: ApiToken, now: datetime | None = None) -> bool:
    return _aware(token.expires_at) <= (now or utcnow())


def authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret whose person may still sign in; None otherwise.
    Notes its use (at most every LAST_USED_EVERY) for the account page."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    found = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(secret))
    ).first()
    if found is None:
        return None
    token, user = found
    now = utcnow()
    if token.scope != READ or is_expired(token, now) or not user.active:
        return None
    if token.last_used_at is None or _aware(token.last_used_at) < now - LAST_USED_EVERY:
        token.last_used_at = now
        db.session.commit()
    return token


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every stored one is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
