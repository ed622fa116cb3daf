"""JWT-Secured Authorization Requests (JAR, RFC 9101): request objects by value (``request``)
and by reference (``request_uri``), their signatures and encryption, and the parameters they
carry into the authorization request (``app.oauth.authorization.parameters``).

https://www.rfc-editor.org/rfc/rfc9101

May import Flask, Authlib, joserfc and the rest of ``app.oauth``'s helpers; never the
endpoints or ``ui``.
"""
