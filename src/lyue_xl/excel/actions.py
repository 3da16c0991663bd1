"""The ribbon actions of 「履约管理」: one function per button tag, written against `Book`.

``run_action(tag, book)`` is the whole logic of a button and returns an :class:`ActionResult`
(the Chinese text to show, the files made, the problems or alerts, the place to show); it is
tested here through `FileBook` on real files. ``run_from_excel(tag)`` is the thin xlwings entry
the add-in calls (``RunPython "import lyue_xl.excel.actions as a; a.run_from_excel('refresh')"``,
or the bundled program under ``RunFrozenPython``): it attaches to the calling workbook, runs the
action and shows the result in Excel.

What each button does (what a 履约管理员 expects from it):
- 新建台账 (new): a blank record workbook ``履约管理台账-YYYYMMDD.xlsx`` beside the active workbook
  (or in 文档 when there is none or it was never saved), opened in Excel. Asks nothing.
- 校验数据 (check): read-only. Lists every data problem (first ones in the message box; the full
  list in a text file beside the workbook when there are more) and selects the first problem
  cell. It never changes the workbook: checking is safe to click at any time.
- 刷新指标与预警 (refresh): writes 指标看板 / 预警清单 / 体系自评 and the engine columns into
  the workbook (through Excel: the open workbook keeps everything; the user saves), then shows
  指标看板.
- 生成履约管理手册 / 审核资料包 / 履约评估报告 / 管理评审输入报告 / 内审资料 (manual, audit_pack,
  report, review_input, audit_kit): the document beside
  the saved workbook, from the values currently in Excel, then opened.
- 导入自有台账 (import): asks for the source file (Excel's file dialog), shows the preview (which
  column goes where, values it could not map, rows already in this ledger) and asks to confirm;
  then saves and closes the ledger, appends the rows to its file (backed up, zip level — the same
  write as ``lyue-xl import --into``) and opens it again. Excel never has the file open while it
  changes.
- 转换文本格式 (fix_types): the preview from the values in Excel, a confirmation, then the same
  save–close–write–reopen as import, with ``lyue-xl fix-types``'s write.
- 打开帮助 (help): what each button does; shows the 使用说明 sheet when the workbook has one.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from lyue_xl import commands, schema
from lyue_xl.engine import Analysis, analyse_records
from lyue_xl.errors import LyueError
from lyue_xl.excel.book import Book, read_book
from lyue_xl.excel.ribbon import ACTIONS as RIBBON_LABELS
from lyue_xl.results import engine_columns, result_sheets
from lyue_xl.workbook.reader import Records

TITLE = "履约管理"
SHOWN = 15  # problems/alerts listed in a message box; more go to a text file (check)
NEW_NAME = "履约管理台账-{day:%Y%m%d}.xlsx"


@dataclass
class ActionResult:
    tag: str
    summary: str  # Chinese, for the message box
    ok: bool = True  # False: the user should look at something (check found 错误)
    outputs: list[Path] = field(default_factory=list)  # files written (documents, lists)
    problems: list[str] = field(default_factory=list)  # check: every problem, one line each
    alerts: list[str] = field(default_factory=list)  # refresh: every alert, one line each
    goto: tuple[str, str] | None = None  # (sheet, cell) to show afterwards
    open_workbook: Path | None = None  # new: the workbook to open in Excel

    @property
    def title(self) -> str:
        return f"{TITLE} · {RIBBON_LABELS.get(self.tag, self.tag)}"


# --- helpers --------------------------------------------------------------------------------------


def documents_folder() -> Path:
    """The user's 文档 folder (where a new ledger goes when there is no saved workbook)."""
    home = Path(os.environ.get("USERPROFILE") or Path.home())
    for candidate in (home / "Documents", home / "文档"):
        if candidate.is_dir():
            return candidate
    return home


def _need_book(book: Book | None) -> Book:
    if book is None:
        raise LyueError("请先打开履约管理台账（.xlsx），再点击功能区按钮。")
    return book


