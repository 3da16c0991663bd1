"""The window of the bundled program (double-clicked, no arguments): pick a workbook, run actions.

The way in for WPS users and for offices that block macros (DESIGN §7). Two layers:

- :class:`Controller` decides what each button runs and turns the library's results (or its
  :class:`~lyue_xl.errors.LyueError`) into an :class:`Outcome` — plain values, no tkinter, tested
  without a display;
- :class:`App` is the thin tkinter layer: buttons, an indeterminate progress bar with a status
  line, and a table (ttk.Treeview) of problems or warnings. Work runs in a worker thread; progress
  and the outcome come back through a queue that the window polls with ``root.after``.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from lyue_xl import __version__, commands
from lyue_xl.errors import LyueError

Progress = Callable[[str], None]

TITLE = f"履约管理台账工具 lyue-xl {__version__}"
PROBLEM_HEADINGS = ("级别", "工作表", "行", "列", "说明")
ALERT_HEADINGS = ("级别", "预警类型", "工作表", "行", "记录", "说明")
DEMO_HEADINGS = ("示例生成的内容",)
NEW_WORKBOOK_NAME = "履约管理台账.xlsx"

# button order in the window: action key -> label (declared in lyue_xl.commands)
ACTIONS: dict[str, str] = {c.key: c.label for c in commands.on(commands.WINDOW)}
DOCUMENTS = tuple(c.key for c in commands.DOCUMENTS if c.window)
NEEDS_WORKBOOK = ("check", "refresh", "fix_types", *DOCUMENTS)

# preferred UI fonts that show Chinese, first found wins (Windows, Linux, macOS)
CJK_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "SimSun",
)


@dataclass
class Outcome:
    """What an action produced, ready to show: a status line and, maybe, a table."""

    action: str
    ok: bool
    message: str
    headings: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)
    output: Path | None = None  # a file or folder the action wrote
    workbook: Path | None = None  # the workbook to select afterwards (新建台账, 示例)
    skipped: int = 0  # cells read as empty (the notice and the 查看校验结果 button)


def lines_outcome(
    action: str,
    heading: str,
    lines: Sequence[str],
    output: Path | None,
    workbook: Path | None = None,
) -> Outcome:
    """A library summary (import, fix-types) shown as is: its last line as the status, the
    others as the table."""
    return Outcome(
        action,
        True,
        lines[-1],
        (heading,),
        [(line,) for line in lines[:-1]],
        output=output,
        workbook=workbook,
    )


def skipped_notice(count: int) -> str:
    """The notice the CLI and the ribbon show too, worded for the window."""
    if not count:
        return ""
    return f"注意：有 {count} 个单元格无法识别，已按空白处理；请点“查看校验结果”并改正。"


def _text(value: object) -> str:
    return "" if value is None else str(value)


def problem_rows(problems: Sequence[Any]) -> list[tuple[str, ...]]:
    """The rows of the problem table: 级别, 工作表, 行, 列, 说明."""
    return [(p.level, p.sheet, _text(p.row), _text(p.column), p.message) for p in problems]


def alert_rows(alerts: Sequence[Any]) -> list[tuple[str, ...]]:
    """The rows of the warning table: 级别, 预警类型 (the code in words), 工作表, 行, 记录, 说明."""
    from lyue_xl.alerts import TITLES  # pandas: loaded with the engine, not at start-up

    return [
        (a.level, TITLES.get(a.code, a.code), a.sheet, _text(a.row), _text(a.record), a.message)
        for a in alerts
    ]


class Controller:
    """Runs one action on a path and says what happened; never raises for the user's mistakes.

    ``path`` is the workbook for 校验/刷新/documents, the new file for 新建台账, the folder for
    示例, and the folder to open for 打开输出文件夹.
    """

    def __init__(self, opener: Callable[[Path], None] | None = None) -> None:
        self.opener = opener or open_in_file_manager

    def run(self, action: str, path: Path | None, progress: Progress | None = None) -> Outcome:
        say = progress or (lambda _message: None)
        if action not in ACTIONS:
            return Outcome(action, False, f"未知的功能：{action}")
        if path is None:
            what = "台账文件" if action in NEEDS_WORKBOOK else "位置"
            return Outcome(action, False, f"请先选择{what}。")
        try:
            return getattr(self, f"_{action}")(Path(path), say)
        except LyueError as exc:
            return Outcome(action, False, f"错误：{exc}")
        except Exception as exc:  # a bug of ours: one line in the window, no traceback
            if os.environ.get("LYUE_DEBUG"):
                traceback.print_exc()
            return Outcome(
                action,
                False,
                f"程序内部错误（{type(exc).__name__}: {str(exc)[:200]}）。"
                "请把这条信息和台账发给维护人员。",
            )

    # --- the actions ---------------------------------------------------------------------------

    def _new(self, path: Path, say: Progress) -> Outcome:
        from lyue_xl.workbook.template import new_workbook

        say("正在生成空白台账")
        made = new_workbook(path, force=path.exists())
        return Outcome("new", True, f"已生成空白履约管理台账：{made}", output=made, workbook=made)

    def _demo(self, path: Path, say: Progress) -> Outcome:
        from lyue_xl.demo import DEMO_WORKBOOK, run_demo

        say("正在生成示例企业的台账和文件")
        lines = run_demo(path, progress=say)
        book = path / DEMO_WORKBOOK
        return Outcome(
            "demo",
            True,
            f"示例已生成：{path}",
            DEMO_HEADINGS,
            [(line.strip(),) for line in lines],
            output=path,
            workbook=book if book.is_file() else None,
        )

    def _check(self, path: Path, say: Progress) -> Outcome:
        from lyue_xl.validate import check_file

        say("正在校验台账数据")
        report = check_file(path)
        errors = sum(1 for p in report.problems if p.level == "错误")
        warnings = len(report.problems) - errors
        message = (
            "校验通过，未发现问题。"
            if not report.problems
            else f"校验完成：共 {errors} 个错误、{warnings} 个警告。"
        )
        return Outcome("check", report.ok, message, PROBLEM_HEADINGS, problem_rows(report.problems))

    def _refresh(self, path: Path, say: Progress) -> Outcome:
        from lyue_xl.refresh import refresh

        result = refresh(path, progress=say)
        alerts = result.analysis.alerts
        message = (
            f"已刷新指标看板、预警清单和体系自评：{len(alerts)} 条预警，"
            f"体系自评就绪度 {result.analysis.assessment.readiness_text}。"
        )
        skipped = result.analysis.records.skipped_cells
        message += skipped_notice(skipped)
        return Outcome(
            "refresh",
            True,
            message,
            ALERT_HEADINGS,
            alert_rows(alerts),
            output=path,
            skipped=skipped,
        )

    def _document(self, kind: str, path: Path, say: Progress) -> Outcome:
        from lyue_xl.documents import write_document
        from lyue_xl.engine import analyse

        say("正在读取台账并计算指标")
        analysis = analyse(path)
        say(f"正在生成{ACTIONS[kind].removeprefix('生成')}")
        made = write_document(kind, analysis, None)
        skipped = analysis.records.skipped_cells
        message = f"已生成：{made}" + (f"。{skipped_notice(skipped)}" if skipped else "")
        return Outcome(kind, True, message, output=made, skipped=skipped)

    def _manual(self, path: Path, say: Progress) -> Outcome:
        return self._document("manual", path, say)

    def _audit_pack(self, path: Path, say: Progress) -> Outcome:
        return self._document("audit_pack", path, say)

    def _report(self, path: Path, say: Progress) -> Outcome:
        return self._document("report", path, say)

    def _fix_types(self, path: Path, say: Progress) -> Outcome:
        from lyue_xl.fixtypes import fix_types

        say("正在把文本形式的日期、金额和选项转换为 Excel 能统计的形式")
        return lines_outcome("fix_types", "转换的单元格", fix_types(path).lines(), path)

    def _import(self, path: Path, say: Progress) -> Outcome:
        return self.import_ledger(path, output=path.with_name(path.stem + "-导入.xlsx"), say=say)

    def import_ledger(
        self,
        source: Path,
        *,
        into: Path | None = None,
        output: Path | None = None,
        nature: str | None = None,
        say: Progress | None = None,
    ) -> Outcome:
        """导入自有台账: append to ``into`` or make ``output``; LyueError becomes an Outcome."""
        from lyue_xl.importer import run_import

        (say or (lambda _m: None))("正在导入自有台账")
        try:
            result = run_import(source, into=into, output=output, nature=nature)
        except LyueError as exc:
            return Outcome("import", False, f"错误：{exc}")
        return lines_outcome(
            "import", "导入情况", result.lines(), result.output, workbook=result.output
        )

    def _review_input(self, path: Path, say: Progress) -> Outcome:
        return self._document("review_input", path, say)

    def _audit_kit(self, path: Path, say: Progress) -> Outcome:
        return self._document("audit_kit", path, say)

    def _open_folder(self, path: Path, say: Progress) -> Outcome:
        folder = path if path.is_dir() else path.parent
        if not folder.is_dir():
            return Outcome("open_folder", False, f"文件夹不存在：{folder}")
        self.opener(folder)
        return Outcome("open_folder", True, f"已打开文件夹：{folder}")


def open_in_file_manager(folder: Path) -> None:
    """Show ``folder`` in Explorer / Finder / the desktop's file manager."""
    if sys.platform == "win32":
        os.startfile(folder)  # type: ignore[attr-defined]
    elif sys.platform == "darwin":
        subprocess.Popen(["open", str(folder)])
    else:
        subprocess.Popen(["xdg-open", str(folder)])


