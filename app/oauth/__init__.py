"""The protocol: the one place endpoints are wired and registered for discovery.

May import Flask, Authlib, joserfc and ``app.store`` / ``app.keys``; never ``ui``.
"""

from __future__ import annotations

from flask import Flask

from . import discovery
from .endpoints import jwks
from .registry import Registry

ENDPOINTS = (jwks,)


def init_app(app: Flask) -> None:
    app.registry = Registry()
    for endpoint in ENDPOINTS:
        endpoint.init_app(app)
    discovery.init_app(app)
