"""`lyue-xl check`: every data problem of the record workbook, in one pass (DESIGN §2, §5).

Problems are values (STYLE §3): a :class:`Report` of :class:`Problem` rows, each naming the sheet,
the Excel row, the column (label and letter) and what the user typed, with a Chinese message that
says what is wrong and what to do (STYLE §4). Only "cannot even start" problems (no file, not a
workbook, a missing core sheet or required column) are :class:`~lyue_xl.errors.LyueError`,
raised by the reader.

Each check is a small function declared with ``@check(codes, levels, what)`` (the codes and
levels it may report, and what it checks, in Chinese); :data:`CHECKS` lists them in the order they
run and :data:`CODES` says what every code means. A check reporting a code or level it did not
declare is a bug (ValueError).

Order: sheet (schema order), then row (sheet-level problems first), then column.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from lyue_xl import schema
from lyue_xl.evidence import all_links
from lyue_xl.schema import Column, fold
from lyue_xl.workbook.reader import CellIssue, Records, Table, column_letter, read_records

ERROR = "错误"
WARNING = "警告"
DATE_EXAMPLE = "2025-07-20"
PLAUSIBLE_YEARS = (1990, 2099)  # the template's date validation; outside is a typo as a rule

_ORDER = {sheet.name: index for index, sheet in enumerate(schema.SHEETS)}
_TARGET_EXAMPLES = {"分数": "90", "次数": "0", "个数": "0", "金额（元）": "50000"}


@dataclass(frozen=True)
class Problem:
    code: str  # stable slug: required-missing, date-invalid, duplicate-id, ref-unknown, ...
    level: str  # 错误 / 警告
    sheet: str
    row: int | None  # Excel row the user sees; None for sheet- or column-level problems
    column: str  # "签订日期(F)"; the bare label when the column is missing; "" for a sheet
    value: object  # what the user typed, JSON-serialisable (dates as ISO text)
    message: str  # Chinese: where, what is wrong (what was typed), what to do

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No 错误 (警告 allowed): `check` exits 0."""
        return not any(p.level == ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, "problems": [p.as_json() for p in self.problems]}


def check_file(path: Path) -> Report:
    """Read ``path`` (LyueError if it cannot even start) and check it."""
    return check_records(read_records(Path(path), need=schema.CORE_SHEET_KEYS))


def check_records(records: Records) -> Report:
    checker = _Checker(records)
    checker.run()
    return Report(checker.sorted())


# --- values as the user sees them --------------------------------------------------------------


