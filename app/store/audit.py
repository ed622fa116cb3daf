"""The audit log (what ``events.emit`` writes, and the HTTP requests ``logs`` records, as
event ``http.request``) and the instance's key/value settings."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from peewee import fn

from .crypto import generate_secret
from .errors import NotFound
from .records import EventRecord, LogEntry


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class AuditStore:
    def add_event(self, event: str, fields: dict[str, Any], *, level: str = "info",
                  client_id: str | None = None, sub: str | None = None,
                  endpoint: str | None = None, request_id: str | None = None,
                  at: float | None = None) -> int:
        """Append a row (at ``at``, default now); ``client_id`` and ``sub`` default to the
        fields of those names."""
        return self.m.AuditEvent.insert(
            at=time.time() if at is None else at, event=event, fields=fields, level=level,
            client_id=client_id or _text(fields.get("client_id")),
            sub=sub or _text(fields.get("sub")), endpoint=endpoint, request_id=request_id,
        ).execute()

    def find_events(self, after_id: int = 0, limit: int = 100, event: str | None = None,
                    client_id: str | None = None) -> list[EventRecord]:
        """Events newer than ``after_id``, newest first; optionally only one event name, or
        only those whose ``client_id`` field is the one given."""
        model = self.m.AuditEvent
        query = model.select().where(model.id > after_id)
        if event:
            query = query.where(model.event == event)
        if client_id:
            query = query.where(fn.json_extract(model.fields, "$.client_id") == client_id)
        query = query.order_by(model.id.desc()).limit(limit)
        return [EventRecord(id=r.id, at=r.at, event=r.event, fields=r.fields) for r in query]

    def find_log_entries(self, *, after: int | None = None, before: int | None = None,
                         limit: int = 100, event: str | None = None,
                         client_id: str | None = None, user: str | None = None,
                         endpoint: str | None = None, levels: Iterable[str] | None = None,
                         request_id: str | None = None, text: str | None = None,
                         ) -> list[LogEntry]:
        """Rows matching every filter given. With ``after``: the rows after that id, oldest
        first (a cursor: polling with the last id seen never skips a row). Otherwise the
        newest rows (older than ``before`` when given), newest first.

        ``user`` is a sub or a username; ``endpoint`` a path, matching its sub-paths too;
        ``text`` is searched in the event name and the fields."""
        model = self.m.AuditEvent
        query = model.select()
        if after is not None:
            query = query.where(model.id > after).order_by(model.id.asc())
        else:
            if before is not None:
                query = query.where(model.id < before)
            query = query.order_by(model.id.desc())
        if event:
            query = query.where(model.event == event)
        if client_id:
            query = query.where(model.client_id == client_id)
        if user:
            query = query.where(self._user_condition(user))
        if endpoint:
            path = endpoint.rstrip("/") or "/"
            query = query.where((model.endpoint == path)
                                | model.endpoint.startswith(path.rstrip("/") + "/"))
        if levels is not None:
            query = query.where(model.level.in_(list(levels)))
        if request_id:
            query = query.where(model.request_id == request_id)
        if text:
            # cast: a condition on ``fields`` itself would JSON-encode the pattern
            query = query.where(model.event.contains(text)
                                | model.fields.cast("TEXT").contains(text))
        return [LogEntry(id=r.id, at=r.at, event=r.event, fields=r.fields, level=r.level,
                         client_id=r.client_id, sub=r.sub, endpoint=r.endpoint,
                         request_id=r.request_id) for r in query.limit(limit)]

    def _user_condition(self, user: str):
        model = self.m.AuditEvent
        subs = [user]
        account = self.m.User.get_or_none(self.m.User.username == user)
        if account is not None:
            subs.append(account.sub)
        return model.sub.in_(subs) | (fn.json_extract(model.fields, "$.username") == user)

    def prune_events(self, keep: int) -> int:
        """Keep only the ``keep`` newest rows; returns how many were deleted."""
        model = self.m.AuditEvent
        newest = model.select(fn.max(model.id)).scalar() or 0
        return model.delete().where(model.id <= newest - keep).execute()

    def get_setting(self, key: str) -> Any:
        row = self.m.Setting.get_or_none(self.m.Setting.key == key)
        if row is None:
            raise NotFound(f"setting {key!r}")
        return row.value

    def save_setting(self, key: str, value: Any) -> None:
        model = self.m.Setting
        (model.insert(key=key, value=value, updated_at=time.time())
         .on_conflict(conflict_target=[model.key], preserve=[model.value, model.updated_at])
         .execute())

    def ensure_secret(self, key: str) -> str:
        """A random secret of this install kept encrypted under setting ``key``, created on
        first use (concurrent first uses get the same one)."""
        model = self.m.Setting
        (model.insert(key=key, value=self.box.encrypt(generate_secret(32)),
                      updated_at=time.time())
         .on_conflict_ignore().execute())
        return self.box.decrypt(self.get_setting(key))