def _need_saved(book: Book) -> Path:
    if book.path is None:
        raise LyueError(
            f"工作簿“{book.name}”还没有保存过：文档会保存在工作簿旁边，请先保存（Ctrl+S）再生成。"
        )
    return book.path


def _skipped_note(records: Records) -> str:
    skipped = records.skipped_cells
    if not skipped:
        return ""
    return f"\n注意：有 {skipped} 个单元格无法识别，已按空白处理；请点“校验数据”查看并改正。"


def _analysis(book: Book, as_of: date | None) -> Analysis:
    return analyse_records(read_book(book), None, None, as_of)


def _listing(lines: list[str], what: str) -> str:
    shown = "\n".join(lines[:SHOWN])
    more = f"\n……还有 {len(lines) - SHOWN} {what}未列出。" if len(lines) > SHOWN else ""
    return shown + more


def _first_cell(sheet: str, row: int | None, column: str) -> tuple[str, str]:
    """A problem's place as (sheet, cell): the column letter comes from "签订日期(F)"."""
    letter = column[column.rfind("(") + 1 : -1] if column.endswith(")") and "(" in column else ""
    if not letter.isalpha():
        letter = "A"
    return sheet, f"{letter}{row or 1}"


# --- the actions --------------------------------------------------------------------------------------


def action_new(book: Book | None, as_of: date | None) -> ActionResult:
    folder = book.path.parent if book is not None and book.path is not None else documents_folder()
    day = as_of or date.today()
    path = folder / NEW_NAME.format(day=day)
    number = 2
    while path.exists():
        path = folder / f"{Path(NEW_NAME.format(day=day)).stem}-{number}.xlsx"
        number += 1
    from lyue_xl.workbook.template import new_workbook

    new_workbook(path, _org_name(book))
    return ActionResult(
        "new",
        f"已新建履约管理台账：\n{path}\n\n先填写「基本信息」和「设置」，再在各记录表第 3 行起逐行录入。",
        outputs=[path],
        open_workbook=path,
    )


def _org_name(book: Book | None) -> str:
    """The calling ledger's 组织名称, so a new year's ledger starts with it (blank if none)."""
    if book is None or schema.INFO.name not in book.sheet_names():
        return ""
    try:
        records = read_book(book, need=())
    except LyueError:
        return ""
    return records.org_name


def action_check(book: Book | None, as_of: date | None) -> ActionResult:
    from lyue_xl.validate import check_records

    book = _need_book(book)
    report = check_records(read_book(book))
    # errors first (they stop nothing from running but make results wrong), then warnings
    ordered = sorted(report.problems, key=lambda p: p.level != "错误")
    problems = [f"[{p.level}] {p.message}" for p in ordered]
    if not problems:
        return ActionResult("check", "校验通过，未发现问题。")
    errors = sum(1 for p in report.problems if p.level == "错误")
    head = f"共 {errors} 个错误、{len(problems) - errors} 个警告（本次校验没有修改工作簿）：\n\n"
    outputs: list[Path] = []
    tail = ""
    if len(problems) > SHOWN and book.path is not None:
        listing = book.path.with_name(f"{book.path.stem}-校验结果.txt")
        listing.write_text(head + "\n".join(problems) + "\n", encoding="utf-8-sig")
        outputs.append(listing)
        tail = f"\n完整清单已保存为：{listing}"
    first = ordered[0]
    return ActionResult(
        "check",
        head + _listing(problems, "个问题") + tail,
        ok=report.ok,
        outputs=outputs,
        problems=problems,
        goto=_first_cell(first.sheet, first.row, first.column),
    )


