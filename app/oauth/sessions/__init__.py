"""Sessions and logout: the SSO session cookie and OP browser state of OpenID Connect Session
Management (``sso``), ending a session with RP-Initiated and Front-Channel Logout
(``logout``) and the logout tokens of Back-Channel Logout (``backchannel``). The endpoints
are ``app.oauth.endpoints.end_session`` and ``check_session``.

https://openid.net/specs/openid-connect-session-1_0.html
https://openid.net/specs/openid-connect-rpinitiated-1_0.html
https://openid.net/specs/openid-connect-frontchannel-1_0.html
https://openid.net/specs/openid-connect-backchannel-1_0.html

May import Flask, joserfc, ``app.store`` and ``app.oauth``'s helpers; never the endpoints or
``ui``.
"""