def json_value(value: object) -> object:
    """A cell value as JSON: None for blank/NaN, ISO text for dates, plain Python numbers."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) or hasattr(value, "item"):
        number = value.item() if hasattr(value, "item") else value
        if isinstance(number, bool):
            return number
        if isinstance(number, float):
            if math.isnan(number) or math.isinf(number):
                return None
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        if isinstance(number, int):
            return number
        return json_value(number)
    return str(value)


def shown(value: object) -> str:
    """How a value appears in a message: 2025-07-20, 120000, 1234.5, 是."""
    value = json_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = f"{value:.6f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _date(value: object) -> str:
    return shown(value)


def message(sheet: str, row: int | None, column: str, what: str, value: object, todo: str) -> str:
    """「sheet」第N行「label(letter)」：what（填写的是“value”）。todo"""
    where = f"「{sheet}」"
    if row is not None:
        where += f"第{row}行"
    if column:
        where += f"「{column}」"
    typed = shown(value)
    typed_part = f"（填写的是“{typed}”）" if typed else ""
    return f"{where}：{what}{typed_part}。{todo}"


# --- what to do, per column type ---------------------------------------------------------------


def _choices_text(col: Column) -> str:
    return "、".join(col.choices)


def _todo_fill(col: Column) -> str:
    if col.type == "date":
        return f"请填写{col.label}，如 {DATE_EXAMPLE}。"
    if col.type == "choice":
        if len(col.choices) <= 7:
            return f"请从下拉列表中选择（{_choices_text(col)}）。"
        return "请从下拉列表中选择。"
    if col.type == "yesno":
        return "请填写“是”或“否”。"
    if col.type == "integer" and col.range_text:
        return f"请填写{col.label}（{col.range_text} 的整数）。"
    if col.type == "target":
        return "请填写目标值；比率可写 98% 或 0.98，次数、金额照填。"
    if col.type == "ref" and col.ref:
        return f"请填写「{schema.BY_KEY[col.ref].name}」中已登记的{col.label}。"
    return f"请填写{col.label}。"


_TEXT_DATE_TODO = (
    "程序能识别，但「实时指标」等 Excel 原生公式不会把文本当作日期统计。"
    f"请重新输入为日期（如 {DATE_EXAMPLE}），或选中该列 → 数据 → 分列 → 完成，把文本批量转换为日期；也可运行“lyue-xl fix-types”一次性转换（先自动备份）。"
)
_TEXT_NUMBER_TODO = (
    "程序能识别，但「实时指标」等 Excel 原生公式不会把文本当作数字统计。"
    "请改为纯数字重新输入（去掉“元”和逗号，“12万”写成 120000），"
    "或选中该列 → 数据 → 分列 → 完成，把文本批量转换为数字；"
    "也可运行“lyue-xl fix-types”一次性转换（先自动备份）。"
)


def _todo_for_issue(issue: CellIssue, col: Column | None, item: schema.Item | None) -> str:
    kind = col.type if col is not None else item.type if item is not None else "text"
    if issue.code == "text-date":
        return _TEXT_DATE_TODO
    if issue.code == "text-number":
        return _TEXT_NUMBER_TODO
    if issue.code == "choice-synonym":
        return (
            "程序能识别，但「实时指标」等 Excel 原生公式只认下拉列表中的写法。"
            "请从下拉列表中选择，或运行“lyue-xl fix-types”统一改写。"
        )
    if issue.code == "yesno-variant":
        return "请改为“是”或“否”（留空视为“否”），或运行“lyue-xl fix-types”统一改写。"
    if issue.code == "date-invalid":
        todo = f"请按 {DATE_EXAMPLE} 的格式填写真实存在的日期。"
        if col is not None and col.key == "deadline":
            todo += "长期有效的可填“长期”或留空。"
        return todo
    if issue.code == "choice-invalid":
        if kind == "yesno":
            return "请填写“是”或“否”（留空视为“否”）。"
        if col is not None and col.choices:
            return f"请从下拉列表中选择：{_choices_text(col)}。"
        return "请从下拉列表中选择。"
    if issue.code == "number-invalid":
        if kind == "target":
            unit = next((u for n, u in schema.NON_RATE_INDICATORS.items() if n in issue.reason), "")
            if unit:
                example = _TARGET_EXAMPLES.get(unit, "0")
                return f"请直接填写{unit}，不带 %（如 {example}）；只有比率类指标的目标值可以写成 98%。"
            return "请填写数字；比率可写 98% 或 0.98。"
        if kind == "amount":
            return "请填写数字（元），如 120000。"
        if kind == "score":
            return "请填写 0–100 的分数。"
        if kind == "integer":
            if col is not None and col.range_text:
                return f"请填写 {col.range_text} 的整数。"
            return "请填写整数。"
        return "请填写数字。"
    return "请核对并改正。"


# --- the checker -------------------------------------------------------------------------------


class _Checker:
    """Runs the declared checks over one workbook's records and collects their problems."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.found: list[tuple[tuple[int, int, int, int], Problem]] = []
        # cells the reader could not take (错误): (sheet name, row, label)
        self.bad_cells: set[tuple[str, int, str]] = {
            (i.sheet, i.row, i.column) for i in records.issues if i.skipped
        }
        self.current: Check | None = None  # the check running now (what it may report)

    def run(self) -> None:
        for declared in CHECKS:
            self.current = declared
            declared.run(self)
        self.current = None

    # -- collecting --

    def add(
        self,
        code: str,
        level: str,
        sheet: str,
        row: int | None,
        column: str,
        col_index: int,
        value: object,
        what: str,
        todo: str,
    ) -> None:
        declared = self.current
        if declared is not None and (code not in declared.codes or level not in declared.levels):
            raise ValueError(
                f"check {declared.name} reported {code}/{level}, "
                f"but declares {declared.codes}/{declared.levels}"
            )
        problem = Problem(
            code,
            level,
            sheet,
            row,
            column,
            json_value(value),
            message(sheet, row, column, what, value, todo),
        )
        key = (_ORDER.get(sheet, len(_ORDER)), row or 0, col_index, len(self.found))
        self.found.append((key, problem))

    def sorted(self) -> list[Problem]:
        return [p for _, p in sorted(self.found, key=lambda kp: kp[0])]

    def bad_rows(self, table: Table, key: str) -> set[int]:
        """Rows whose ``key`` cell the reader rejected (already reported as 错误)."""
        label = table.sheet.column(key).label
        name = table.sheet.name
        return {row for (sheet, row, col) in self.bad_cells if sheet == name and col == label}

    def clean(self, table: Table, keys: Iterable[str]) -> pd.Series:
        """Rows where none of ``keys`` was rejected by the reader (avoids double reports)."""
        frame = table.frame
        rejected: set[int] = set()
        for key in keys:
            rejected |= self.bad_rows(table, key)
        if not rejected:
            return pd.Series(True, index=frame.index)
        return ~frame["row"].isin(rejected)

    def emit(
        self,
        table: Table,
        mask: pd.Series,
        key: str,
        code: str,
        level: str,
        what: str | Callable[[pd.Series], str],
        todo: str | Callable[[pd.Series], str],
        value: Callable[[pd.Series], object] | None = None,
    ) -> None:
        """One problem per row of ``mask`` about column ``key`` (only hits are looped over)."""
        if not mask.any():
            return
        sheet = table.sheet
        column = table.label(key)
        col_index = table.indexes.get(key, -1)
        for _, rec in table.frame.loc[mask].iterrows():
            self.add(
                code,
                level,
                sheet.name,
                int(rec["row"]),
                column,
                col_index,
                value(rec) if value is not None else rec[key],
                what(rec) if callable(what) else what,
                todo(rec) if callable(todo) else todo,
            )

    # -- helpers the checks share --

    def header_labels(self, table: Table) -> None:
        """Say which header was taken for which column (synonyms, units), and which header
        cells the program does not read (duplicates, unknown labels) — once per column."""
        sheet = table.sheet
        header = table.header
        row = table.header_row
        for key, found in header.columns.items():
            if found.exact:
                continue
            col = sheet.column(key)
            if fold(found.text) == fold(col.label):
                continue
            unit = f"，数值按 ×{found.factor:g} 换算为元" if found.factor != 1.0 else ""
            self.add(
                "column-synonym",
                WARNING,
                sheet.name,
                None,
                f"{col.label}({column_letter(found.index)})",
                found.index,
                found.text,
                f"第{row}行表头“{found.text}”按“{col.label}”列读取{unit}",
                f"如果理解有误，请把该列表头改为准确的列名；与模板一致的写法是“{col.label}”。",
            )
        for index, text, key in header.duplicates:
            col = sheet.column(key)
            taken = header.columns[key]
            self.add(
                "column-duplicate",
                WARNING,
                sheet.name,
                None,
                f"{text}({column_letter(index)})",
                index,
                text,
                f"第{row}行表头“{text}”与第 {column_letter(taken.index)} 列"
                f"“{taken.text}”都对应“{col.label}”，程序只读取 {column_letter(taken.index)} 列",
                "请删除或改名重复的列，避免数据被忽略。",
            )
        for index, text in header.unplaced:
            if index > table.last_header_index and table.last_header_index >= 0:
                continue
            self.add(
                "column-unknown",
                WARNING,
                sheet.name,
                None,
                f"{text}({column_letter(index)})",
                index,
                text,
                f"第{row}行表头“{text}”不是本表的列，程序不读取该列",
                "这一列仅供您自己使用时无需处理；如果它就是本表的某一列，请改为模板中的列名"
                f"（{'、'.join(c.label for c in sheet.user_columns[:6])} 等）。",
            )

    def date_order(
        self,
        table: Table,
        earlier: str,
        later: str,
        level: str,
        code: str = "contradiction",
        todo: str | None = None,
    ) -> None:
        """``later`` must not be before ``earlier`` (same row)."""
        if not table.present or later not in table.indexes or earlier not in table.indexes:
            return
        frame = table.frame
        first_label = table.sheet.column(earlier).label
        later_label = table.sheet.column(later).label
        mask = frame[later] < frame[earlier]
        self.emit(
            table,
            mask,
            later,
            code,
            level,
            lambda r: f"{later_label}早于{first_label} {_date(r[earlier])}",
            todo or f"请核对{later_label}和{first_label}。",
        )

    def composite_duplicates(self, t: Table, keys: list[str], column: str, what: str) -> None:
        frame = t.frame
        if any(k not in frame for k in keys):
            return
        filled = pd.Series(True, index=frame.index)
        for k in keys:
            filled &= frame[k] != ""
        dup = frame.duplicated(subset=keys, keep="first") & filled
        if not dup.any():
            return
        first = frame.loc[filled].groupby(keys, sort=False)["row"].first()
        self.emit(
            t,
            dup,
            column,
            "duplicate-id",
            WARNING,
            lambda r: f"{what}，与第{int(first[tuple(r[k] for k in keys)])}行相同",
            "同一记录请只登记一行；确属不同的请在名称中区分。",
        )


