"""Pushed Authorization Requests (PAR, RFC 9126): the pushed requests kept until their
``urn:ietf:params:oauth:request_uri:`` is used once at /authorize. The endpoint itself is
``app.oauth.endpoints.pushed_authorization_request`` (its metadata key).

https://www.rfc-editor.org/rfc/rfc9126

May import Flask and the standard library; never the endpoints or ``ui``.
"""
