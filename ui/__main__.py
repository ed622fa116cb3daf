"""``python -m ui``, and the script PyInstaller bundles (``pyinstaller.spec``): ``pocket-op``."""

import sys

from ui.main import main

sys.exit(main())