# --- the declared checks ---------------------------------------------------------------------

# every problem code `check` reports, with what it means: the reader's codes (a cell it could not
# take or read in a second way) and the checks' own; DESIGN §5 names the suggested ones
CODES: dict[str, str] = {
    "required-missing": "必填项未填写",
    "date-invalid": "不是有效的日期，或超出可处理的范围",
    "number-invalid": "不是有效的数字，超出允许的范围，或设置值过小",
    "choice-invalid": "不在下拉列表中（或不是“是”“否”）",
    "choice-synonym": "不是下拉列表中的写法，已按对应的选项读取",
    "yesno-variant": "不是“是”或“否”，已按对应的写法读取",
    "text-date": "日期以文本形式填写，Excel 公式不会统计",
    "text-number": "数字以文本形式填写，Excel 公式不会统计",
    "duplicate-id": "编号、同一合同的节点名称或同一期次重复",
    "ref-unknown": "引用的编号在被引用的表中找不到",
    "number-range": "金额或目标值为负数，或比率目标超过 100%",
    "date-range": "日期不在 1990–2099 年之间，可能是录入错误",
    "contradiction": "同一行或设置中的内容互相矛盾（日期先后、填了一项却缺另一项）",
    "status-mismatch": "状态与日期不符",
    "evidence-missing": "已兑现的承诺没有证据，或链接的证据文件不存在",
    "sheet-missing": "工作簿中没有这张工作表",
    "sheet-unreadable": "工作表无法按记录表读取",
    "column-missing": "表头中没有某一列，该列按空白处理",
    "column-synonym": "表头按另一种写法（或带单位）对应到某一列",
    "column-duplicate": "两个表头对应同一列，程序只读取其中一列",
    "column-unknown": "表头不是本表的列，程序不读取该列",
}
# the codes the reader gives a cell (workbook/reader.py): passed on by the first check
READER_CODES = (
    "date-invalid",
    "number-invalid",
    "choice-invalid",
    "choice-synonym",
    "yesno-variant",
    "text-date",
    "text-number",
)


