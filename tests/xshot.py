"""Screenshots of the X display for the window tests (ImageMagick's import)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def screenshot(display: str, target: Path) -> Path:
    """The whole screen as PNG (ImageMagick's import); skipped when it is not installed."""
    if shutil.which("import") is None:
        pytest.skip("ImageMagick's import is not installed (Debian package imagemagick)")
    subprocess.run(
        ["import", "-display", display, "-window", "root", str(target)], check=True, timeout=30
    )
    return target


def keep_screenshot(shot: Path) -> None:
    """Copy to $LYUE_SCREENSHOT_DIR when set, to look at it after the run."""
    keep = os.environ.get("LYUE_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)
