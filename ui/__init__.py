"""The desktop shell: a pywebview window over the running OP (``desktop``), and the admin
front end (``admin``: the screens, served by the OP's Flask app at ``/admin``).

May import ``app`` and ``webview``; ``app`` never imports this package.
"""
