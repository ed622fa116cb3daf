"""The audit log (what ``events.emit`` writes) and the instance's key/value settings."""

from __future__ import annotations

import time
from typing import Any

from peewee import fn

from .crypto import generate_secret
from .errors import NotFound
from .records import EventRecord


class AuditStore:
    def add_event(self, event: str, fields: dict[str, Any]) -> int:
        return self.m.AuditEvent.insert(at=time.time(), event=event, fields=fields).execute()

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