@dataclass(frozen=True)
class Check:
    """One declared check: the codes and levels it may report, and what it looks at (Chinese)."""

    name: str
    codes: tuple[str, ...]
    levels: tuple[str, ...]
    what: str
    run: Callable[[_Checker], None]


# in the order they run: problems about the same cell keep this order
CHECKS: list[Check] = []


def check(
    codes: str | tuple[str, ...], levels: str | tuple[str, ...], what: str
) -> Callable[[Callable[[_Checker], None]], Callable[[_Checker], None]]:
    """Declare a check: the code(s) and level(s) it reports and, in Chinese, what it checks."""
    code_tuple = (codes,) if isinstance(codes, str) else codes
    level_tuple = (levels,) if isinstance(levels, str) else levels

    def register(fn: Callable[[_Checker], None]) -> Callable[[_Checker], None]:
        name = fn.__name__.lstrip("_")
        if any(c.name == name for c in CHECKS):
            raise ValueError(f"check {name} declared twice")
        unknown = [c for c in code_tuple if c not in CODES]
        if unknown or not set(level_tuple) <= {ERROR, WARNING}:
            raise ValueError(f"check {name}: unknown code or level {unknown or level_tuple}")
        CHECKS.append(Check(name, code_tuple, level_tuple, what, fn))
        return fn

    return register


def _present(ck: _Checker) -> list[Table]:
    return [table for table in ck.records.tables.values() if table.present]


@check(
    READER_CODES,
    (ERROR, WARNING),
    "读取时发现的单元格问题：无法识别的日期、数字和选项，文本形式的日期和数字，近义写法",
)
def _reader_issues(ck: _Checker) -> None:
    for issue in ck.records.issues:
        # a warning about a cell that is also an error (e.g. text date out of range) is noise
        if not issue.skipped and (issue.sheet, issue.row, issue.column) in ck.bad_cells:
            continue
        sheet = schema.BY_NAME.get(issue.sheet)
        col = item = None
        if sheet is not None:
            col = next((c for c in sheet.columns if c.label == issue.column), None)
            item = next((i for i in sheet.items if i.label == issue.column), None)
        ck.add(
            issue.code,
            issue.level,
            issue.sheet,
            issue.row,
            f"{issue.column}({issue.letter})",
            _letter_index(issue.letter),
            issue.value,
            issue.reason,
            _todo_for_issue(issue, col, item),
        )


@check(
    ("sheet-unreadable", "sheet-missing", "column-synonym", "column-duplicate", "column-unknown"),
    (ERROR, WARNING),
    "每张记录表是否存在、能否读取；表头的近义写法、重复列和不认识的列",
)
def _sheets_and_headers(ck: _Checker) -> None:
    records = ck.records
    core = set(schema.CORE_SHEET_KEYS)
    for sheet in schema.SHEETS:
        if sheet.is_keyvalue:
            continue
        table = records.tables.get(sheet.key)
        if sheet.key in records.unreadable:
            reason = records.unreadable[sheet.key].rstrip("。")
            ck.add(
                "sheet-unreadable",
                WARNING,
                sheet.name,
                None,
                "",
                -1,
                None,
                "无法按记录表读取",
                f"{reason}。改正前程序会忽略这张表的内容。",
            )
            continue
        if table is None or not table.present:
            level = ERROR if sheet.key in core else WARNING
            ck.add(
                "sheet-missing",
                level,
                sheet.name,
                None,
                "",
                -1,
                None,
                f"工作簿中没有这张工作表（条款 {sheet.clause}）",
                "如需记录，请用程序新建一份空白台账，把其中的同名工作表复制到本工作簿。",
            )
            continue
        ck.header_labels(table)


@check("column-missing", WARNING, "记录表表头中缺少的列（程序自己的可选列和证据文件列除外）")
def _missing_columns(ck: _Checker) -> None:
    records = ck.records
    core = set(schema.CORE_SHEET_KEYS)
    for sheet in schema.SHEETS:
        table = records.tables.get(sheet.key)
        if sheet.is_keyvalue or sheet.key in records.unreadable:
            continue
        if table is None or not table.present:
            continue
        for col in table.missing:
            if col.engine or (sheet.key in core and not col.acceptance):
                continue  # our own optional additions to §2's sheets are not nagged about
            if col.key == schema.EVIDENCE_FILE.key:
                continue  # optional on every sheet: only a link that is typed is checked
            ck.add(
                "column-missing",
                WARNING,
                sheet.name,
                None,
                col.label,
                len(sheet.columns) + sheet.columns.index(col),
                None,
                f"表头中没有“{col.label}”列，该列按空白处理",
                f"如需记录，请在第{table.header_row}行表头中加上“{col.label}”。",
            )


