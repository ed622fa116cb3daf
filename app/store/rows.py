"""Rows on the hot paths (a client, a key, a user, the scopes, a token: read or written once
or several times per request), with the SQL written out once per model instead of built by
peewee's query builder on every call: the builder costs ~0.1-0.2 ms of CPU per query, the
statement itself a few microseconds. Values are converted by the model's own fields, both
ways, as peewee would; errors come wrapped as peewee's (``IntegrityError``...)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from peewee import Model


class Table:
    """One model's table: ``SELECT <every column>`` with a WHERE and an ORDER BY of the
    caller's (column names and ``?`` placeholders only, never values), and INSERT."""

    def __init__(self, model: type[Model]):
        self.fields = model._meta.sorted_fields
        self.names = [field.name for field in self.fields]
        self.converters = [field.python_value for field in self.fields]
        columns = ", ".join(f'"{field.column_name}"' for field in self.fields)
        table = f'"{model._meta.table_name}"'
        self.select = f"SELECT {columns} FROM {table}"
        self.insert_sql = (f"INSERT INTO {table} ({columns}) "
                           f"VALUES ({', '.join('?' * len(self.fields))})")
        self.db = model._meta.database

    def _row(self, values: tuple) -> SimpleNamespace:
        return SimpleNamespace(**{name: None if value is None else convert(value)
                                  for name, convert, value
                                  in zip(self.names, self.converters, values, strict=True)})

    def one(self, where: str, *params: Any) -> SimpleNamespace | None:
        """The first row matching ``where``, or None."""
        row = self.db.execute_sql(f"{self.select} WHERE {where} LIMIT 1", params).fetchone()
        return None if row is None else self._row(row)

    def all(self, where: str = "1", *params: Any, order_by: str = "") -> list[SimpleNamespace]:
        sql = f"{self.select} WHERE {where}" + (f" ORDER BY {order_by}" if order_by else "")
        return [self._row(row) for row in self.db.execute_sql(sql, params).fetchall()]

    def insert(self, **values: Any) -> None:
        """One row; a column not given gets its field's default (None if it has none)."""
        params = []
        for field in self.fields:
            value = values[field.name] if field.name in values else field.default
            value = value() if callable(value) else value
            params.append(None if value is None else field.db_value(value))
        self.db.execute_sql(self.insert_sql, params)


def table(store, name: str) -> Table:
    """The store's ``Table`` of model ``name`` (of its ``bind_models(db)``), made on first
    use. Two threads making it at once make two equal ones: harmless."""
    tables = store.__dict__.setdefault("_tables", {})
    found = tables.get(name)
    if found is None:
        found = tables[name] = Table(getattr(store.m, name))
    return found
