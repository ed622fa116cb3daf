"""The desktop shell: a pywebview window over the running OP (``desktop``; its menu and
remembered size in ``chrome``, the display checks made before Qt starts in ``display``, the
second-instance "show yourself" request in ``instance``, ``--probe`` in ``probe``), and the
admin front end (``admin``: the screens, served by the OP's Flask app at ``/admin``).

May import ``app`` and ``webview``; ``app`` never imports this package.
"""