@check("contradiction", ERROR, "「设置」中统计开始日期不晚于统计结束日期")
def _settings_period(ck: _Checker) -> None:
    start, end = ck.records.settings.get("period_from"), ck.records.settings.get("period_to")
    if isinstance(start, date) and isinstance(end, date) and start > end:
        row, column = _setting_where(ck, "period_from")
        ck.add(
            "contradiction",
            ERROR,
            schema.SETTINGS.name,
            row,
            column,
            1,
            start,
            f"统计开始日期晚于统计结束日期 {end.isoformat()}",
            "请改正统计期间；开始日期应不晚于结束日期（留空则按基准日期所在年的 1 月 1 日）。",
        )


@check("number-invalid", ERROR, "「设置」中临近预警天数不为负数，信用核查有效期至少 1 个月")
def _settings_numbers(ck: _Checker) -> None:
    for key, minimum, what in (
        ("soon_days", 0, "临近预警天数不能为负数"),
        ("credit_valid_months", 1, "信用核查有效期应至少 1 个月"),
    ):
        number = ck.records.settings.get(key)
        if isinstance(number, int | float) and number < minimum:
            row, column = _setting_where(ck, key)
            ck.add(
                "number-invalid",
                ERROR,
                schema.SETTINGS.name,
                row,
                column,
                1,
                number,
                what,
                f"请填写不小于 {minimum} 的整数，或留空使用默认值。",
            )


def _setting_where(ck: _Checker, key: str) -> tuple[int | None, str]:
    """The 设置 item's row and its column as shown: 统计开始日期(B)."""
    records = ck.records
    letter = records.item_letters.get("settings", "B")
    item = next(i for i in schema.SETTINGS.items if i.key == key)
    return records.item_rows.get(("settings", key)), f"{item.label}({letter})"


# -- every record sheet --


@check("required-missing", ERROR, "每张记录表的必填列已填写")
def _required(ck: _Checker) -> None:
    for table in _present(ck):
        frame = table.frame
        for col in table.sheet.columns:
            if not col.required or col.key not in table.indexes:
                continue
            blank = _blank(frame[col.key], col)
            mask = blank & ck.clean(table, [col.key])
            ck.emit(
                table, mask, col.key, "required-missing", ERROR, "必填项未填写", _todo_fill(col)
            )


@check("duplicate-id", ERROR, "编号列（合同编号、供应商编号等）不重复")
def _unique(ck: _Checker) -> None:
    for table in _present(ck):
        frame = table.frame
        for col in table.sheet.columns:
            if not col.unique or col.key not in table.indexes:
                continue
            ids = frame[col.key]
            filled = ids != ""
            dup = ids.duplicated(keep="first") & filled
            if not dup.any():
                continue
            first = frame.loc[filled].groupby(col.key, sort=False)["row"].first()
            first_row = ids[dup].map(first).to_dict()
            label = col.label

            def what(r: pd.Series, fr: dict = first_row, label: str = label) -> str:
                return f"与第{int(fr[r.name])}行的{label}重复"

            ck.emit(
                table,
                dup,
                col.key,
                "duplicate-id",
                ERROR,
                what,
                f"{label}应唯一，请修改其中一行；同一记录不要重复登记。",
            )


@check("ref-unknown", ERROR, "引用的编号（合同编号、供应商编号）在被引用的表中已登记")
def _references(ck: _Checker) -> None:
    for table in _present(ck):
        frame = table.frame
        for col in table.sheet.columns:
            if col.type != "ref" or not col.ref or col.key not in table.indexes:
                continue
            target = ck.records.tables[col.ref]
            if not target.present or target.sheet.id_column is None:
                continue
            known = target.frame[target.sheet.id_column]
            known = known[known != ""]
            values = frame[col.key]
            mask = (values != "") & ~values.isin(set(known))
            if not mask.any():
                continue
            folded = {fold(k).upper(): k for k in known.drop_duplicates()}
            where = target.sheet.name

            def todo(
                r: pd.Series,
                folded: dict[str, str] = folded,
                where: str = where,
                col: Column = col,
            ) -> str:
                near = folded.get(fold(r[col.key]).upper())
                if near:
                    return f"「{where}」中有“{near}”，请统一写法。"
                return f"请核对编号，或先在「{where}」中登记该{col.label}。"

            ck.emit(
                table, mask, col.key, "ref-unknown", ERROR, f"在「{where}」中找不到这个编号", todo
            )


@check("number-range", WARNING, "金额列不为负数")
def _negative_amounts(ck: _Checker) -> None:
    for table in _present(ck):
        for col in table.sheet.user_columns:
            if col.key not in table.indexes or col.type != "amount":
                continue
            ck.emit(
                table,
                table.frame[col.key] < 0,
                col.key,
                "number-range",
                WARNING,
                "金额为负数",
                "金额应不小于 0（元）；退款、冲减请在备注中说明或另行登记。",
            )