def action_refresh(book: Book | None, as_of: date | None) -> ActionResult:
    book = _need_book(book)
    analysis = _analysis(book, as_of)
    book.write_results(result_sheets(analysis), engine_columns(analysis))
    alerts = analysis.alerts
    counts = {level: sum(1 for a in alerts if a.level == level) for level in "高中低"}
    lines = [
        f"[{a.level}] 「{a.sheet}」{f'第{a.row}行 ' if a.row else ''}{a.message}" for a in alerts
    ]
    summary = (
        f"已刷新「{schema.DASHBOARD_SHEET}」「{schema.ALERTS_SHEET}」「{schema.ASSESSMENT_SHEET}」"
        f"和引擎列（统计期间 {analysis.period.label()}）。\n"
        f"预警 {len(alerts)} 条：高 {counts['高']}、中 {counts['中']}、低 {counts['低']}；"
        f"体系自评就绪度 {analysis.assessment.readiness_text}。\n"
        f"{book.save_note()}{_skipped_note(analysis.records)}"
    )
    high = [line for line in lines if line.startswith("[高]")]
    if high:
        summary += "\n\n高级别预警：\n" + _listing(high, "条高级别预警")
    return ActionResult("refresh", summary, alerts=lines, goto=(schema.DASHBOARD_SHEET, "A1"))


DOCUMENT_NAMES = {c.key: c.label.removeprefix("生成") for c in commands.DOCUMENTS}


def _document_action(kind: str) -> Callable[[Book | None, date | None], ActionResult]:
    def run(book: Book | None, as_of: date | None) -> ActionResult:
        book = _need_book(book)
        _need_saved(book)
        analysis = _analysis(book, as_of)
        from lyue_xl.documents import write_document  # type: ignore[attr-defined,unused-ignore]

        path = Path(write_document(kind, analysis, None))
        return ActionResult(
            kind,
            f"已生成{DOCUMENT_NAMES[kind]}：\n{path}{_skipped_note(analysis.records)}",
            outputs=[path],
        )

    return run


HELP_LINES = {c.key: c.help for c in commands.ribbon_order()}


# --- the two buttons that ask (import, fix-types) ---------------------------------------------------


class Prompts(Protocol):
    """The questions a button may ask; in Excel: GetOpenFilename and message boxes."""

    def pick_file(self, title: str) -> Path | None:
        """A file chosen by the user, or None when cancelled."""
        ...

    def confirm(self, text: str, title: str) -> bool:
        """确定 (True) or 取消 (False)."""
        ...

    def choose(self, text: str, title: str) -> bool | None:
        """是 (True), 否 (False) or 取消 (None)."""
        ...


PREVIEW_LINES = 25  # lines of a preview shown in the confirmation box


def _preview(lines: list[str], question: str) -> str:
    shown = lines[:PREVIEW_LINES]
    more = f"\n……另有 {len(lines) - PREVIEW_LINES} 行未列出。" if len(lines) > PREVIEW_LINES else ""
    return "\n".join(shown) + more + "\n\n" + question


def _cancelled(tag: str) -> ActionResult:
    return ActionResult(tag, "已取消，台账没有改动。")


def action_import(book: Book | None, as_of: date | None, prompts: Prompts) -> ActionResult:
    """导入自有台账: pick the source, preview (mapping, values, duplicates against this ledger),
    confirm, then append to this ledger's file through the backed-up zip-level write."""
    from lyue_xl.importer import Result, ledger_natures, plan_import, preview_against, run_import

    book = _need_book(book)
    _need_saved(book)
    source = prompts.pick_file("选择要导入的台账（.xlsx / .xlsm / .csv）")
    if source is None:
        return _cancelled("import")
    records = read_book(book, need=())
    natures = ledger_natures(records)
    plan = plan_import(source, strict=False, natures=natures)
    nature: str | None = None
    if any(p.code == "nature-missing" for p in plan.problems):
        answer = prompts.choose(
            "源台账没有“合同性质”列。全部按“收入性”（本方向客户履约）导入请点“是”，"
            "按“支出性”（供应商向本方履约）导入请点“否”，不导入请点“取消”。",
            f"{TITLE} · 导入自有台账",
        )
        if answer is None:
            return _cancelled("import")
        nature = "收入性" if answer else "支出性"
        plan = plan_import(source, nature=nature, natures=natures)
    preview_against(plan, records)
    lines = Result(plan, dry_run=True).lines()
    if not plan.rows:
        return ActionResult("import", "\n".join(lines) + "\n\n没有可写入的行，台账没有改动。")
    question = (
        f"确定把这 {len(plan.rows)} 行追加到“{book.name}”吗？\n"
        "将先保存并关闭台账，备份到 .lyue-backup 后写入，再重新打开。"
    )
    if not prompts.confirm(_preview(lines, question), f"{TITLE} · 导入自有台账"):
        return _cancelled("import")
    result = book.edit_file(lambda path: run_import(source, into=path, nature=nature))
    return ActionResult("import", _done(result.lines()))


