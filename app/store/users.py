"""End users (the people who sign in at the login page) and the local admin account."""

from __future__ import annotations

import time
import uuid
from functools import cache
from typing import Any

from peewee import IntegrityError, fn

from .crypto import check_password, hash_password, hash_value
from .errors import AlreadyExists, NotFound
from .records import UserRecord
from .rows import table

#: The settings row holding the admin sign-in sessions.
ADMIN_SESSIONS = "admin_sessions"
#: Seconds between two recorded uses of an admin session (fewer writes while a screen polls).
ADMIN_USE_INTERVAL = 10


@cache
def _dummy_hash() -> str:
    """Checked when the account does not exist, so a miss costs as much as a wrong password."""
    return hash_password("pocket-op")


class UserStore:
    def _user_record(self, row) -> UserRecord:
        return UserRecord(sub=row.sub, username=row.username, claims=row.claims,
                          active=row.active, created_at=row.created_at, updated_at=row.updated_at)

    def create_user(self, username: str, password: str, claims: dict[str, Any] | None = None,
                    sub: str | None = None) -> UserRecord:
        now = time.time()
        try:
            row = self.m.User.create(
                sub=sub or str(uuid.uuid4()), username=username,
                password_hash=hash_password(password), claims=claims or {}, active=True,
                created_at=now, updated_at=now,
            )
        except IntegrityError:
            raise AlreadyExists(f"user {username!r}") from None
        return self._user_record(row)

    def get_user(self, username: str) -> UserRecord:
        row = table(self, "User").one('"username" = ?', username)
        if row is None:
            raise NotFound(f"user {username!r}")
        return self._user_record(row)

    def get_user_by_sub(self, sub: str) -> UserRecord:
        row = table(self, "User").one('"sub" = ?', sub)
        if row is None:
            raise NotFound(f"user with sub {sub!r}")
        return self._user_record(row)

    def find_users(self, query: str | None = None) -> list[UserRecord]:
        """Every user ordered by username; with ``query``, those whose username, sub, name or
        email claim contains it (case-insensitive)."""
        model = self.m.User
        select = model.select().order_by(model.username)
        if query:
            text = query.lower()
            searched = (model.username, model.sub, fn.json_extract(model.claims, "$.name"),
                        fn.json_extract(model.claims, "$.email"))
            condition = None
            for column in searched:
                match = fn.instr(fn.lower(column), text) > 0
                condition = match if condition is None else condition | match
            select = select.where(condition)
        return [self._user_record(r) for r in select]

    def update_user(self, sub: str, *, claims: dict[str, Any] | None = None,
                    password: str | None = None, active: bool | None = None) -> UserRecord:
        row = self.m.User.get_or_none(self.m.User.sub == sub)
        if row is None:
            raise NotFound(f"user with sub {sub!r}")
        if claims is not None:
            row.claims = claims
        if password is not None:
            row.password_hash = hash_password(password)
        if active is not None:
            row.active = active
        row.updated_at = time.time()
        row.save()
        return self._user_record(row)

    def get_user_password_hash(self, sub: str) -> str:
        """The stored scrypt hash (never the password), for a lossless export."""
        row = self.m.User.get_or_none(self.m.User.sub == sub)
        if row is None:
            raise NotFound(f"user with sub {sub!r}")
        return row.password_hash

    def save_user(self, sub: str, username: str, password_hash: str, claims: dict[str, Any],
                  active: bool = True) -> UserRecord:
        """Create or overwrite the user ``sub`` with a password hash kept as is (an import);
        AlreadyExists when another user holds ``username``."""
        now = time.time()
        model = self.m.User
        try:
            with self.db.atomic():
                row = model.get_or_none(model.sub == sub)
                is_new = row is None
                if is_new:
                    row = model(sub=sub, created_at=now)
                row.username, row.password_hash, row.claims = username, password_hash, claims
                row.active, row.updated_at = active, now
                row.save(force_insert=is_new)
        except IntegrityError:
            raise AlreadyExists(f"user {username!r}") from None
        return self._user_record(row)

    def delete_user(self, sub: str) -> None:
        if not self.m.User.delete().where(self.m.User.sub == sub).execute():
            raise NotFound(f"user with sub {sub!r}")

    def authenticate_user(self, username: str, password: str) -> UserRecord | None:
        """The active user whose password this is, or None."""
        row = self.m.User.get_or_none(self.m.User.username == username)
        stored = row.password_hash if row is not None else _dummy_hash()
        if check_password(password, stored) and row is not None and row.active:
            return self._user_record(row)
        return None

    def save_admin_password(self, username: str, password: str) -> None:
        now = time.time()
        (self.m.Admin.insert(username=username, password_hash=hash_password(password),
                             created_at=now, updated_at=now)
         .on_conflict(conflict_target=[self.m.Admin.username],
                      preserve=[self.m.Admin.password_hash, self.m.Admin.updated_at])
         .execute())

    def check_admin_password(self, username: str, password: str) -> bool:
        row = self.m.Admin.get_or_none(self.m.Admin.username == username)
        stored = row.password_hash if row is not None else _dummy_hash()
        return check_password(password, stored) and row is not None

    # Admin sign-in sessions: the digests of their random ids, when each ends and when it was
    # last used, in the settings row ``admin_sessions`` (so they survive a restart and a
    # logout ends one). Entries of the older format (a bare end time) are dropped.

    def save_admin_session(self, session_id: str, expires_at: float) -> None:
        with self.db.atomic():
            sessions = self._live_admin_sessions()
            sessions[hash_value(session_id)] = {"ends": expires_at, "used": time.time()}
            self.save_setting(ADMIN_SESSIONS, sessions)

    def check_admin_session(self, session_id: str) -> bool:
        """Whether the admin session is saved and has not ended."""
        return hash_value(session_id) in self._live_admin_sessions()

    def use_admin_session(self, session_id: str, idle_lifetime: float) -> bool:
        """Whether the admin session is saved, has not ended and was last used at most
        ``idle_lifetime`` seconds ago; if so, record this use (one write per
        ``ADMIN_USE_INTERVAL`` at most), else end it."""
        digest, now = hash_value(session_id), time.time()
        with self.db.atomic():
            sessions = self._live_admin_sessions()
            session = sessions.get(digest)
            if session is None:
                return False
            if now - session["used"] > idle_lifetime:
                del sessions[digest]
            elif now - session["used"] >= ADMIN_USE_INTERVAL:
                session["used"] = now
            else:
                return True
            self.save_setting(ADMIN_SESSIONS, sessions)
        return digest in sessions

    def delete_admin_session(self, session_id: str) -> None:
        """End an admin session (a no-op when it is unknown or over)."""
        with self.db.atomic():
            sessions = self._live_admin_sessions()
            sessions.pop(hash_value(session_id), None)
            self.save_setting(ADMIN_SESSIONS, sessions)

    def _live_admin_sessions(self) -> dict[str, dict[str, float]]:
        try:
            sessions = self.get_setting(ADMIN_SESSIONS)
        except NotFound:
            return {}
        now = time.time()
        return {digest: session for digest, session in sessions.items()
                if isinstance(session, dict) and session.get("ends", 0) > now}