@check("date-range", WARNING, "日期在 1990–2099 年之间")
def _plausible_dates(ck: _Checker) -> None:
    lo, hi = PLAUSIBLE_YEARS
    for table in _present(ck):
        for col in table.sheet.user_columns:
            if col.key not in table.indexes or col.type != "date":
                continue
            years = table.frame[col.key].dt.year
            ck.emit(
                table,
                (years < lo) | (years > hi),
                col.key,
                "date-range",
                WARNING,
                f"日期不在 {lo}–{hi} 年之间，可能是录入错误",
                f"请核对年份；日期应写成 {DATE_EXAMPLE} 的格式（单独的数字会被当作日期序号）。",
            )


# -- per sheet --


@check("number-range", WARNING, "「履约目标」的目标值：比率不超过 100%，不为负数")
def _objective_targets(ck: _Checker) -> None:
    t = ck.records.tables["objectives"]
    if not t.present:
        return
    o = t.frame
    rate = ~o["indicator"].isin(list(schema.NON_RATE_INDICATORS)) & (o["indicator"] != "")
    ck.emit(
        t,
        rate & (o["target"] > 100),
        "target",
        "number-range",
        WARNING,
        "比率类指标的目标值超过 100%",
        "比率目标请填 0.98、98 或 98%（不超过 100%）。",
    )
    ck.emit(
        t,
        o["target"] < 0,
        "target",
        "number-range",
        WARNING,
        "目标值为负数",
        "请核对目标值。",
    )


@check("evidence-missing", WARNING, "「承诺」中已兑现的承诺写明了兑现证据")
def _commitment_evidence(ck: _Checker) -> None:
    t = ck.records.tables["commitments"]
    if not t.present or "evidence" not in t.indexes:
        return
    c = t.frame
    ck.emit(
        t,
        (c["status"] == "已兑现") & (c["evidence"] == ""),
        "evidence",
        "evidence-missing",
        WARNING,
        "已兑现的承诺没有兑现证据",
        "请写明证据（如验收单、付款凭证、检测报告的编号或存放位置），供审核核查（7.2）。",
    )


@check(
    "contradiction", (ERROR, WARNING), "「合同台账」中实际交付（错误）和计划交付（警告）不早于签订"
)
def _contract_delivery_dates(ck: _Checker) -> None:
    t = ck.records.tables["contracts"]
    if not t.present:
        return
    ck.date_order(
        t,
        "signed_on",
        "actual_delivery",
        ERROR,
        todo="合同应先签订后交付；请核对实际交付日期和签订日期。",
    )
    ck.date_order(
        t,
        "signed_on",
        "planned_delivery",
        WARNING,
        todo="请核对计划交付日期和签订日期。",
    )


@check("contradiction", WARNING, "「合同台账」中评审日期不晚于签订日期（9.2）")
def _contract_review_date(ck: _Checker) -> None:
    t = ck.records.tables["contracts"]
    if not t.present or "reviewed_on" not in t.indexes:
        return
    c = t.frame
    ck.emit(
        t,
        c["reviewed_on"] > c["signed_on"],
        "reviewed_on",
        "contradiction",
        WARNING,
        lambda r: f"评审日期晚于签订日期 {_date(r['signed_on'])}",
        "合同应在签订前完成评审（9.2）；请核对日期，补评审的请在评审结论中如实记录。",
    )


@check(
    ("contradiction", "status-mismatch"),
    (ERROR, WARNING),
    "「合同台账」的履行状态、验收结果与实际交付日期相符",
)
def _contract_state(ck: _Checker) -> None:
    t = ck.records.tables["contracts"]
    if not t.present:
        return
    c = t.frame
    not_delivered = c["actual_delivery"].isna() & ck.clean(t, ["actual_delivery"])
    if "state" in t.indexes:
        ck.emit(
            t,
            (c["state"] == "已履行") & not_delivered,
            "state",
            "contradiction",
            ERROR,
            "已履行的合同没有实际交付日期",
            "请补填实际交付日期；尚未交付的请把履行状态改为“履行中”。",
        )
        ck.emit(
            t,
            c["state"].str.startswith("未履行") & c["actual_delivery"].notna(),
            "state",
            "status-mismatch",
            WARNING,
            lambda r: f"未履行的合同却填写了实际交付日期 {_date(r['actual_delivery'])}",
            "请核对履行状态和实际交付日期。",
        )
    if "acceptance" in t.indexes:
        ck.emit(
            t,
            c["acceptance"].isin(["合格", "不合格"]) & not_delivered,
            "acceptance",
            "contradiction",
            WARNING,
            "已有验收结果，但实际交付日期未填写",
            "请补填实际交付日期，否则该合同不计入质量达标率。",
        )