def action_fix_types(book: Book | None, as_of: date | None, prompts: Prompts) -> ActionResult:
    """转换文本格式: preview from the values in the workbook, confirm, then convert its file."""
    from lyue_xl.fixtypes import fix_types, plan_fixes

    book = _need_book(book)
    _need_saved(book)
    preview, updates = plan_fixes(read_book(book, need=()), book.grid)
    lines = preview.lines()
    if not updates:
        return ActionResult("fix_types", "\n".join(lines))
    question = (
        f"确定转换这 {len(preview.fixes)} 个单元格吗？\n"
        "将先保存并关闭台账，备份到 .lyue-backup 后转换，再重新打开。"
    )
    if not prompts.confirm(_preview(lines, question), f"{TITLE} · 转换文本格式"):
        return _cancelled("fix_types")
    result = book.edit_file(lambda path: fix_types(path))
    return ActionResult("fix_types", _done(result.lines()))


def _done(lines: list[str]) -> str:
    """What was written first (the last line of a summary), then the details."""
    return lines[-1] + ("\n\n" + _listing(lines[:-1], "行") if len(lines) > 1 else "")


def action_help(book: Book | None, as_of: date | None) -> ActionResult:
    lines = [f"· {RIBBON_LABELS[tag]}：{HELP_LINES[tag]}" for tag in RIBBON_LABELS]
    summary = (
        "「履约管理」选项卡各按钮的作用：\n"
        + "\n".join(lines)
        + "\n\n数据只在本机处理，不联网。没有 Python 或在 WPS 中，可直接使用台账中的「实时指标」表。"
    )
    goto = None
    if book is not None and schema.GUIDE_SHEET in book.sheet_names():
        goto = (schema.GUIDE_SHEET, "A1")
    return ActionResult("help", summary, goto=goto)


ACTIONS: dict[str, Callable[[Book | None, date | None], ActionResult]] = {
    "new": action_new,
    "check": action_check,
    "refresh": action_refresh,
    "manual": _document_action("manual"),
    "audit_pack": _document_action("audit_pack"),
    "report": _document_action("report"),
    "review_input": _document_action("review_input"),
    "audit_kit": _document_action("audit_kit"),
    "help": action_help,
}


# the buttons that ask the user something (a file, a confirmation)
ASKING: dict[str, Callable[[Book | None, date | None, Prompts], ActionResult]] = {
    "import": action_import,
    "fix_types": action_fix_types,
}


def run_action(
    tag: str, book: Book | None, *, as_of: date | None = None, prompts: Prompts | None = None
) -> ActionResult:
    """Run the ribbon action ``tag`` on ``book``; LyueError for what the user must fix first."""
    asking = ASKING.get(tag)
    if asking is not None:
        if prompts is None:
            raise LyueError(f"“{RIBBON_LABELS[tag]}”需要在 Excel 中选择文件并确认，无法在此运行。")
        return asking(book, as_of, prompts)
    action = ACTIONS.get(tag)
    if action is None:
        known = "、".join([*ACTIONS, *ASKING])
        raise LyueError(f"未知的功能“{tag}”（可用：{known}）。请重新安装“履约管理”加载项。")
    return action(book, as_of)


