"""PyInstaller's script for the bundled program: everything lives in lyue_xl.app.main.

One packaging detail first: PyInstaller's matplotlib run-time hook points MPLCONFIGDIR at a fresh
temporary folder on every start, so matplotlib would rebuild its font list (a scan of every system
font: seconds on a Windows machine) each time a report is drawn. A one-dir program does not move
between runs, so a per-user cache folder is safe (matplotlib rebuilds it if a font file is gone).
"""

import os
import sys
from pathlib import Path


def _matplotlib_cache() -> None:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "lyue_xl" / "matplotlib"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # keep PyInstaller's temporary folder
    os.environ["MPLCONFIGDIR"] = str(folder)


if __name__ == "__main__":
    _matplotlib_cache()
    from lyue_xl.app import main

    sys.exit(main())
