"""``python -m app serve --headless``: the OP without the desktop shell."""

import sys

from .cli import main

sys.exit(main())
