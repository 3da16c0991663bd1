"""The bundled program's entry point: command line, ribbon (RunFrozenPython) and window routing."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from lyue_xl import __version__, app
from lyue_xl.errors import LyueError
from lyue_xl.excel.ribbon import ACTIONS

SRC = Path(__file__).resolve().parents[1] / "src"
# what xlwings' RunFrozenPython appends (ExecuteWindows in xlwings_custom_addin.bas)
XLWINGS_ARGS = [
    "--wb=台账 2025.xlsx",
    "--from_xl=1",
    r"--app=C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE",
    "--hwnd=132456",
]


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class FakeStderr(io.StringIO):
    """stderr with a bytes buffer, like the real one (say_to_excel writes bytes)."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.BytesIO()


@pytest.fixture
def fake_actions(monkeypatch):
    """A stand-in for lyue_xl.excel.actions: records the tag; ``behave`` says what it does.

    Like the real run_from_excel it returns 0 done / 1 check found errors / 2 user must fix /
    3 internal, having shown the message in Excel — or, with no Excel, on stderr.
    """
    module = types.ModuleType("lyue_xl.excel.actions")
    module.calls = []  # type: ignore[attr-defined]
    module.behave = lambda: 0  # type: ignore[attr-defined]

    def run_from_excel(tag: str) -> int:
        module.calls.append((tag, list(sys.argv)))  # type: ignore[attr-defined]
        return module.behave()  # type: ignore[attr-defined]

    module.run_from_excel = run_from_excel  # type: ignore[attr-defined]
    import lyue_xl.excel

    monkeypatch.setitem(sys.modules, "lyue_xl.excel.actions", module)
    monkeypatch.setattr(lyue_xl.excel, "actions", module, raising=False)
    return module


def fail_with(exc: BaseException):
    def behave() -> int:
        raise exc

    return behave


# --- the ribbon's arguments ----------------------------------------------------------------------


def test_ribbon_args_give_the_tag_and_ignore_xlwings_arguments():
    assert app.parse_ribbon_args(["check", *XLWINGS_ARGS]) == ("check", [])


def test_xlwings_arguments_with_spaces_are_not_taken_for_the_tag():
    # argparse takes an undeclared "--wb=a b.xlsx" (with a space) for a positional argument
    assert app.parse_ribbon_args([*XLWINGS_ARGS, "report"]) == ("report", [])


def test_arguments_a_newer_xlwings_might_add_are_passed_over():
    assert app.parse_ribbon_args(["manual", *XLWINGS_ARGS, "--new_thing=1"]) == (
        "manual",
        ["--new_thing=1"],
    )


@pytest.mark.parametrize("tag", sorted(ACTIONS))
def test_every_ribbon_tag_is_accepted(tag):
    assert app.parse_ribbon_args([tag, "--wb=x.xlsx", "--from_xl=1"])[0] == tag


def test_xlwings_arguments_may_come_first():
    assert app.parse_ribbon_args(["--from_xl=1", "refresh", "--wb=x.xlsx"]) == ("refresh", [])


def test_unknown_tag_is_a_chinese_error_naming_it():
    with pytest.raises(LyueError, match="未知的功能“format_c”"):
        app.parse_ribbon_args(["format_c", *XLWINGS_ARGS])


def test_missing_tag_is_a_chinese_error():
    with pytest.raises(LyueError, match="没有指明要执行的功能"):
        app.parse_ribbon_args(XLWINGS_ARGS)


def test_ribbon_runs_the_action_with_sys_argv_untouched(fake_actions, monkeypatch):
    argv = ["lyue-xl.exe", "ribbon", "audit_pack", *XLWINGS_ARGS]
    monkeypatch.setattr(sys, "argv", argv)
    assert app.main() == 0
    # xlwings' Book.caller() reads --wb/--from_xl/--hwnd from sys.argv itself
    assert fake_actions.calls == [("audit_pack", argv)]


def test_ribbon_user_error_is_one_chinese_line_and_exit_2(fake_actions, monkeypatch):
    fake_actions.behave = fail_with(LyueError("台账正被其他程序占用，请关闭后重试。"))
    err = FakeStderr()
    monkeypatch.setattr(sys, "stderr", err)
    assert app.main(["ribbon", "check", *XLWINGS_ARGS]) == 2
    text = err.buffer.getvalue().decode("utf-8")
    assert text == "错误：台账正被其他程序占用，请关闭后重试。\n"


def test_ribbon_bug_is_one_line_without_traceback_and_exit_3(fake_actions, monkeypatch):
    monkeypatch.delenv("LYUE_DEBUG", raising=False)
    fake_actions.behave = fail_with(KeyError("列"))
    err = FakeStderr()
    monkeypatch.setattr(sys, "stderr", err)
    assert app.main(["ribbon", "refresh", *XLWINGS_ARGS]) == 3
    text = err.buffer.getvalue().decode("utf-8")
    assert text.count("\n") == 1 and text.startswith("程序内部错误（KeyError")
    assert "Traceback" not in text