@check("contradiction", WARNING, "「合同台账」中支出性合同填写了供应商编号（9.5）")
def _contract_supplier(ck: _Checker) -> None:
    t = ck.records.tables["contracts"]
    if not t.present or "supplier_no" not in t.indexes:
        return
    c = t.frame
    ck.emit(
        t,
        (c["nature"] == "支出性") & (c["supplier_no"] == ""),
        "supplier_no",
        "contradiction",
        WARNING,
        "支出性合同未填写供应商编号",
        "请填写「供应商」表中对应的编号，否则该合同不计入供应商评价（9.5）。",
    )


@check(
    ("contradiction", "duplicate-id"),
    WARNING,
    "「履约节点」完成不早于合同签订；同一合同的节点名称不重复",
)
def _milestones(ck: _Checker) -> None:
    t, contracts = ck.records.tables["milestones"], ck.records.tables["contracts"]
    if not t.present:
        return
    m = t.frame
    signed = _by_contract(contracts, "signed_on")
    m_signed = _lookup(signed, m["contract_no"])
    if "actual" in t.indexes:
        ck.emit(
            t,
            m["actual"] < m_signed,
            "actual",
            "contradiction",
            WARNING,
            lambda r: (
                f"实际完成日期早于合同“{r['contract_no']}”的签订日期 "
                f"{_date(signed.get(r['contract_no']))}"
            ),
            "请核对实际完成日期，或合同台账中的签订日期。",
        )
    ck.composite_duplicates(t, ["contract_no", "name"], "name", "同一合同的节点名称重复")


@check("contradiction", WARNING, "「收付款」中实收付金额与应收付金额、实收付日期相符")
def _payment_amounts(ck: _Checker) -> None:
    t = ck.records.tables["payments"]
    if not t.present or "paid_amount" not in t.indexes:
        return
    p = t.frame
    ck.emit(
        t,
        (p["paid_amount"] - p["due_amount"]) > 1e-6,
        "paid_amount",
        "contradiction",
        WARNING,  # usable as it is: indicators count min(received, due) (DESIGN §3)
        lambda r: f"实收付金额大于应收付金额 {shown(r['due_amount'])}",
        "一行是一期款项：实收付金额填本期累计收/付的金额，不应超过应收付金额；"
        "多收/多付的部分请另起一行登记。",
    )
    if "paid_on" in t.indexes:
        clean = ck.clean(t, ["paid_on", "paid_amount"])
        ck.emit(
            t,
            (p["paid_amount"] > 0) & p["paid_on"].isna() & clean,
            "paid_on",
            "contradiction",
            WARNING,
            lambda r: f"已填写实收付金额 {shown(r['paid_amount'])}，但实收付日期未填写",
            "请补填本期款项收/付齐的日期；未填日期时按未收/未付统计（回款率、逾期预警）。",
        )
        ck.emit(
            t,
            p["paid_on"].notna() & p["paid_amount"].isna() & clean,
            "paid_amount",
            "contradiction",
            WARNING,
            lambda r: f"已填写实收付日期 {_date(r['paid_on'])}，但实收付金额未填写",
            "请补填本期累计实收/实付金额；未填金额时按未收/未付统计（回款率、逾期预警）。",
        )


@check("contradiction", WARNING, "「收付款」的收付类型与合同性质相符（收入性收款、支出性付款）")
def _payment_kind(ck: _Checker) -> None:
    t, contracts = ck.records.tables["payments"], ck.records.tables["contracts"]
    if not t.present:
        return
    p = t.frame
    nature = _by_contract(contracts, "nature")
    p_nature = _lookup(nature, p["contract_no"])
    wrong = ((p["kind"] == "收款") & (p_nature == "支出性")) | (
        (p["kind"] == "付款") & (p_nature == "收入性")
    )
    ck.emit(
        t,
        wrong,
        "kind",
        "contradiction",
        WARNING,
        lambda r: f"合同“{r['contract_no']}”是{nature.get(r['contract_no'])}合同，收付类型不符",
        "收入性合同登记收款、支出性合同登记付款；请核对收付类型或合同台账中的合同性质。",
    )


@check("duplicate-id", WARNING, "「收付款」中同一合同、同一收付类型的期次不重复")
def _payment_installments(ck: _Checker) -> None:
    t = ck.records.tables["payments"]
    if not t.present or "installment" not in t.indexes:
        return
    ck.composite_duplicates(
        t,
        ["contract_no", "kind", "installment"],
        "installment",
        "同一合同、同一收付类型的期次重复",
    )


@check("contradiction", WARNING, "「供应商」的信用核查日期和核查结论同时填写")
def _supplier_credit(ck: _Checker) -> None:
    t = ck.records.tables["suppliers"]
    if not t.present or not {"credit_checked_on", "credit_result"} <= set(t.indexes):
        return
    s = t.frame
    ck.emit(
        t,
        (s["credit_result"] != "")
        & s["credit_checked_on"].isna()
        & ck.clean(t, ["credit_checked_on"]),
        "credit_checked_on",
        "contradiction",
        WARNING,
        lambda r: f"已填写信用核查结论“{r['credit_result']}”，但信用核查日期未填写",
        "请补填核查日期；未填时按未核查预警（8.1.3.3）。",
    )
    ck.emit(
        t,
        s["credit_checked_on"].notna()
        & (s["credit_result"] == "")
        & ck.clean(t, ["credit_result"]),
        "credit_result",
        "contradiction",
        WARNING,
        lambda r: f"已于 {_date(r['credit_checked_on'])} 信用核查，但核查结论未填写",
        "请选择核查结论（良好、一般、异常）。",
    )