# --- the window (thin) -------------------------------------------------------------------------


DEMO_FOLDER = "履约管理示例"  # the folder 生成示例 makes inside the one chosen


def chinese_dialogs(root: Any) -> None:
    """Tk's own file dialogs (Linux) and message boxes in Chinese: Tk translates their buttons and
    labels through msgcat, which follows the locale; set it to zh_cn whatever the system says."""
    try:
        root.tk.call("package", "require", "msgcat")
        root.tk.call("::msgcat::mclocale", "zh_cn")
        # the catalogues were loaded for the start-up locale; load Tk's Chinese one again
        root.tk.eval("namespace eval ::tk {::msgcat::mcload [file join $::tk_library msgs]}")
    except Exception:  # an old or stripped Tk: English dialogs, still working
        return


class App:
    """The tkinter window. ``open_workbook`` and ``start`` are what the buttons (and tests) call."""

    def __init__(self, root: Any = None, controller: Controller | None = None) -> None:
        import tkinter as tk
        from tkinter import ttk

        self.tk = tk
        self.root = root if root is not None else tk.Tk(className="lyue-xl")
        self.controller = controller or Controller()
        self.workbook: Path | None = None
        self.last_output: Path | None = None
        self.last_outcome: Outcome | None = None
        self.busy = False
        self._events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._worker: threading.Thread | None = None

        self.root.title(TITLE)
        chinese_dialogs(self.root)
        self.root.geometry("1000x600")
        self.root.minsize(760, 420)
        self.font_family = use_cjk_font(self.root)

        outer = ttk.Frame(self.root, padding=10)
        outer.pack(fill="both", expand=True)

        top = ttk.Frame(outer)
        top.pack(fill="x")
        ttk.Label(top, text="台账文件：").pack(side="left")
        self.path_var = tk.StringVar(value="（尚未选择，请点“选择台账…”或“新建台账”）")
        ttk.Label(top, textvariable=self.path_var, width=70, anchor="w").pack(
            side="left", fill="x", expand=True
        )
        self.choose_button = ttk.Button(top, text="选择台账…", command=self.choose_workbook)
        self.choose_button.pack(side="right")

        bar = ttk.Frame(outer, padding=(0, 8))
        bar.pack(fill="x")
        self.buttons: dict[str, Any] = {}
        for index, (action, label) in enumerate(ACTIONS.items()):
            button = ttk.Button(bar, text=label, command=partial(self.on_button, action))
            button.grid(row=index // 4, column=index % 4, sticky="ew", padx=3, pady=3)
            self.buttons[action] = button
        for column in range(4):
            bar.columnconfigure(column, weight=1)

        table = ttk.Frame(outer)
        table.pack(fill="both", expand=True)
        self.tree = ttk.Treeview(table, show="headings", selectmode="browse")
        scroll_y = ttk.Scrollbar(table, orient="vertical", command=self.tree.yview)
        scroll_x = ttk.Scrollbar(table, orient="horizontal", command=self.tree.xview)
        self.tree.configure(yscrollcommand=scroll_y.set, xscrollcommand=scroll_x.set)
        self.tree.grid(row=0, column=0, sticky="nsew")
        scroll_y.grid(row=0, column=1, sticky="ns")
        scroll_x.grid(row=1, column=0, sticky="ew")
        table.rowconfigure(0, weight=1)
        table.columnconfigure(0, weight=1)
        for level, colour in (
            ("错误", "#C00000"),
            ("高", "#C00000"),
            ("警告", "#9C5700"),
            ("中", "#9C5700"),
        ):
            self.tree.tag_configure(level, foreground=colour)

        self.detail_var = tk.StringVar(value="")
        self.detail = ttk.Label(
            outer, textvariable=self.detail_var, anchor="w", justify="left", wraplength=960
        )
        self.detail.pack(fill="x", pady=(6, 0))
        self.tree.bind("<<TreeviewSelect>>", self._show_detail)

        status = ttk.Frame(outer, padding=(0, 6, 0, 0))
        status.pack(fill="x")
        self.progress = ttk.Progressbar(status, mode="determinate", length=160, value=0)
        self.progress.pack(side="left")
        self.status_var = tk.StringVar(value="请选择台账文件，或新建台账、生成示例。")
        self.status_label = ttk.Label(status, textvariable=self.status_var, anchor="w")
        self.status_label.pack(side="left", fill="x", expand=True, padx=8)
        self.check_result_button = ttk.Button(
            status, text="查看校验结果", command=partial(self.on_button, "check")
        )  # shown when cells were read as empty
        self.root.after(100, self._poll)

    # --- what the buttons do -------------------------------------------------------------------

    def open_workbook(self, path: Path | str) -> None:
        self.workbook = Path(path)
        self.path_var.set(str(self.workbook))
        self.status_var.set("已选择台账，可以校验、刷新或生成文件。")

    def choose_workbook(self) -> None:
        from tkinter import filedialog

        chosen = filedialog.askopenfilename(
            parent=self.root,
            title="选择履约管理台账",
            filetypes=[("Excel 工作簿", "*.xlsx *.xlsm"), ("所有文件", "*.*")],
        )
        if chosen:
            self.open_workbook(chosen)

    def on_button(self, action: str) -> None:
        """A button press: ask where (新建台账, 示例) if needed, then start the action."""
        from tkinter import filedialog

        target: Path | None = self.workbook
        if action == "new":
            chosen = filedialog.asksaveasfilename(
                parent=self.root,
                title="新建台账保存为",
                defaultextension=".xlsx",
                initialfile=NEW_WORKBOOK_NAME,
                filetypes=[("Excel 工作簿", "*.xlsx")],
            )
            target = Path(chosen) if chosen else None
        elif action == "demo":
            chosen = filedialog.askdirectory(
                parent=self.root, title="示例文件放在哪个文件夹", mustexist=False
            )
            target = Path(chosen) / DEMO_FOLDER if chosen else None
        elif action == "open_folder":
            target = self.last_output or self.workbook
        elif action == "import":
            self.import_dialog()
            return
        if target is None and action in ("new", "demo"):
            return  # the dialog was cancelled
        self.start(action, target)

    def import_dialog(self) -> None:
        """导入自有台账: the source, then append to the chosen workbook or make a new one."""
        from tkinter import filedialog, messagebox

        chosen = filedialog.askopenfilename(
            parent=self.root,
            title="选择要导入的台账（.xlsx / .csv）",
            filetypes=[("台账", "*.xlsx *.xlsm *.csv"), ("所有文件", "*.*")],
        )
        if not chosen:
            return
        source = Path(chosen)
        into: Path | None = None
        output: Path | None = None
        if self.workbook is not None and messagebox.askyesno(
            TITLE,
            f"追加到当前台账“{self.workbook.name}”？\n选“否”则新建一份台账。",
            parent=self.root,
        ):
            into = self.workbook
        else:
            made = filedialog.asksaveasfilename(
                parent=self.root,
                title="导入后的新台账保存为",
                defaultextension=".xlsx",
                initialfile=f"{source.stem}-导入.xlsx",
                filetypes=[("Excel 工作簿", "*.xlsx")],
            )
            if not made:
                return
            output = Path(made)
        nature = None
        if self.source_lacks_nature(source):
            answer = messagebox.askyesnocancel(
                TITLE,
                "源台账没有“合同性质”列。全部按“收入性”（本方向客户履约）导入？\n"
                "选“否”按“支出性”导入，选“取消”不导入。",
                parent=self.root,
            )
            if answer is None:
                return
            nature = "收入性" if answer else "支出性"
        self.start_call(
            "import",
            lambda say: self.controller.import_ledger(
                source, into=into, output=output, nature=nature, say=say
            ),
        )

    @staticmethod
    def source_lacks_nature(source: Path) -> bool:
        from lyue_xl.importer import plan_import

        try:
            plan = plan_import(source, strict=False)
        except LyueError:
            return False  # the import itself will say what is wrong
        return any(p.code == "nature-missing" for p in plan.problems)

    def start_call(self, action: str, call: Callable[[Progress], Outcome]) -> None:
        """Like :meth:`start`, for an action with more than a path (导入自有台账)."""
        if self.busy:
            return
        self.busy = True
        for button in (*self.buttons.values(), self.choose_button):
            button.state(["disabled"])
        self.status_var.set(f"正在{ACTIONS.get(action, action)}，请稍候……")
        self.progress.configure(mode="indeterminate")
        self.progress.start(12)

        def work() -> None:
            outcome = call(lambda text: self._events.put(("progress", text)))
            self._events.put(("done", outcome))

        self._worker = threading.Thread(target=work, name=f"lyue-{action}", daemon=True)
        self._worker.start()

    def start(self, action: str, target: Path | None) -> None:
        """Run ``action`` on ``target`` in a worker thread (ignored while one is running)."""
        if self.busy:
            return
        self.busy = True
        for button in (*self.buttons.values(), self.choose_button):
            button.state(["disabled"])
        self.status_var.set(f"正在{ACTIONS.get(action, action)}，请稍候……")
        self.progress.configure(mode="indeterminate")
        self.progress.start(12)

        def work() -> None:
            outcome = self.controller.run(
                action, target, progress=lambda text: self._events.put(("progress", text))
            )
            self._events.put(("done", outcome))

        self._worker = threading.Thread(target=work, name=f"lyue-{action}", daemon=True)
        self._worker.start()

    # --- back on the window's thread ------------------------------------------------------------

    def _poll(self) -> None:
        try:
            while True:
                kind, payload = self._events.get_nowait()
                if kind == "progress":
                    self.status_var.set(f"{payload}……")
                else:
                    self.show(payload)
        except queue.Empty:
            pass
        self.root.after(100, self._poll)

    def show(self, outcome: Outcome) -> None:
        self.progress.stop()
        self.progress.configure(mode="determinate", value=0)
        self.busy = False
        for button in (*self.buttons.values(), self.choose_button):
            button.state(["!disabled"])
        self.last_outcome = outcome
        if outcome.workbook is not None:
            self.open_workbook(outcome.workbook)
        if outcome.output is not None:
            self.last_output = outcome.output
        if outcome.headings:
            self.fill_table(outcome.headings, outcome.rows)
        self.status_var.set(outcome.message)
        self.status_label.configure(foreground="" if outcome.ok else "#C00000")
        if outcome.skipped:
            self.check_result_button.pack(side="right", before=self.status_label)
        else:
            self.check_result_button.pack_forget()
        if not outcome.ok and not outcome.headings:
            from tkinter import messagebox

            messagebox.showerror(TITLE, outcome.message, parent=self.root)

    def fill_table(self, headings: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.tree.delete(*self.tree.get_children())
        ids = [f"c{i}" for i in range(len(headings))]
        self.tree.configure(columns=ids)
        widths = {"级别": 50, "预警类型": 150, "工作表": 100, "行": 45, "列": 130, "记录": 110}
        longest = max((len(str(row[-1])) for row in rows), default=0)
        for column_id, heading in zip(ids, headings, strict=True):
            last = heading == headings[-1]
            self.tree.heading(column_id, text=heading, anchor="w")
            self.tree.column(
                column_id,
                # the last column (说明) as wide as its longest text: scroll sideways to read it
                width=max(560, longest * 14) if last else widths.get(heading, 100),
                stretch=False,
                anchor="center" if heading in ("级别", "行") else "w",
            )
        for row in rows:
            self.tree.insert("", "end", values=list(row), tags=(row[0],))
        children = self.tree.get_children()
        if children:
            self.tree.selection_set(children[0])
        self.detail_var.set("")

    def _show_detail(self, _event: object = None) -> None:
        selected = self.tree.selection()
        if selected:
            values = self.tree.item(selected[0], "values")
            self.detail_var.set(str(values[-1]) if values else "")

    def table_rows(self) -> list[tuple[str, ...]]:
        """The rows shown in the table, as text (what a test reads back)."""
        return [
            tuple(str(v) for v in self.tree.item(item, "values"))
            for item in self.tree.get_children()
        ]

    def table_headings(self) -> tuple[str, ...]:
        return tuple(self.tree.heading(c, "text") for c in self.tree["columns"])


def use_cjk_font(root: Any) -> str | None:
    """Make Tk's named fonts a family that has Chinese glyphs; returns the family chosen."""
    from tkinter import font as tkfont

    available = set(tkfont.families(root))
    family = next((name for name in CJK_FONTS if name in available), None)
    if family is None:
        return None
    for name in ("TkDefaultFont", "TkTextFont", "TkHeadingFont", "TkMenuFont", "TkCaptionFont"):
        try:
            tkfont.nametofont(name, root).configure(family=family, size=10)
        except Exception:  # a named font this Tk lacks
            continue
    return family


def _dpi_aware() -> None:
    if sys.platform == "win32":
        try:
            import ctypes

            ctypes.windll.shcore.SetProcessDpiAwareness(1)  # type: ignore[attr-defined]
        except Exception:  # older Windows: blurry but working
            pass


def main() -> int:
    _dpi_aware()
    try:
        app = App()
    except Exception as exc:  # no display (e.g. a server): say so in one line
        sys.stderr.write(
            f"错误：无法打开窗口（{exc}）。请在桌面环境中运行，或使用命令行：lyue-xl --help\n"
        )
        return 2
    app.root.mainloop()
    return 0