def test_ribbon_result_shown_in_excel_exits_0_so_xlwings_adds_no_popup(fake_actions, monkeypatch):
    """check found errors (1) and said so in an Excel message box: nothing for RunFrozenPython."""
    fake_actions.behave = lambda: 1
    err = FakeStderr()
    monkeypatch.setattr(sys, "stderr", err)
    assert app.main(["ribbon", "check", *XLWINGS_ARGS]) == 0
    assert err.buffer.getvalue() == b"" and err.getvalue() == ""


def test_ribbon_message_that_excel_could_not_show_is_passed_on(fake_actions, monkeypatch):
    """No Excel instance reached: run_from_excel writes the message to stderr and returns 2."""

    def no_excel() -> int:
        import warnings

        warnings.warn("a library's FutureWarning", FutureWarning, stacklevel=1)
        sys.stderr.write("请先打开履约管理台账（.xlsx），再点击功能区按钮。\n")
        return 2

    fake_actions.behave = no_excel
    err = FakeStderr()
    monkeypatch.setattr(sys, "stderr", err)
    assert app.main(["ribbon", "refresh", *XLWINGS_ARGS]) == 2
    text = err.buffer.getvalue().decode("utf-8")
    assert text == "请先打开履约管理台账（.xlsx），再点击功能区按钮。\n"  # no warning text


def test_ribbon_unknown_tag_exit_2_without_running_anything(fake_actions, monkeypatch):
    err = FakeStderr()
    monkeypatch.setattr(sys, "stderr", err)
    assert app.main(["ribbon", "zap", *XLWINGS_ARGS]) == 2
    assert fake_actions.calls == []
    line = err.buffer.getvalue().decode("utf-8")
    assert line.startswith("错误：加载项请求了未知的功能“zap”") and line.count("\n") == 1


def test_message_for_excel_is_in_the_ansi_code_page_with_replacements(monkeypatch):
    """On Windows VBA `Line Input` decodes the ANSI code page: mbcs, unknown characters -> '?'."""
    monkeypatch.setattr(sys, "platform", "win32")
    assert app.excel_encoding() == "mbcs"
    monkeypatch.setattr(app, "excel_encoding", lambda: "gbk")  # mbcs exists only on Windows
    err = FakeStderr()
    monkeypatch.setattr(sys, "stderr", err)
    app.say_to_excel("错误：文件“台账😀.xlsx”\n已被占用")
    assert err.buffer.getvalue() == "错误：文件“台账?.xlsx”\r\n已被占用\r\n".encode("gbk")


def test_message_for_excel_is_utf8_elsewhere(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert app.excel_encoding() == "utf-8"


# --- command line and window ---------------------------------------------------------------------


def test_arguments_go_to_the_command_line(tmp_path, capsys):
    book = tmp_path / "台账.xlsx"
    assert app.main(["new", str(book), "--org", "测试公司"]) == 0
    assert book.is_file()
    assert "已生成空白履约管理台账" in capsys.readouterr().out
    assert app.main(["new", str(book)]) == 2  # exists, no --force
    err = capsys.readouterr().err
    assert err.startswith("错误：") and has_chinese(err) and err.count("\n") == 1


def test_version_goes_to_the_command_line(capsys):
    with pytest.raises(SystemExit) as stop:
        app.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"lyue-xl {__version__}"


def test_no_arguments_open_the_window(monkeypatch):
    import lyue_xl.gui

    opened = []
    monkeypatch.setattr(lyue_xl.gui, "main", lambda: opened.append(True) or 0)
    assert app.main([]) == 0
    assert opened == [True]


# --- as a separate process, like the program -----------------------------------------------------


def run_app(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    env.pop("LYUE_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "lyue_xl.app", *args],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_subprocess_version(tmp_path):
    done = run_app("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.decode().strip() == f"lyue-xl {__version__}"


def test_subprocess_command_line_exit_codes(tmp_path):
    book = tmp_path / "台账.xlsx"
    assert run_app("new", str(book), cwd=tmp_path).returncode == 0
    again = run_app("new", str(book), cwd=tmp_path)
    assert again.returncode == 2
    assert has_chinese(again.stderr.decode("utf-8")) and b"Traceback" not in again.stderr
    wrong = run_app("indicators", str(tmp_path / "没有.xlsx"), cwd=tmp_path)
    assert wrong.returncode == 2 and b"Traceback" not in wrong.stderr


def test_subprocess_ribbon_unknown_tag(tmp_path):
    done = run_app("ribbon", "zap", *XLWINGS_ARGS, cwd=tmp_path)
    assert done.returncode == 2
    text = done.stderr.decode("utf-8")
    assert text.startswith("错误：加载项请求了未知的功能“zap”")
    assert text.count("\n") == 1 and "Traceback" not in text
    assert done.stdout == b""


def test_subprocess_ribbon_with_the_real_actions_and_no_excel(tmp_path):
    """On Linux xlwings reaches no Excel: the action's own message comes back on stderr, exit 2."""
    done = run_app("ribbon", "check", *XLWINGS_ARGS, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode("utf-8") == "请先打开履约管理台账（.xlsx），再点击功能区按钮。\n"
