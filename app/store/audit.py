"""The audit log (what ``events.emit`` writes) and the instance's key/value settings."""

from __future__ import annotations

import time
from typing import Any

from .errors import NotFound
from .records import EventRecord


class AuditStore:
    def add_event(self, event: str, fields: dict[str, Any]) -> int:
        return self.m.AuditEvent.insert(at=time.time(), event=event, fields=fields).execute()

    def find_events(self, after_id: int = 0, limit: int = 100,
                    event: str | None = None) -> list[EventRecord]:
        """Events newer than ``after_id``, newest first."""
        model = self.m.AuditEvent
        query = model.select().where(model.id > after_id)
        if event:
            query = query.where(model.event == event)
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
