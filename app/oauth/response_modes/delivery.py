"""Delivering authorization responses in the requested response mode, and the error page
shown when the client or redirect_uri cannot be trusted.

OAuth 2.0 Multiple Response Type Encoding Practices §2.1 (query, fragment), OAuth 2.0 Form
Post Response Mode §2, RFC 9207 §2 (``iss`` in every authorization response, errors too),
JARM §2.3 (the same modes with the parameters inside one JWT, see jarm.py).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Response, current_app, render_template

from . import jarm

RESPONSE_MODES = ["query", "fragment", "form_post", *jarm.RESPONSE_MODES]


def default_mode(response_type: str) -> str:
    """Multiple Response Types §2.1: query for ``code`` (and ``none``), fragment for any
    response type that returns a token from the authorization endpoint."""
    types = set((response_type or "").split())
    return "fragment" if types & {"token", "id_token"} else "query"


def split_location(location: str, redirect_uri: str) -> tuple[str, list[tuple[str, str]]]:
    """The redirect_uri and the response parameters Authlib added to it."""
    parts = urlsplit(location)
    if parts.fragment:
        return urlunsplit(parts._replace(fragment="")), parse_qsl(parts.fragment)
    original = parse_qsl(urlsplit(redirect_uri).query, keep_blank_values=True)
    added = parse_qsl(parts.query, keep_blank_values=True)[len(original):]
    return redirect_uri, added


def deliver(redirect_uri: str, params: list[tuple[str, str]], mode: str,
            client_id: str | None) -> Response:
    """Send ``params`` to the client's redirect_uri in ``mode``, with ``iss`` added. A JARM
    mode (``query.jwt``...) sends them as one ``response`` JWT for ``client_id`` (the
    verified client the response is for)."""
    if not any(key == "iss" for key, _ in params):
        params = [*params, ("iss", current_app.settings.issuer)]
    if mode.endswith(".jwt"):
        # JARM §2.3.1-2.3.3: "response" is the only parameter, in the query, the fragment
        # or the form post.
        params = [("response", jarm.create_response_jwt(params, client_id))]
        mode = mode.removesuffix(".jwt")
    if mode == "form_post":
        response = Response(render_template("form_post.html", action=redirect_uri,
                                            params=params))
        response.headers["Cache-Control"] = "no-store"
        return response
    parts = urlsplit(redirect_uri)
    if mode == "fragment":
        location = urlunsplit(parts._replace(fragment=urlencode(params)))
    else:
        query = "&".join(filter(None, [parts.query, urlencode(params)]))
        location = urlunsplit(parts._replace(query=query))
    response = Response(status=302)
    response.headers["Location"] = location
    response.headers["Cache-Control"] = "no-store"
    return response


def error_page(title: str, description: str, details: list[tuple[str, str]],
               status: int = 400) -> Response:
    """An error the user sees (never a redirect): what the app sent and what is registered."""
    response = Response(render_template("error.html", title=title, description=description,
                                        details=details), status=status)
    response.headers["Cache-Control"] = "no-store"
    return response
