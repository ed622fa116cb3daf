"""SSO sessions (the cookie value is a bearer secret: only its digest is stored, the
public ``sid`` goes into tokens), the clients signed in to each, and remembered consents."""

from __future__ import annotations

import secrets
import time

from peewee import IntegrityError

from .crypto import generate_secret, hash_value
from .errors import NotFound
from .records import SessionRecord
from .rows import table


class SessionStore:
    def _session_record(self, row) -> SessionRecord:
        return SessionRecord(sid=row.sid, sub=row.sub, auth_time=row.auth_time, acr=row.acr,
                             amr=row.amr, user_agent=row.user_agent, ip=row.ip,
                             created_at=row.created_at, last_used_at=row.last_used_at,
                             ended_at=row.ended_at)

    def create_session(self, sub: str, acr: str | None = None, amr: list[str] = (),
                       user_agent: str = "", ip: str = "") -> tuple[str, SessionRecord]:
        """A new session with a fresh random id; returns (cookie value, record)."""
        cookie, now = generate_secret(), time.time()
        row = self.m.SsoSession.create(
            sid=secrets.token_urlsafe(16), cookie_hash=hash_value(cookie), sub=sub,
            auth_time=now, acr=acr, amr=list(amr), user_agent=user_agent[:300], ip=ip,
            created_at=now, last_used_at=now,
        )
        return cookie, self._session_record(row)

    def get_session_by_cookie(self, cookie: str) -> SessionRecord:
        """The live session behind a cookie value; NotFound if unknown or ended."""
        row = table(self, "SsoSession").one('"cookie_hash" = ? AND "ended_at" IS NULL',
                                            hash_value(cookie))
        if row is None:
            raise NotFound("session")
        return self._session_record(row)

    def touch_session(self, sid: str) -> None:
        model = self.m.SsoSession
        model.update(last_used_at=time.time()).where(model.sid == sid).execute()

    def find_sessions(self, sub: str | None = None) -> list[SessionRecord]:
        model = self.m.SsoSession
        query = model.select().where(model.ended_at.is_null()).order_by(model.created_at)
        if sub is not None:
            query = query.where(model.sub == sub)
        return [self._session_record(row) for row in query]

    def end_session(self, sid: str) -> None:
        model = self.m.SsoSession
        count = (model.update(ended_at=time.time())
                 .where((model.sid == sid) & model.ended_at.is_null()).execute())
        if not count:
            raise NotFound(f"session {sid!r}")

    def get_session(self, sid: str) -> SessionRecord:
        """The session ``sid``, live or ended; NotFound if unknown."""
        row = self.m.SsoSession.get_or_none(self.m.SsoSession.sid == sid)
        if row is None:
            raise NotFound(f"session {sid!r}")
        return self._session_record(row)

    def add_session_client(self, sid: str, client_id: str) -> None:
        """Record that ``client_id`` received tokens in session ``sid`` (again: last_used_at);
        NotFound if either is unknown."""
        model, now = self.m.SessionClient, time.time()
        try:
            (model.insert(sid=sid, client_id=client_id, created_at=now, last_used_at=now)
             .on_conflict(conflict_target=[model.sid, model.client_id],
                          preserve=[model.last_used_at])
             .execute())
        except IntegrityError:
            raise NotFound(f"session {sid!r} or client {client_id!r}") from None

    def find_session_clients(self, sid: str) -> list[str]:
        """The client_ids that received tokens in session ``sid``, first one first."""
        model = self.m.SessionClient
        query = model.select(model.client_id).where(model.sid == sid).order_by(model.created_at)
        return [row.client_id for row in query]

    def save_consent(self, sub: str, client_id: str, scopes: list[str]) -> None:
        model, now = self.m.Consent, time.time()
        (model.insert(sub=sub, client_id=client_id, scopes=sorted(set(scopes)),
                      created_at=now, updated_at=now)
         .on_conflict(conflict_target=[model.sub, model.client_id],
                      preserve=[model.scopes, model.updated_at])
         .execute())

    def get_consent(self, sub: str, client_id: str) -> list[str]:
        """The scopes this user has granted this client; NotFound if none."""
        row = table(self, "Consent").one('"sub" = ? AND "client_id" = ?', sub, client_id)
        if row is None:
            raise NotFound("consent")
        return list(row.scopes)

    def delete_consent(self, sub: str, client_id: str) -> None:
        model = self.m.Consent
        if not model.delete().where((model.sub == sub) & (model.client_id == client_id)).execute():
            raise NotFound("consent")