# --- the xlwings entry ------------------------------------------------------------------------------


def run_from_excel(tag: str) -> int:
    """Entry of the add-in's buttons: run ``tag`` on the calling workbook and show the result.

    Every message is shown here in an Excel message box (also under RunFrozenPython), so the
    return value (0 done, 1 check found errors, 2 the user must fix something, 3 internal error)
    is informational. Needs Windows with Excel.
    """
    import xlwings as xw

    from lyue_xl.excel.xlbook import ExcelBook

    caller = _caller(xw)
    app = caller.app if caller is not None else _active_app(xw)
    book = ExcelBook(caller) if caller is not None else None
    _status(app, f"{TITLE}：正在{RIBBON_LABELS.get(tag, tag)}……")
    try:
        result = run_action(tag, book, prompts=ExcelPrompts(app))
        if book is not None and tag in ASKING:
            caller = book.book  # opened again after the file was written
    except LyueError as exc:
        _alert(app, str(exc), f"{TITLE} · 无法完成", critical=True)
        return 2
    except Exception as exc:
        if os.environ.get("LYUE_DEBUG"):
            raise
        _alert(
            app,
            f"程序内部错误（{type(exc).__name__}: {str(exc)[:200]}）。"
            "请把这条信息和台账发给维护人员。",
            f"{TITLE} · 内部错误",
            critical=True,
        )
        return 3
    finally:
        _status(app, None)
    _show(result, app, caller)
    return 0 if result.ok else 1


class ExcelPrompts:
    """:class:`Prompts` in Excel: ``Application.GetOpenFilename`` and xlwings message boxes."""

    FILTER = "台账 (*.xlsx;*.xlsm;*.csv),*.xlsx;*.xlsm;*.csv"

    def __init__(self, app: Any) -> None:
        self.app = app

    def pick_file(self, title: str) -> Path | None:
        chosen = self.app.api.GetOpenFilename(self.FILTER, 1, title)
        return Path(str(chosen)) if chosen not in (False, None, "", "False") else None

    def confirm(self, text: str, title: str) -> bool:
        return str(self.app.alert(text, title=title, buttons="ok_cancel")) == "ok"

    def choose(self, text: str, title: str) -> bool | None:
        answer = str(self.app.alert(text, title=title, buttons="yes_no_cancel"))
        return {"yes": True, "no": False}.get(answer)


def _caller(xw: Any) -> Any:
    try:
        return xw.Book.caller()
    except Exception:  # no workbook active (e.g. 新建台账 with nothing open)
        return None


def _active_app(xw: Any) -> Any:
    try:
        return xw.apps.active
    except Exception:
        return None


def _status(app: Any, text: str | None) -> None:
    if app is None:
        return
    with contextlib.suppress(Exception):  # the status bar is a courtesy
        app.status_bar = text if text is not None else False


def _alert(app: Any, text: str, title: str, critical: bool = False) -> None:
    if app is not None:
        app.alert(text, title=title, mode="critical" if critical else "info")
    else:
        sys.stderr.write(text + "\n")


def _show(result: ActionResult, app: Any, caller: Any) -> None:
    _alert(app, result.summary, result.title, critical=not result.ok)
    if result.open_workbook is not None and app is not None:
        app.books.open(str(result.open_workbook))
    for path in result.outputs:
        if path.suffix.lower() != ".xlsx" and hasattr(os, "startfile"):
            os.startfile(path)  # type: ignore[attr-defined]  # Windows only
    if result.goto is not None and caller is not None:
        sheet_name, cell = result.goto
        if sheet_name in [s.name for s in caller.sheets]:
            sheet = caller.sheets[sheet_name]
            sheet.activate()
            sheet.range(cell).select()
