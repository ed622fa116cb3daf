"""Response modes: how an authorization response reaches the client. ``delivery`` sends the
parameters in the query, the fragment or an auto-submitted form (OAuth 2.0 Multiple Response
Type Encoding Practices, OAuth 2.0 Form Post Response Mode, RFC 9207's ``iss``); ``jarm``
wraps them in one signed (and optionally encrypted) JWT (JARM).

https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html
https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
https://openid.net/specs/oauth-v2-jarm.html

May import Flask, joserfc and ``app.oauth``'s helpers; never the endpoints or ``ui``.
"""
