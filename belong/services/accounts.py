"""Accounts: password hashing, invitations and one-time links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask import current_app, has_app_context
from sqlalchemy import func, select

from belong.extensions import db
from belong.models import Membership, Region, Role, Token, User
from belong.models.base import utcnow
from belong.services.errors import DomainError

# argon2id with the library's recommended parameters (64 MiB, 3 passes). The test suite
# alone uses a cheap argon2id profile so that hundreds of logins stay fast.
_HASHERS = {
    "standard": PasswordHasher(),
    "fast-for-tests": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
# Verified against when the e-mail is unknown, so a miss takes as long as a hit.
_DUMMY_HASHES: dict[str, str] = {}


def _profile() -> str:
    return current_app.config["ARGON2_PROFILE"] if has_app_context() else "standard"


def _hasher() -> PasswordHasher:
    return _HASHERS[_profile()]


def _dummy_hash() -> str:
    profile = _profile()
    if profile not in _DUMMY_HASHES:
        _DUMMY_HASHES[profile] = _HASHERS[profile].hash("not a real password")
    return _DUMMY_HASHES[profile]


MIN_PASSWORD = 8
MAX_PASSWORD = 256


class EmailTaken(DomainError):
    pass


class InvalidToken(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    stored = user.password_hash if user and user.password_hash else _dummy_hash()
    try:
        _hasher().verify(stored, password)
    except (VerifyMismatchError, InvalidHashError):
        return None
    if user is None or not user.password_hash or not user.active:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def create_user(
    email: str, name: str, *, password: str | None = None, is_admin: bool = False
) -> User:
    if find_user(email):
        raise EmailTaken(email)
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        is_admin=is_admin,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_version += 1  # other sessions end


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: str, hours: int) -> str:
    """A one-time link secret; only its hash is kept."""
    raw = secrets.token_urlsafe(32)
    db.session.add(
        Token(
            user_id=user.id,
            purpose=purpose,
            token_hash=_token_hash(raw),
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    db.session.flush()
    return raw


def token_user(raw: str) -> Token:
    token = db.session.scalar(select(Token).where(Token.token_hash == _token_hash(raw)))
    if token is None or token.used_at is not None:
        raise InvalidToken("used or unknown")
    if not token.user.active:  # a disabled account cannot be taken back through a link
        raise InvalidToken("account disabled")
    expires = token.expires_at
    if expires.tzinfo is None:  # SQLite gives naive datetimes back
        expires = expires.replace(tzinfo=utcnow().tzinfo)
    if expires < utcnow():
        raise InvalidToken("expired")
    return token


def use_token(raw: str, password: str) -> User:
    token = token_user(raw)
    token.used_at = utcnow()
    set_password(token.user, password)
    db.session.flush()
    return token.user


def invite(
    region: Region | None,
    email: str,
    name: str,
    role: Role | None,
    *,
    hours: int,
    organisation: str = "",
    category: str = "",
    is_admin: bool = False,
) -> tuple[User, str | None]:
    """Add a person to a region (creating the account if new); returns a set-password link
    secret for people who have no password yet."""
    user = find_user(email)
    if user is None:
        user = create_user(email, name, is_admin=is_admin)
    if region is not None and role is not None:
        membership = db.session.scalar(
            select(Membership).where(
                Membership.region_id == region.id, Membership.user_id == user.id
            )
        )
        if membership is None:
            membership = Membership(region=region, user=user, role=role)
            db.session.add(membership)
        membership.role = role
        membership.organisation = organisation.strip()
        membership.category = category
    db.session.flush()
    if user.password_hash:
        return user, None
    return user, issue_token(user, "invite", hours)
