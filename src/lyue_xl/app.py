"""The bundled program's one entry point (DESIGN §7): three ways in, one ``main``.

- ``lyue-xl <command> ...`` — the command line, exactly as :func:`lyue_xl.cli.main`;
- ``lyue-xl ribbon <tag> --wb=… --from_xl=1 --app=… --hwnd=…`` — called by the add-in through
  xlwings' ``RunFrozenPython``: the ribbon action on the calling workbook. On failure: a non-zero
  exit code and ONE Chinese line on stderr, which the add-in reads with VBA ``Line Input`` in the
  ANSI code page and shows in a message box — so on Windows it is written as ``mbcs``;
- no arguments (double-clicked) — the window (:mod:`lyue_xl.gui`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from lyue_xl.errors import LyueError

RIBBON = "ribbon"
XLWINGS_OPTIONS = ("--wb", "--from_xl", "--app", "--hwnd")  # added by RunFrozenPython
EXIT_OK, EXIT_USER, EXIT_INTERNAL = 0, 2, 3


class _RibbonParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise LyueError("加载项调用 lyue-xl 时没有指明要执行的功能，请重新安装加载项。")


def ribbon_tags() -> dict[str, str]:
    """The ribbon actions (tag -> Chinese label), from the add-in's single list."""
    from lyue_xl.excel.ribbon import ACTIONS

    return ACTIONS


def parse_ribbon_args(argv: Sequence[str]) -> tuple[str, list[str]]:
    """``<tag> --wb=… --from_xl=1 …`` (what follows ``ribbon``) -> (tag, unknown arguments).

    xlwings' four options are declared (and then ignored: ``Book.caller()`` reads them from
    ``sys.argv`` itself) because argparse takes an undeclared ``--wb=台账 2025.xlsx`` — with a
    space — for a positional argument. Anything else is returned, not refused, so that a newer
    xlwings adding an argument does not break the ribbon. An unknown tag is a :class:`LyueError`.
    """
    parser = _RibbonParser(prog="lyue-xl ribbon", add_help=False)
    parser.add_argument("tag")
    for option in XLWINGS_OPTIONS:
        parser.add_argument(option)
    args, extras = parser.parse_known_args(list(argv))
    tags = ribbon_tags()
    if args.tag not in tags:
        known = "、".join(f"{tag}（{label}）" for tag, label in tags.items())
        raise LyueError(f"加载项请求了未知的功能“{args.tag}”，可用的功能：{known}。请更新加载项。")
    return args.tag, extras


def run_ribbon(argv: Sequence[str]) -> int:
    """The ribbon path. Exit code and stderr are for xlwings' ``RunFrozenPython``, which shows
    the stderr text in an "Error" pop-up whenever the exit code is not 0.

    ``run_from_excel`` shows its own results and messages in Excel message boxes; then the exit
    code is 0 whatever it returned (1: check found errors, 2: the user must fix something), or
    the user would get a second, empty pop-up. Only what it could not show in Excel — written to
    stderr, e.g. when no Excel instance could be reached — is passed on, with its code. Failures
    before it runs (unknown tag, xlwings cannot be imported) are one Chinese line, exit 2 or 3.
    """
    try:
        tag, _extras = parse_ribbon_args(argv)
        from lyue_xl.excel import actions  # lazily: xlwings is only needed on this path

        unshown = io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stderr(unshown):
            warnings.simplefilter("ignore")  # a library's warning is nothing a user can act on
            code = actions.run_from_excel(tag)
        text = unshown.getvalue().strip()
        if text and code:
            say_to_excel(text)
            return int(code)
        return EXIT_OK
    except LyueError as exc:
        say_to_excel(f"错误：{exc}")
        return EXIT_USER
    except KeyboardInterrupt:
        say_to_excel("已取消。")
        return 130
    except Exception as exc:  # a bug of ours: one line for the message box, no traceback
        if os.environ.get("LYUE_DEBUG"):
            raise
        say_to_excel(
            f"程序内部错误（{type(exc).__name__}: {str(exc)[:200]}）。"
            "请把这条信息和台账发给维护人员。"
        )
        return EXIT_INTERNAL


def excel_encoding() -> str:
    """The encoding VBA ``Line Input`` decodes the log file with: the ANSI code page."""
    return "mbcs" if sys.platform == "win32" else "utf-8"


def say_to_excel(message: str) -> None:
    """``message`` on stderr in the encoding the add-in reads (missing characters become ``?``),
    lines ended with CRLF on Windows."""
    newline = "\r\n" if sys.platform == "win32" else "\n"
    line = newline.join(part.rstrip() for part in message.strip().splitlines()) + newline
    stream = sys.stderr
    if stream is None:  # a windowed build has no stderr; nothing to write to
        return
    stream.flush()
    data = line.encode(excel_encoding(), errors="replace")
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # a replaced stderr without bytes (tests' capsys)
        stream.write(data.decode(excel_encoding(), errors="replace"))
        stream.flush()


def _hide_own_console() -> None:
    """Double-clicked on Windows: hide the console window this program was given, if it is ours.

    A console started by the user (cmd.exe) is shared with other processes and stays visible.
    """
    if sys.platform != "win32":
        return
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        processes = (ctypes.c_uint * 4)()
        if kernel32.GetConsoleProcessList(processes, 4) == 1:
            window = kernel32.GetConsoleWindow()
            if window:
                ctypes.windll.user32.ShowWindow(window, 0)  # type: ignore[attr-defined]
    except Exception:  # only cosmetic
        pass


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        from lyue_xl import gui

        _hide_own_console()
        return gui.main()
    if args[0] == RIBBON:
        return run_ribbon(args[1:])
    from lyue_xl import cli

    return cli.main(args)


if __name__ == "__main__":
    raise SystemExit(main())
