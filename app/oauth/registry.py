"""The registry of what is wired. Each endpoint module registers its route's metadata key
(``jwks_uri``, ``token_endpoint``...) and the values it really supports; the discovery
documents are generated from it, so nothing unwired can be advertised."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Registry:
    def __init__(self) -> None:
        self._endpoints: dict[str, str] = {}  # metadata key -> Flask endpoint name
        self._values: dict[str, Any] = {}  # metadata key -> value, or list of supported values
        self._dynamic: dict[str, Callable[[], Any]] = {}  # metadata key -> computed per request

    def add_endpoint(self, key: str, endpoint: str) -> None:
        if key in self._endpoints:
            raise ValueError(f"{key} is already wired to {self._endpoints[key]}")
        self._endpoints[key] = endpoint

    def add_supported(self, key: str, *values: Any) -> None:
        """Extend a ``*_supported`` list (order kept, no duplicates)."""
        current = self._values.setdefault(key, [])
        current.extend(value for value in values if value not in current)

    def set_value(self, key: str, value: Any) -> None:
        self._values[key] = value

    def set_dynamic(self, key: str, compute: Callable[[], Any]) -> None:
        self._dynamic[key] = compute

    def supported(self, key: str) -> list[Any]:
        """The values registered for a ``*_supported`` key (empty if none)."""
        return list(self._values.get(key, []))

    def endpoints(self) -> dict[str, str]:
        return dict(self._endpoints)

    def metadata(self, issuer: str, path_of: Callable[[str], str]) -> dict[str, Any]:
        """The metadata document: ``path_of(endpoint)`` gives a route's path below the issuer."""
        document: dict[str, Any] = {"issuer": issuer}
        for key, endpoint in self._endpoints.items():
            document[key] = issuer + path_of(endpoint)
        document.update({k: list(v) if isinstance(v, list) else v for k, v in self._values.items()})
        document.update({k: compute() for k, compute in self._dynamic.items()})
        return document
