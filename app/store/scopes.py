"""Scopes and the claims each OpenID scope releases."""

from __future__ import annotations

import time

from peewee import IntegrityError

from .errors import AlreadyExists, NotFound
from .records import ScopeRecord
from .rows import table

SCOPE_KINDS = ("oauth", "openid", "spontaneous", "uma")


class ScopeStore:
    def _scope_record(self, row) -> ScopeRecord:
        claims = [claim for (claim,) in self.db.execute_sql(
            'SELECT "claim" FROM "scope_claims" WHERE "scope" = ? ORDER BY "claim"',
            (row.name,)).fetchall()]
        return ScopeRecord(name=row.name, kind=row.kind, description=row.description,
                           claims=claims, builtin=row.builtin)

    def save_claim(self, name: str, description: str = "") -> None:
        (self.m.Claim.insert(name=name, description=description)
         .on_conflict(conflict_target=[self.m.Claim.name], preserve=[self.m.Claim.description])
         .execute())

    def create_scope(self, name: str, kind: str, description: str = "",
                     claims: list[str] = (), builtin: bool = False) -> ScopeRecord:
        if kind not in SCOPE_KINDS:
            raise ValueError(f"scope kind must be one of {SCOPE_KINDS}")
        with self.db.atomic():
            try:
                row = self.m.Scope.create(name=name, kind=kind, description=description,
                                          builtin=builtin, created_at=time.time())
            except IntegrityError:
                raise AlreadyExists(f"scope {name!r}") from None
            for claim in claims:
                self.save_claim(claim)
                self.m.ScopeClaim.insert(scope=name, claim=claim).on_conflict_ignore().execute()
        return self._scope_record(row)

    def get_scope(self, name: str) -> ScopeRecord:
        row = table(self, "Scope").one('"name" = ?', name)
        if row is None:
            raise NotFound(f"scope {name!r}")
        return self._scope_record(row)

    def find_scopes(self) -> list[ScopeRecord]:
        """Every scope by name, with its claims: two queries (discovery reads them twice per
        request), not one per scope."""
        claims: dict[str, list[str]] = {}
        links = self.db.execute_sql('SELECT "scope", "claim" FROM "scope_claims" '
                                    'ORDER BY "scope", "claim"')
        for scope, claim in links.fetchall():
            claims.setdefault(scope, []).append(claim)
        return [ScopeRecord(name=row.name, kind=row.kind, description=row.description,
                            claims=claims.get(row.name, []), builtin=row.builtin)
                for row in table(self, "Scope").all(order_by='"name"')]

    def update_scope(self, name: str, *, description: str | None = None,
                     claims: list[str] | None = None) -> ScopeRecord:
        """Change the description, or replace the claims the scope releases."""
        with self.db.atomic():
            row = self.m.Scope.get_or_none(self.m.Scope.name == name)
            if row is None:
                raise NotFound(f"scope {name!r}")
            if description is not None:
                row.description = description
                row.save()
            if claims is not None:
                link = self.m.ScopeClaim
                link.delete().where(link.scope == name).execute()
                for claim in claims:
                    self.save_claim(claim)
                    link.insert(scope=name, claim=claim).on_conflict_ignore().execute()
        return self._scope_record(row)

    def delete_scope(self, name: str) -> None:
        if not self.m.Scope.delete().where(self.m.Scope.name == name).execute():
            raise NotFound(f"scope {name!r}")
