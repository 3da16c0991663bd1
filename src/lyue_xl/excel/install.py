"""Install lyue_xl.xlam for the current Windows user, and write the config its VBA reads.

Where xlwings' VBA looks for settings (xlwings 0.37.8, ``GetConfig`` in its add-in module), with
``PROJECT_NAME = "lyue_xl"`` set by the build, first match wins:
1. a sheet named ``lyue_xl.conf`` in the active workbook, then in the add-in itself;
2. a file ``lyue_xl.conf`` in the active workbook's folder;
3. the user file ``%USERPROFILE%\\.lyue_xl\\lyue_xl.conf``.
The files are read with VBA ``Input #`` — lines ``"KEY","value"`` in the ANSI code page — which is
what ``write_config`` writes. The add-in reads ``LYUE_XL_EXE`` (our key: the bundled program)
and xlwings reads ``INTERPRETER_WIN`` (the Python for ``RunPython``).
The add-in goes into Excel's per-user XLSTART folder, which Excel opens at every start.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from lyue_xl.errors import LyueError
from lyue_xl.excel.addin import ADDIN_NAME, PROJECT_NAME, build_addin

EXE_KEY = "LYUE_XL_EXE"
INTERPRETER_KEY = "INTERPRETER_WIN"


def user_config_path(home: Path) -> Path:
    """xlwings' user config file for our project name, under the user's profile folder."""
    return home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def xlstart_dir(appdata: Path) -> Path:
    """Excel's per-user start-up folder (every workbook in it opens when Excel starts)."""
    return appdata / "Microsoft" / "Excel" / "XLSTART"


def read_config(path: Path, encoding: str) -> dict[str, str]:
    """The ``"KEY","value"`` pairs of an xlwings config file (missing file: empty)."""
    if not path.exists():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding=encoding).splitlines():
        key, sep, value = line.partition(",")
        if sep:
            values[key.strip().strip('"')] = value.strip().strip('"')
    return values


def write_config(path: Path, values: Mapping[str, str], encoding: str) -> None:
    """Set ``values`` in the config file at ``path``, keeping the keys already there.

    Keys match case-insensitively, as xlwings' VBA compares them. ``encoding`` must be the ANSI
    code page VBA reads with (``"mbcs"`` on Windows).
    """
    for key, value in values.items():
        if any(c in key + value for c in '"\r\n'):
            raise LyueError(f"配置项 {key} 的值不能包含引号或换行：{value}")
    current = read_config(path, encoding)
    merged = {k: v for k, v in current.items() if k.upper() not in {n.upper() for n in values}}
    merged.update(values)
    text = "".join(f'"{key}","{value}"\r\n' for key, value in merged.items())
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as error:
        raise LyueError(
            f"路径中有当前系统编码无法表示的字符，Excel 读不到它：{error.object[error.start :]}"
            "。请把程序安装到只含中英文和数字的路径下。"
        ) from error
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def runner_settings(exe_path: Path | None) -> dict[str, str]:
    """What the add-in should run: the bundled exe when known, otherwise this Python."""
    if exe_path is None and getattr(sys, "frozen", False):
        exe_path = Path(sys.executable)
    if exe_path is not None:
        return {EXE_KEY: str(exe_path)}
    return {INTERPRETER_KEY: str(Path(sys.executable))}


def install_addin(exe_path: Path | None = None) -> str:
    """Install the add-in for this Windows user; returns a Chinese message saying what was done.
    Elsewhere nothing can be installed: :class:`LyueError` says what to do instead (exit 2)."""
    if sys.platform != "win32":
        raise LyueError(_not_windows_message())
    appdata = Path(os.environ["APPDATA"])
    home = Path(os.environ["USERPROFILE"])
    if exe_path is not None and not exe_path.is_file():
        raise LyueError(f"找不到 lyue-xl 程序：{exe_path}。请确认路径后重试。")
    settings = runner_settings(exe_path)
    config = user_config_path(home)
    write_config(config, settings, encoding="mbcs")
    target_dir = xlstart_dir(appdata)
    try:
        addin = build_addin(target_dir)
    except PermissionError as error:
        raise LyueError(
            f"无法写入 {target_dir / ADDIN_NAME}：文件可能正被 Excel 使用。请关闭 Excel 后重试。"
        ) from error
    runner = settings.get(EXE_KEY) or f"Python：{settings[INTERPRETER_KEY]}"
    return (
        f"已安装 Excel 加载项：{addin}\n"
        f"功能区按钮将调用：{runner}（设置保存在 {config}）\n"
        "请重新启动 Excel，功能区会出现「履约管理」选项卡。"
        "如果提示宏已被禁用，请在“信任中心”中允许此加载项。"
    )


def _not_windows_message() -> str:
    return (
        "本机不是 Windows，没有安装任何内容：Excel 加载项只能安装在 Windows 上。请在 Windows 电脑上运行“lyue-xl addin install”"
        "（或随程序附带的安装步骤）：它会把 lyue_xl.xlam 放入 Excel 的启动文件夹"
        "（%APPDATA%\\Microsoft\\Excel\\XLSTART），并把 lyue-xl 程序或 Python 的位置写入 "
        "%USERPROFILE%\\.lyue_xl\\lyue_xl.conf。"
        "在本机可以用“lyue-xl build-addin”生成 lyue_xl.xlam，再复制到 Windows 电脑。"
    )
