"""Accounts: password hashing, invitations and one-time links."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

import idna
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask import current_app, has_app_context
from sqlalchemy import func, select, update

from belong.extensions import db
from belong.models import Membership, Region, Role, Token, User
from belong.models.base import as_utc, utcnow
from belong.services import members
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


# Letters of these alphabets look alike ("а" is Cyrillic, "a" Latin): a part of an address
# that mixes them is almost always a look-alike of another address.
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def normalise_email(email: str) -> str:
    """One spelling per address, used for storing, signing in, inviting, resetting and
    importing: NFKC (full-width "ｐａｕｌ" is "paul"), lower case, the domain in its IDNA form."""
    text = unicodedata.normalize("NFKC", email).strip().lower()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    # Not a valid domain: it stays as typed, matches no account, and the forms refuse it.
    with contextlib.suppress(UnicodeError):
        domain = idna.decode(idna.encode(domain, uts46=True))
    return f"{local}@{domain}"


def mixed_scripts(email: str) -> bool:
    """Does one part of the address (before the @, or one label of the domain) mix letters
    of look-alike alphabets?"""
    text = unicodedata.normalize("NFKC", email).strip().lower()
    local, _at, domain = text.rpartition("@")
    for part in [local, *domain.split(".")]:
        scripts = {
            unicodedata.name(char, "").split(" ")[0] for char in part if char.isalpha()
        } & set(_CONFUSABLE_SCRIPTS)
        if len(scripts) > 1:
            return True
    return False


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
    if as_utc(token.expires_at) < utcnow():
        raise InvalidToken("expired")
    return token


def use_token(raw: str, password: str) -> User:
    """Set the password; this link and every other outstanding link of the account stop
    working."""
    token = token_user(raw)
    claimed = db.session.execute(
        update(Token)
        .where(Token.id == token.id, Token.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # another request used it a moment ago
        raise InvalidToken("used")
    set_password(token.user, password)
    expire_tokens(token.user)
    db.session.flush()
    return token.user


def expire_tokens(user: User) -> None:
    """Unused one-time links of this person stop working."""
    db.session.execute(
        update(Token)
        .where(Token.user_id == user.id, Token.used_at.is_(None))
        .values(used_at=utcnow())
    )


@dataclass(frozen=True)
class Invitation:
    user: User
    new_account: bool  # created by this invitation
    new_member: bool  # not a member of the region before
    secret: str | None  # the set-password link's secret, only for a new account


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
) -> Invitation:
    """Add a person to a region, creating the account if the address has none.

    Only an account this invitation creates gets a link to choose its password. An existing
    account (with a password or not) is never handed to the inviter: the person chooses a
    password through "Forgot your password?", which reaches only their own mailbox. Raises
    members.LastCoordinator when it would leave the region without a coordinator."""
    user = find_user(email)
    new_account = user is None
    if user is None:
        user = create_user(email, name, is_admin=is_admin)
    new_member = False
    if region is not None and role is not None:
        membership = members.membership_of(region, user)
        if membership is None:
            new_member = True
            db.session.add(
                Membership(
                    region=region,
                    user=user,
                    role=role,
                    organisation=organisation.strip(),
                    category=category,
                )
            )
        else:
            members.change_member(
                membership, role=role, organisation=organisation, category=category
            )
    if new_member and not new_account:
        # A link someone else holds for this account must not open this region.
        expire_tokens(user)
    db.session.flush()
    secret = issue_token(user, "invite", hours) if new_account else None
    return Invitation(user, new_account, new_member, secret)


class CannotResend(Exception):
    """A new link for this account would hand it to someone who does not own it."""


def pending_invitations(region: Region) -> dict[int, datetime | None]:
    """Members of `region` who have not chosen a password yet: membership id -> when their
    newest unused link expires (None when every link has expired or been used)."""
    rows = db.session.execute(
        select(Membership.id, func.max(Token.expires_at))
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            Token,
            (Token.user_id == User.id) & (Token.purpose == "invite") & Token.used_at.is_(None),
        )
        .where(Membership.region_id == region.id, User.password_hash.is_(None))
        .group_by(Membership.id)
    )
    now = utcnow()
    return {
        membership_id: (as_utc(expires) if expires is not None and as_utc(expires) > now else None)
        for membership_id, expires in rows
    }


def revoke_invitation(membership: Membership) -> None:
    """Withdraw a pending invitation: the membership goes and the person's unused links
    stop working."""
    user = membership.user
    members.remove_member(membership)
    expire_tokens(user)
    db.session.flush()


def resend_invitation(membership: Membership, hours: int) -> str:
    """A new set-password link for a member who never chose a password; their older links
    stop working. Refused (CannotResend) for an account that belongs to anyone beyond this
    region, or to the programme's admins: only its owner's mailbox may give it a password."""
    user = membership.user
    regions = db.session.scalar(
        select(func.count(Membership.id)).where(Membership.user_id == user.id)
    )
    if user.password_hash or user.is_admin or regions != 1:
        raise CannotResend(user.id)
    expire_tokens(user)
    return issue_token(user, "invite", hours)
