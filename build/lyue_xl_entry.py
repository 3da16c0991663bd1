"""PyInstaller's script for the bundled program: everything lives in lyue_xl.app.main."""

import sys

from lyue_xl.app import main

if __name__ == "__main__":
    sys.exit(main())
