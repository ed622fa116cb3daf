"""The desktop shell: a pywebview window over the running OP, and (later) the admin front end.

May import ``app`` and ``webview``; ``app`` never imports this package.
"""
