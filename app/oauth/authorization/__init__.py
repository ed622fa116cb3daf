"""The authorization request (RFC 6749 §3.1, OpenID Connect Core §3.1.2) as an ordered list
of steps, as node-oidc-provider's ``lib/actions/authorization/index.js`` lists its own.

``steps.py`` is the list, read top to bottom: read the parameters once (``parameters``),
check them (``checks``: one function per rule, the MUST it enforces in its docstring), decide
whether the person must sign in or consent (``policy``, ``prompts``), then answer in the
requested response mode (``respond``). A login or consent page pauses the request on its
interaction (``interactions``); the page's form resumes it (``resume``) from the step after
the one that paused, without validating it again.

Used by the authorization and PAR endpoints (``app.oauth.endpoints``) and the interaction
pages (``app.oauth.interaction``); imports neither. May import Flask, Authlib, joserfc and
the helper modules of ``app.oauth`` (acr, claims, jarm, responses, sso...). This file
imports nothing, so importing one module of the package does not import all of them.
"""
