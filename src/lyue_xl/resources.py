"""Where the files shipped beside the code live: repo checkout, installed wheel or frozen exe."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    found = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        found.append(Path(frozen) / name)
    found.append(_PACKAGE / "_data" / name)  # installed wheel (force-include)
    found.append(_PACKAGE.parents[1] / name)  # source checkout / editable install
    return found


def data_dir(name: str) -> Path:
    """The folder ``name`` (``workbook_templates`` or ``docx_templates``) that ships with us."""
    for path in _candidates(name):
        if path.is_dir():
            return path
    raise FileNotFoundError(f"找不到程序自带的文件夹 {name}，请重新安装 lyue-xl。")


def repo_root() -> Path:
    """The source checkout's top folder (only meaningful when running from a checkout)."""
    return _PACKAGE.parents[1]
