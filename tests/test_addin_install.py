"""Installing the add-in: the config file xlwings' VBA reads, and the message off Windows."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from lyue_xl.errors import LyueError
from lyue_xl.excel.addin import xlwings_module_source
from lyue_xl.excel.install import (
    EXE_KEY,
    INTERPRETER_KEY,
    install_addin,
    read_config,
    runner_settings,
    user_config_path,
    write_config,
    xlstart_dir,
)
from lyue_xl.excel.ribbon import DISPATCHER


@pytest.mark.skipif(sys.platform == "win32", reason="the Windows path installs for real")
def test_off_windows_it_explains_what_to_do() -> None:
    with pytest.raises(LyueError) as raised:
        install_addin()
    message = str(raised.value)
    assert message.startswith("本机不是 Windows，没有安装任何内容")
    assert "\n" not in message
    assert "XLSTART" in message and "lyue_xl.conf" in message
    assert re.search(r"[\u4e00-\u9fff]{4}", message)


def test_user_config_path_is_where_xlwings_vba_looks(tmp_path: Path) -> None:
    source = xlwings_module_source()
    assert 'Public Const PROJECT_NAME As String = "lyue_xl"' in source
    assert 'Environ("USERPROFILE") & "\\." & PROJECT_NAME & "\\" & PROJECT_NAME & ".conf"' in source
    assert user_config_path(tmp_path) == tmp_path / ".lyue_xl" / "lyue_xl.conf"


def test_exe_key_is_the_one_the_dispatcher_reads() -> None:
    source = DISPATCHER.read_text(encoding="utf-8")
    assert f'Private Const LYUE_EXE_KEY As String = "{EXE_KEY}"' in source
    assert f'GetConfig("{INTERPRETER_KEY}"' in xlwings_module_source()


def test_write_config_writes_vba_input_lines(tmp_path: Path) -> None:
    path = user_config_path(tmp_path)
    write_config(path, {EXE_KEY: r"C:\Program Files\lyue_xl\lyue-xl.exe"}, encoding="cp936")
    assert path.read_bytes() == b'"LYUE_XL_EXE","C:\\Program Files\\lyue_xl\\lyue-xl.exe"\r\n'


def test_write_config_keeps_other_keys_and_replaces_ignoring_case(tmp_path: Path) -> None:
    path = tmp_path / "lyue_xl.conf"
    path.write_bytes(b'"interpreter_win","C:\\old\\python.exe"\r\n"CONDA PATH","C:\\conda"\r\n')
    write_config(path, {INTERPRETER_KEY: r"C:\新\python.exe"}, encoding="cp936")
    assert read_config(path, "cp936") == {
        "CONDA PATH": r"C:\conda",
        INTERPRETER_KEY: r"C:\新\python.exe",
    }
    assert "新".encode("cp936") in path.read_bytes()  # the ANSI code page VBA reads with


def test_write_config_refuses_what_vba_could_not_read(tmp_path: Path) -> None:
    path = tmp_path / "lyue_xl.conf"
    with pytest.raises(LyueError, match="编码"):
        write_config(path, {EXE_KEY: r"C:\用户\lyue-xl.exe"}, encoding="cp1252")
    with pytest.raises(LyueError, match="引号"):
        write_config(path, {EXE_KEY: 'C:\\a"b.exe'}, encoding="cp936")
    assert not path.exists()


def test_runner_settings_prefers_the_exe(tmp_path: Path) -> None:
    exe = tmp_path / "lyue-xl.exe"
    assert runner_settings(exe) == {EXE_KEY: str(exe)}
    assert runner_settings(None) == {INTERPRETER_KEY: str(Path(sys.executable))}


def test_xlstart_dir(tmp_path: Path) -> None:
    assert xlstart_dir(tmp_path) == tmp_path / "Microsoft" / "Excel" / "XLSTART"


@pytest.mark.skipif(sys.platform == "win32", reason="the Windows path installs for real")
def test_off_windows_the_command_exits_2_with_one_chinese_line() -> None:
    from doc_helpers import run_cli

    code, out, err = run_cli("addin", "install")
    assert code == 2 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "没有安装任何内容" in err
