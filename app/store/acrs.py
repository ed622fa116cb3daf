"""The Authentication Context Class References the login page can satisfy (OpenID Connect
Core §2 ``acr``): value, level (to compare them: a session at a level satisfies a request at
that level or below), description, enabled, and exactly one default."""

from __future__ import annotations

import time

from peewee import IntegrityError

from .errors import AlreadyExists, NotFound
from .records import AcrRecord


def _record(row) -> AcrRecord:
    return AcrRecord(value=row.value, level=row.level, description=row.description,
                     enabled=bool(row.enabled), default=bool(row.is_default),
                     created_at=row.created_at, updated_at=row.updated_at)


class AcrStore:
    def find_acrs(self, enabled: bool | None = None) -> list[AcrRecord]:
        """Every ACR (or only the enabled / disabled ones), by level then value."""
        model = self.m.Acr
        query = model.select().order_by(model.level, model.value)
        if enabled is not None:
            query = query.where(model.enabled == enabled)
        return [_record(row) for row in query]

    def get_acr(self, value: str) -> AcrRecord:
        row = self.m.Acr.get_or_none(self.m.Acr.value == value)
        if row is None:
            raise NotFound(f"ACR {value!r}")
        return _record(row)

    def get_default_acr(self) -> AcrRecord:
        row = self.m.Acr.get_or_none(self.m.Acr.is_default == True)  # noqa: E712 - SQL
        if row is None:
            raise NotFound("default ACR")
        return _record(row)

    def create_acr(self, value: str, level: int, description: str = "",
                   enabled: bool = True) -> AcrRecord:
        now = time.time()
        try:
            self.m.Acr.insert(value=value, level=level, description=description,
                              enabled=enabled, is_default=False, created_at=now,
                              updated_at=now).execute()
        except IntegrityError:
            raise AlreadyExists(f"ACR {value!r}") from None
        return self.get_acr(value)

    def update_acr(self, value: str, *, level: int | None = None,
                   description: str | None = None, enabled: bool | None = None) -> AcrRecord:
        """Change the fields given. The default ACR cannot be disabled (ValueError)."""
        changes = {name: new for name, new in (
            ("level", level), ("description", description), ("enabled", enabled))
            if new is not None}
        model = self.m.Acr
        try:
            updated = (model.update(**changes, updated_at=time.time())
                       .where(model.value == value).execute())
        except IntegrityError:
            raise ValueError("the default ACR cannot be disabled") from None
        if not updated:
            raise NotFound(f"ACR {value!r}")
        return self.get_acr(value)

    def set_default_acr(self, value: str) -> AcrRecord:
        """Make ``value`` the one default; it must be enabled (ValueError)."""
        model = self.m.Acr
        with self.db.atomic():
            record = self.get_acr(value)
            if not record.enabled:
                raise ValueError("a disabled ACR cannot be the default")
            model.update(is_default=False).where(model.is_default == True).execute()  # noqa: E712
            model.update(is_default=True, updated_at=time.time()).where(
                model.value == value).execute()
        return self.get_acr(value)

    def delete_acr(self, value: str) -> None:
        """Delete an ACR; the default cannot be deleted (ValueError)."""
        if self.get_acr(value).default:
            raise ValueError("the default ACR cannot be deleted")
        self.m.Acr.delete().where(self.m.Acr.value == value).execute()