@check("status-mismatch", WARNING, "「问题与违约」的状态与关闭日期相符")
def _issue_status(ck: _Checker) -> None:
    t = ck.records.tables["issues"]
    if not t.present or "status" not in t.indexes or "closed_on" not in t.indexes:
        return
    i = t.frame
    clean = ck.clean(t, ["closed_on"])
    ck.emit(
        t,
        (i["status"] == "已关闭") & i["closed_on"].isna() & clean,
        "status",
        "status-mismatch",
        WARNING,
        "已关闭的问题没有关闭日期",
        "请补填关闭日期；程序按关闭日期判断是否关闭，未填时按未关闭统计。",
    )
    ck.emit(
        t,
        (i["status"] == "处理中") & i["closed_on"].notna(),
        "status",
        "status-mismatch",
        WARNING,
        lambda r: f"问题仍在处理中，却已填写关闭日期 {_date(r['closed_on'])}",
        "已关闭的请把状态改为“已关闭”；尚未关闭的请清空关闭日期（程序按关闭日期判断是否关闭）。",
    )


@check("contradiction", WARNING, "「问题与违约」的是否违约与违约方相符")
def _issue_breach(ck: _Checker) -> None:
    t = ck.records.tables["issues"]
    if not t.present or "breach" not in t.indexes or "breaching_party" not in t.indexes:
        return
    i = t.frame
    ck.emit(
        t,
        i["breach"] & (i["breaching_party"] == "") & ck.clean(t, ["breaching_party"]),
        "breaching_party",
        "contradiction",
        WARNING,
        "是否违约为“是”，但违约方未填写",
        "请选择违约方（本方、对方、不可抗力）；未填时不计入违约次数。",
    )
    ck.emit(
        t,
        ~i["breach"] & (i["breaching_party"] != "") & ck.clean(t, ["breach"]),
        "breach",
        "contradiction",
        WARNING,
        lambda r: f"填写了违约方“{r['breaching_party']}”，但是否违约不是“是”",
        "属于违约的请把是否违约改为“是”，否则请清空违约方；现按未违约统计。",
        value=lambda r: None,
    )


# (sheet key, earlier date, later date): the later one must not come first (警告)
_DATE_ORDERS = (
    ("issues", "found_on", "closed_on"),
    ("issues", "found_on", "planned"),
    ("documents", "issued_on", "next_review"),
    ("audits", "audited_on", "closed_on"),
    ("improvements", "raised_on", "completed_on"),
)


@check(
    "contradiction",
    WARNING,
    "关闭、计划完成、下次评审、整改完成等日期不早于发现、发布、审核、提出日期",
)
def _date_orders(ck: _Checker) -> None:
    for key, earlier, later in _DATE_ORDERS:
        ck.date_order(ck.records.tables[key], earlier, later, WARNING)


@check("evidence-missing", WARNING, "「证据文件」列链接的文件存在（相对路径从台账所在文件夹算起）")
def _evidence_files(ck: _Checker) -> None:
    """证据文件 that cannot be found (relative paths from the workbook's folder): 警告."""
    for link in all_links(ck.records):
        if link.exists or link.path is None:
            continue
        table = ck.records.tables[link.sheet_key]
        ck.add(
            "evidence-missing",
            WARNING,
            table.sheet.name,
            link.row,
            table.label(schema.EVIDENCE_FILE.key),
            table.indexes.get(schema.EVIDENCE_FILE.key, -1),
            link.text,
            f"链接的证据文件不存在（按此位置查找：{link.path}）",
            "请把扫描件或 PDF 放到该位置，或改正“证据文件”列中的路径（相对路径从台账所在文件夹算起）。",
        )


# --- small helpers -----------------------------------------------------------------------------


def _blank(values: pd.Series, col: Column) -> pd.Series:
    if col.type in ("text", "ref", "choice"):
        return values.astype(str).str.strip() == ""
    if col.type == "yesno":
        return pd.Series(False, index=values.index)
    return values.isna()


def _by_contract(contracts: Table, key: str) -> pd.Series:
    """contract_no -> ``key`` of its first row (duplicates are reported separately)."""
    c = contracts.frame
    c = c[c["contract_no"] != ""].drop_duplicates("contract_no")
    return pd.Series(c[key].to_numpy(), index=c["contract_no"].to_numpy())


def _lookup(mapping: pd.Series, keys: pd.Series) -> pd.Series:
    """``mapping[key]`` for each key (NaN/NaT when unknown), keeping the mapping's dtype."""
    return pd.Series(mapping.reindex(keys.to_numpy()).to_numpy(), index=keys.index)


def _letter_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1
