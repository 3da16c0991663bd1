"""The window: the controller without a display, then the tkinter window under Xvfb."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from helpers import make_book, put_rows
from lyue_xl.gui import ALERT_HEADINGS, PROBLEM_HEADINGS, Controller, Outcome
from lyue_xl.validate import check_file
from xshot import keep_screenshot, screenshot

pytest_plugins = ["xdisplay"]  # the display fixture (Xvfb)

SIGNED_TYPO = "2025/13/01"


def book_with_mistakes(tmp_path: Path) -> Path:
    """A blank workbook made by the product, with two mistakes typed into 合同台账 row 3."""
    book = make_book(tmp_path)
    put_rows(
        book,
        "合同台账",
        [
            {
                "合同编号": "HT-1",
                "合同名称": "设备采购",
                "合同性质": "收入方",  # not in the dropdown (收入 is a synonym of 收入性)
                "签订日期": SIGNED_TYPO,  # no 13th month
                "计划交付日期": date(2025, 9, 30),
            }
        ],
    )
    return book


EXPECTED_PROBLEMS = [
    ("错误", "合同台账", "3", "合同性质(C)", "「合同台账」第3行「合同性质(C)」：不在下拉列表中"),
    (
        "错误",
        "合同台账",
        "3",
        "签订日期(F)",
        "「合同台账」第3行「签订日期(F)」：不是真实存在的日期",
    ),
]


def assert_problem_rows(rows: list[tuple[str, ...]]) -> None:
    assert [(r[:4], r[4].split("（")[0]) for r in rows] == [
        (e[:4], e[4]) for e in EXPECTED_PROBLEMS
    ]
    assert "收入" in rows[0][4] and SIGNED_TYPO in rows[1][4]


# --- the controller (no display) -----------------------------------------------------------------


def test_check_lists_every_problem(tmp_path):
    book = book_with_mistakes(tmp_path)
    outcome = Controller().run("check", book)
    assert outcome.ok is False
    assert outcome.message == "校验完成：共 2 个错误、0 个警告。"
    assert outcome.headings == PROBLEM_HEADINGS
    assert_problem_rows(outcome.rows)
    assert len(outcome.rows) == len(check_file(book).problems)


def test_check_of_a_clean_workbook_passes(tmp_path):
    outcome = Controller().run("check", make_book(tmp_path))
    assert (outcome.ok, outcome.message, outcome.rows) == (True, "校验通过，未发现问题。", [])


def test_refresh_lists_the_warnings_with_their_record(tmp_path):
    book = make_book(tmp_path)
    put_rows(
        book,
        "合同台账",
        [
            {
                "合同编号": "HT-9",
                "合同名称": "仓储服务",
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 5),
                "评审日期": date(2025, 1, 3),
                "评审结论": "通过",
                "计划交付日期": date(2025, 3, 31),
            }
        ],
    )
    progress: list[str] = []
    outcome = Controller().run("refresh", book, progress=progress.append)
    assert outcome.ok and outcome.headings == ALERT_HEADINGS
    assert progress[0] == "读取台账"
    overdue = [r for r in outcome.rows if r[1] == "合同逾期未交付"]
    assert [r[:5] for r in overdue] == [("高", "合同逾期未交付", "合同台账", "3", "HT-9")]
    assert not any(r[1] == "合同未在签订前评审" for r in outcome.rows)
    assert outcome.message.startswith(
        f"已刷新指标看板、预警清单和体系自评：{len(outcome.rows)} 条预警"
    )


def test_user_mistakes_are_messages_not_exceptions(tmp_path):
    missing = Controller().run("check", tmp_path / "没有.xlsx")
    assert not missing.ok and missing.message.startswith("错误：找不到文件")
    text = tmp_path / "假的.xlsx"
    text.write_text("这不是工作簿", encoding="utf-8")
    fake = Controller().run("refresh", text)
    assert not fake.ok and fake.message.startswith("错误：") and "Traceback" not in fake.message
    assert Controller().run("manual", None).message == "请先选择台账文件。"


def test_a_bug_is_one_line_in_the_window(tmp_path, monkeypatch):
    monkeypatch.delenv("LYUE_DEBUG", raising=False)
    import lyue_xl.validate

    def broken(path: Path) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(lyue_xl.validate, "check_file", broken)
    outcome = Controller().run("check", make_book(tmp_path))
    assert not outcome.ok
    assert outcome.message.startswith("程序内部错误（ZeroDivisionError: division by zero）")


def test_new_makes_the_workbook_and_selects_it(tmp_path):
    target = tmp_path / "新台账.xlsx"
    outcome = Controller().run("new", target)
    assert outcome.ok and outcome.workbook == target and target.is_file()
    assert Controller().run("check", target).ok


def test_open_folder_opens_the_folder_of_a_file(tmp_path):
    opened: list[Path] = []
    book = make_book(tmp_path)
    outcome = Controller(opener=opened.append).run("open_folder", book)
    assert outcome.ok and opened == [tmp_path]
    gone = Controller(opener=opened.append).run("open_folder", tmp_path / "无" / "x.xlsx")
    assert not gone.ok and opened == [tmp_path]


# --- the window under Xvfb -----------------------------------------------------------------------


@pytest.fixture
def window(display):
    from lyue_xl.gui import App

    app = App()
    app.root.update()
    yield app
    app.root.destroy()


def wait_until_done(app, timeout: float = 120) -> Outcome:
    deadline = time.monotonic() + timeout
    while app.busy:
        assert time.monotonic() < deadline, "the action did not finish"
        app.root.update()
        time.sleep(0.02)
    app.root.update()
    assert app.last_outcome is not None
    return app.last_outcome


def test_window_checks_a_workbook_and_lists_the_problems(window, display, tmp_path):
    book = book_with_mistakes(tmp_path)
    assert window.root.title().startswith("履约管理台账工具")
    assert [window.buttons[k].cget("text") for k in ("check", "refresh", "open_folder")] == [
        "校验数据",
        "刷新指标与预警",
        "打开输出文件夹",
    ]
    window.open_workbook(book)
    assert window.path_var.get() == str(book)

    window.start("check", window.workbook)
    assert window.busy and str(window.progress.cget("mode")) == "indeterminate"
    assert all(b.instate(["disabled"]) for b in window.buttons.values())
    outcome = wait_until_done(window)

    assert outcome.action == "check"
    assert window.table_headings() == PROBLEM_HEADINGS
    assert_problem_rows(window.table_rows())
    assert window.status_var.get() == "校验完成：共 2 个错误、0 个警告。"
    assert window.detail_var.get() == window.table_rows()[0][4]  # the first row, in full
    assert not any(b.instate(["disabled"]) for b in window.buttons.values())
    # the window's fonts can show Chinese (a CJK family was found and set)
    assert window.font_family is not None

    shot = screenshot(display, tmp_path / "window-check.png")
    assert shot.stat().st_size > 10_000
    keep_screenshot(shot)


def test_window_refresh_fills_the_warning_table(window, tmp_path):
    book = make_book(tmp_path)
    put_rows(
        book,
        "合同台账",
        [
            {
                "合同编号": "HT-2",
                "合同名称": "运输服务",
                "合同性质": "收入性",
                "签订日期": date(2025, 2, 1),
                "计划交付日期": date(2025, 4, 30),
            }
        ],
    )
    window.open_workbook(book)
    window.start("refresh", book)
    wait_until_done(window)
    rows = window.table_rows()
    assert window.table_headings() == ALERT_HEADINGS
    assert ("高", "合同逾期未交付", "合同台账", "3", "HT-2") in [r[:5] for r in rows]


def test_window_shows_a_user_mistake_in_the_status_line(window, tmp_path, monkeypatch):
    from tkinter import messagebox

    shown: list[str] = []
    monkeypatch.setattr(messagebox, "showerror", lambda title, message, **kw: shown.append(message))
    window.open_workbook(tmp_path / "没有.xlsx")
    window.start("check", window.workbook)
    outcome = wait_until_done(window)
    assert not outcome.ok
    assert window.status_var.get().startswith("错误：找不到文件")
    assert shown == [window.status_var.get()]


def test_window_dialogs_speak_chinese(window):
    # Tk's file dialog on Linux and its message boxes take their words from msgcat (namespace ::tk)
    words = [
        window.root.tk.eval(f"namespace eval ::tk {{::msgcat::mc {{{w}}}}}")
        for w in ("&Open", "&Save", "&Cancel")
    ]
    assert words == ["&打开", "&保存", "&取消"]


def test_window_demo_goes_to_a_chinese_folder(window, tmp_path, monkeypatch):
    from tkinter import filedialog

    monkeypatch.setattr(filedialog, "askdirectory", lambda **kw: str(tmp_path))
    window.on_button("demo")
    outcome = wait_until_done(window, timeout=300)
    assert outcome.ok, outcome
    folder = tmp_path / "履约管理示例"
    assert sorted(p.suffix for p in folder.iterdir() if p.is_file()) == [
        ".docx",
        ".docx",
        ".docx",
        ".xlsx",
        ".zip",  # 审核资料包
        ".zip",  # 内审资料
    ]
