"""Users and their roles; passwords kept only as argon2id hashes. Every change is audited
in the same transaction."""

from __future__ import annotations

import re
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from vigil.domain import ROLES, UserRecord
from vigil.errors import InvalidInputError, NotFoundError
from vigil.store.audit import append
from vigil.store.sql import Alarm, Database, RevokedToken, User, utcnow

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# names Vigil writes as the author of its own words: no person may sign in as one
RESERVED = frozenset({"vigil", "vigil-model"})
MIN_PASSWORD = 10
MAX_PASSWORD = 200
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
# a hash to check against when the user does not exist, so timing does not tell names
_NOBODY = _HASHER.hash("no such user")


def _hash(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInputError(
            f"a password needs at least {MIN_PASSWORD} and at most {MAX_PASSWORD} characters"
        )
    return _HASHER.hash(password)


def _record(row: User) -> UserRecord:
    return UserRecord(
        name=row.name,
        role=row.role,
        created=row.created_utc,
        cameras=row.cameras,
        password_changed=row.password_utc,
    )


class UserRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self, name: str, role: str, password: str, by: str, cameras: list[str] | None = None
    ) -> UserRecord:
        """A new user; ``cameras`` limits what they see (None: every camera)."""
        if not NAME.fullmatch(name):
            raise InvalidInputError(
                "a user name is 1-64 lower-case letters, digits, '.', '_' or '-'"
            )
        if name in RESERVED:
            raise InvalidInputError(f"{name!r} is the name Vigil signs its own words with")
        if cameras is not None and not cameras:
            raise InvalidInputError(
                "a user limited to cameras needs at least one (leave the cameras out for all)"
            )
        if role not in ROLES:
            raise InvalidInputError(f"a role is one of {', '.join(ROLES)}")
        digest = _hash(password)
        with self.db.session() as s:
            if s.get(User, name) is not None:
                raise InvalidInputError(f"user {name!r} exists already")
            row = User(name=name, role=role, password_hash=digest, cameras=cameras)
            s.add(row)
            append(s, by, "user.add", f"user:{name}", {"role": role, "cameras": cameras})
            s.flush()
            return _record(row)

    def set_password(self, name: str, password: str, by: str) -> None:
        digest = _hash(password)
        with self.db.session() as s:
            row = s.get(User, name)
            if row is None:
                raise NotFoundError(f"no user {name!r}")
            row.password_hash, row.password_utc = digest, utcnow()
            append(s, by, "user.password", f"user:{name}")

    def remove(self, name: str, by: str) -> None:
        """Remove a user: their sign-ins stop working at once; the alarms they had taken and
        not decided go back to the queue; what they did stays audited."""
        with self.db.session() as s:
            row = s.get(User, name)
            if row is None:
                raise NotFoundError(f"no user {name!r}")
            s.delete(row)
            taken = s.scalars(
                select(Alarm.id).where(Alarm.owner == name, Alarm.review.is_(None))
            ).all()
            s.execute(update(Alarm).where(Alarm.id.in_(taken)).values(owner=None, on_hold=False))
            append(s, by, "user.remove", f"user:{name}", {"role": row.role})
            for alarm_id in taken:
                append(s, by, "alarm.release", f"alarm:{alarm_id}", {"owner": None})

    def list(self) -> list[UserRecord]:
        with self.db.session() as s:
            return [_record(row) for row in s.scalars(select(User).order_by(User.name))]

    def any(self) -> bool:
        """Whether the site has any user yet."""
        with self.db.session() as s:
            return s.scalar(select(User.name).limit(1)) is not None

    def get(self, name: str) -> UserRecord | None:
        with self.db.session() as s:
            row = s.get(User, name)
            return _record(row) if row else None

    def revoke_token(self, token_id: str, expires: datetime) -> None:
        """End a sign-in or API token before its time; expired entries are dropped."""
        with self.db.session() as s:
            s.execute(delete(RevokedToken).where(RevokedToken.expires_utc < utcnow()))
            if s.get(RevokedToken, token_id) is None:
                s.add(RevokedToken(token_id=token_id, expires_utc=expires))

    def token_revoked(self, token_id: str) -> bool:
        with self.db.session() as s:
            return s.get(RevokedToken, token_id) is not None

    def check(self, name: str, password: str) -> UserRecord | None:
        """The user if the password is theirs, else None (in about the same time)."""
        with self.db.session() as s:
            row = s.get(User, name)
            try:
                ok = _HASHER.verify(row.password_hash if row else _NOBODY, password[:MAX_PASSWORD])
            except (VerificationError, InvalidHashError):
                ok = False
            if row is None or not ok:
                return None
            if _HASHER.check_needs_rehash(row.password_hash):  # the parameters were raised
                row.password_hash = _HASHER.hash(password)
            return _record(row)
