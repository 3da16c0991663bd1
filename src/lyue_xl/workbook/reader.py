"""Read the record workbook's values fast (python-calamine) and tolerantly (DESIGN §2).

The result is a :class:`Records`: one typed pandas frame per record sheet (columns named by the
schema's keys, plus ``row`` = the Excel row the user sees), the 基本信息/设置 items, and every
cell that could not be understood (``CellIssue``) for `check` to report and the other commands
to count.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import cast

import pandas as pd
from python_calamine import CalamineWorkbook

from lyue_xl import headers, parsing, schema
from lyue_xl.errors import LyueError
from lyue_xl.gcpause import paused_gc
from lyue_xl.headers import HeaderMatch
from lyue_xl.schema import Column, Sheet, fold
from lyue_xl.workbook.guard import check_workbook_file
from lyue_xl.workbook.integrity import check_package_xml
from lyue_xl.workbook.macrosheets import readable_copy

HEADER_SEARCH_ROWS = 30
NO_DEADLINE = frozenset({"长期", "长期有效", "无期限", "持续"})


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class CellIssue:
    """A cell the reader could not take as typed (or took with a caveat)."""

    code: str  # date-invalid, number-invalid, choice-invalid, text-date, text-number, ...
    level: str  # 错误 / 警告
    sheet: str
    row: int
    column: str  # label
    letter: str
    value: object
    reason: str

    @property
    def skipped(self) -> bool:
        """True when the engine treats the cell as empty."""
        return self.level == "错误"


@dataclass
class Table:
    """One record sheet as read: typed frame + where each column was found."""

    sheet: Sheet
    frame: pd.DataFrame
    header_row: int = 0  # 1-based; 0 when the sheet is absent
    letters: dict[str, str] = field(default_factory=dict)  # column key -> letter
    indexes: dict[str, int] = field(default_factory=dict)  # column key -> 0-based index
    missing: list[Column] = field(default_factory=list)  # optional columns not found
    present: bool = True
    last_header_index: int = -1
    # how each column was recognised (label, synonym, unit), duplicate and unknown header cells
    header: HeaderMatch = field(default_factory=HeaderMatch)

    def header_text(self, key: str) -> str:
        """The header of column ``key`` as typed in the sheet (the schema's label if absent)."""
        found = self.header.columns.get(key)
        return found.text if found is not None else self.sheet.column(key).label

    def label(self, key: str) -> str:
        col = self.sheet.column(key)
        letter = self.letters.get(key)
        return f"{col.label}({letter})" if letter else col.label


@dataclass
class Records:
    path: Path
    tables: dict[str, Table]
    info: dict[str, object]
    settings: dict[str, object]
    item_rows: dict[tuple[str, str], int]  # (sheet key, item key) -> Excel row
    issues: list[CellIssue]
    sheet_names: list[str]
    # sheets present but unreadable (no header, missing required column) that no command
    # needed: sheet key -> the reason, for `check` to report; their tables read as absent
    unreadable: dict[str, str] = field(default_factory=dict)
    # 项目/内容 sheets: sheet key -> letter of the 内容 column (B in the template)
    item_letters: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.tables[key].frame

    @property
    def skipped_cells(self) -> int:
        return sum(1 for issue in self.issues if issue.skipped)

    @property
    def org_name(self) -> str:
        return str(self.info.get("org_name") or "").strip()


# --- converting one column ---------------------------------------------------------------------

Converter = Callable[[object], object]


def _only(raw: Sequence[object], *kinds: type) -> bool:
    """True when every cell is of one of ``kinds`` or an empty string (the fast, common case)."""
    types = list(map(type, raw))
    return types.count(str) == list(raw).count("") and set(types) <= {str, *kinds}


def _convert_column(
    sheet: Sheet, col: Column, letter: str, rows: Sequence[int], raw: Sequence[object]
) -> tuple[list[object] | pd.Series, list[CellIssue]]:
    issues: list[CellIssue] = []

    def issue(code: str, level: str, row: int, value: object, reason: str) -> None:
        issues.append(CellIssue(code, level, sheet.name, row, col.label, letter, value, reason))

    values: list[object] = []
    kind = col.type
    # The fast, common cases first: every cell is text (or blank, read as ""), mapped in C.
    all_text = set(map(type, raw)) <= {str}
    if kind in ("text", "ref"):
        if all_text:
            return list(map(str.strip, cast("Sequence[str]", raw))), issues
        normalize = parsing.normalize_text
        return [v.strip() if type(v) is str else normalize(v) for v in raw], issues
    if kind == "choice":
        choices = frozenset(col.choices)
        if all_text:
            stripped: list[object] = list(map(str.strip, cast("Sequence[str]", raw)))
            if set(stripped) <= choices | {""}:
                return stripped, issues
        folded = {fold(c): c for c in col.choices}
        synonyms = {fold(k): c for k, c in schema.value_synonyms(sheet, col).items()}
        normalize = parsing.normalize_text
        for row, v in zip(rows, raw, strict=True):
            text = v.strip() if type(v) is str else normalize(v)
            if text and text not in choices:
                canonical = folded.get(fold(text))
                if canonical is None and fold(text) in synonyms:
                    canonical = synonyms[fold(text)]
                    issue(
                        "choice-synonym",
                        "警告",
                        row,
                        v,
                        f"不是下拉列表中的写法，已按“{canonical}”读取",
                    )
                if canonical is None:
                    issue("choice-invalid", "错误", row, v, "不在下拉列表中")
                    text = ""
                else:
                    text = canonical
            values.append(text)
        return values, issues
    if kind == "yesno":
        if all_text and set(raw) <= {"是", "否", ""}:
            return list(map("是".__eq__, raw)), issues
        for row, v in zip(rows, raw, strict=True):
            if v == "是" or v == "否" or v == "":
                values.append(v == "是")
                continue
            try:
                answer = parsing.parse_yes_no(v)
            except ValueError as exc:
                issue("choice-invalid", "错误", row, v, str(exc))
                values.append(False)
                continue
            if not (isinstance(v, str) and v.strip() in ("是", "否", "")):
                word = "是" if answer else "否"
                issue("yesno-variant", "警告", row, v, f"不是“是”或“否”，已按“{word}”读取")
            values.append(answer)
        return values, issues
    if kind == "date":
        if _only(raw, date, datetime):  # real dates and blanks: the whole column at once
            return _date_cells(raw, rows, issue), issues
        for row, v in zip(rows, raw, strict=True):
            if isinstance(v, datetime):
                values.append(v.date())
                continue
            if isinstance(v, date) or v == "" or v is None:
                values.append(v if v != "" else None)
                continue
            if isinstance(v, str) and fold(v) in NO_DEADLINE:
                values.append(None)  # 长期: no deadline (DESIGN §2)
                continue
            try:
                parsed = parsing.parse_date(v)
            except ValueError as exc:
                issue("date-invalid", "错误", row, v, str(exc))
                values.append(None)
                continue
            if isinstance(v, str) and parsed is not None:
                issue("text-date", "警告", row, v, "日期是以文本形式填写的")
            values.append(parsed)
        return _dates_in_range(values, rows, raw, issue), issues
    # numbers: amount, number, integer, score, target
    if kind in ("amount", "number") and _only(raw, float):
        return [None if v == "" or v != v else v for v in raw], issues  # NaN != NaN
    for row, v in zip(rows, raw, strict=True):
        if isinstance(v, float) and not math.isnan(v) and kind in ("amount", "number", "target"):
            values.append(v)
            continue
        if v == "" or v is None:
            values.append(None)
            continue
        try:
            if kind == "target":
                number, _ = parsing.parse_percent_or_number(v)
            elif kind == "integer":
                number = parsing.parse_integer(v)
            else:
                number = parsing.parse_amount(v)
        except ValueError as exc:
            issue("number-invalid", "错误", row, v, str(exc))
            values.append(None)
            continue
        if number is not None and (
            (col.minimum is not None and number < col.minimum)
            or (col.maximum is not None and number > col.maximum)
        ):
            issue(
                "number-invalid",
                "错误",
                row,
                v,
                f"超出 {col.range_text} 的范围",
            )
            values.append(None)
            continue
        if isinstance(v, str) and kind != "target":
            issue("text-number", "警告", row, v, "数字是以文本形式填写的")
        values.append(number)
    return values, issues


convert_column = _convert_column  # public for lyue_xl.importer: the same reading rules


# pandas holds dates as datetime64[ns] (years 1677–2262): a date outside this range (a typed
# 9999-12-31, a serial of 2958465) would crash the frame, so it is reported and read as empty.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


def _date_cells(
    raw: Sequence[object],
    rows: Sequence[int],
    issue: Callable[[str, str, int, object, str], None],
) -> pd.Series:
    """A column of real date cells and blanks as datetime64[ns], times of day dropped, a date
    outside MIN_DATE..MAX_DATE reported and read as empty (see :func:`_dates_in_range`)."""
    stamps = pd.to_datetime(pd.Series(list(raw), dtype=object)).dt.normalize()  # "" -> NaT
    outside = (stamps < pd.Timestamp(MIN_DATE)) | (stamps > pd.Timestamp(MAX_DATE))
    for i in outside.to_numpy().nonzero()[0].tolist():
        issue("date-invalid", "错误", rows[i], raw[i], "日期超出可处理的范围（1900–2199 年）")
    return stamps.where(~outside).astype("datetime64[ns]")


def _dates_in_range(
    values: list[object],
    rows: Sequence[int],
    raw: Sequence[object],
    issue: Callable[[str, str, int, object, str], None],
) -> list[object]:
    for i, value in enumerate(values):
        if isinstance(value, date) and not (MIN_DATE <= value <= MAX_DATE):
            issue("date-invalid", "错误", rows[i], raw[i], "日期超出可处理的范围（1900–2199 年）")
            values[i] = None
    return values


def carries_unit(raw: object) -> bool:
    """True for a text amount that names its own unit ("2万", "3,000元"): not scaled again."""
    return isinstance(raw, str) and any(unit in raw for unit in ("万", "亿", "元"))


def scale(values: Sequence[object], raw: Sequence[object], factor: float) -> list[object]:
    """Amounts of a column headed in another unit (金额（万元）) converted to 元."""
    return [
        None if v is None or v != v else v if carries_unit(r) else cast("float", v) * factor
        for v, r in zip(values, raw, strict=True)
    ]


def _series(col: Column, values: list[object] | pd.Series) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if col.type == "date":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ns]")
    if col.type in ("amount", "number", "integer", "score", "target"):
        return pd.Series(values, dtype="float64")
    if col.type == "yesno":
        return pd.Series(values, dtype=bool)
    return pd.Series(values, dtype=object)


def _empty_series(col: Column, length: int) -> pd.Series:
    if col.type == "yesno":
        return pd.Series([False] * length, dtype=bool)
    if col.type in ("text", "ref", "choice"):
        return pd.Series([""] * length, dtype=object)
    return _series(col, [None] * length)


# --- finding the header ------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(sheet: Sheet, grid: list[list[object]]) -> tuple[int, HeaderMatch] | None:
    """The first row naming at least two of the sheet's columns (labels or synonyms)."""
    need = min(2, len(sheet.columns))
    for r, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in cells if isinstance(cell, str) and cell) < need:
            continue
        found = headers.match_row(sheet, cells)
        if len(found.columns) >= need:
            return r, found
    return None


def _record_columns(
    body: Sequence[Sequence[object]], width: int, user_indexes: list[int]
) -> tuple[list[int], list[Sequence[object]]]:
    """The records below the header, column by column: (0-based positions of the rows kept,
    one sequence per column index < ``width``). A row is kept when any user column is filled.

    Works on whole columns (the hot path of a 50,000-row sheet): calamine's rows are rectangular,
    so only hand-made grids (UDF ranges, tests) need padding first.
    """
    if any(len(cells) < width for cells in body):
        body = [[*cells, *([""] * (width - len(cells)))] for cells in body]
    columns: list[Sequence[object]] = []
    if body:
        columns.extend(list(zip(*body, strict=False))[:width])
    columns += [()] * (width - len(columns))
    if not user_indexes or not body:
        return [], [()] * width
    lead = columns[user_indexes[0]]
    keep = [v.strip() != "" if type(v) is str else v is not None for v in lead]
    if all(keep):
        return list(range(len(body))), columns
    others = [columns[i] for i in user_indexes[1:]]
    kept = [
        i
        for i, filled in enumerate(keep)
        if filled or not all(_blank(column[i]) for column in others)
    ]
    return kept, [[column[i] for i in kept] for column in columns]


def _read_table(sheet: Sheet, grid: list[list[object]]) -> tuple[Table, list[CellIssue]]:
    located = _find_header(sheet, grid)
    if located is None:
        labels = "、".join(c.label for c in sheet.columns if c.required)
        raise LyueError(
            f"工作表「{sheet.name}」中找不到表头（应有 {labels} 等列名）；"
            f"请用 lyue-xl new 生成的模板，或把列名改成模板中的写法。"
        )
    header_index, matched = located
    indexes = matched.indexes
    missing_required = [c for c in sheet.columns if c.required and c.key not in indexes]
    if missing_required:
        names = "、".join(f"「{c.label}」" for c in missing_required)
        raise LyueError(
            f"工作表「{sheet.name}」缺少必填列 {names}；请在第 {header_index + 1} 行表头中补上该列。"
        )
    header_cells = grid[header_index]
    last_header = max(
        (i for i, v in enumerate(header_cells) if parsing.normalize_text(v)), default=-1
    )
    user_indexes = [indexes[c.key] for c in sheet.user_columns if c.key in indexes]
    width = max(len(header_cells), max(user_indexes, default=0) + 1)
    rows, columns = _record_columns(grid[header_index + 1 :], width, user_indexes)
    rows = [header_index + 2 + i for i in rows]
    data: dict[str, pd.Series] = {}
    issues: list[CellIssue] = []
    missing: list[Column] = []
    letters: dict[str, str] = {}
    for col in sheet.columns:
        index = indexes.get(col.key)
        if index is None:
            if not col.engine:
                missing.append(col)
            data[col.key] = _empty_series(col, len(rows))
            continue
        letters[col.key] = column_letter(index)
        raw = columns[index]
        if col.engine:
            data[col.key] = pd.Series(raw, dtype=object)
            continue
        values, col_issues = _convert_column(sheet, col, letters[col.key], rows, raw)
        factor = matched.columns[col.key].factor
        if factor != 1.0:
            values = scale(list(values), raw, factor)
        issues.extend(col_issues)
        data[col.key] = _series(col, values)
    if sheet.key == "objectives" and "target" in indexes and "indicator" in indexes:
        target = indexes["target"]
        issues.extend(_reject_percent_targets(sheet, data, rows, columns[target], target))
    data["row"] = pd.Series(rows, dtype="int64")
    frame = pd.DataFrame(data)
    table = Table(
        sheet,
        frame,
        header_index + 1,
        letters,
        indexes,
        missing,
        True,
        last_header,
        matched,
    )
    return table, issues


def _reject_percent_targets(
    sheet: Sheet,
    data: dict[str, pd.Series],
    rows: Sequence[int],
    raw_targets: Sequence[object],
    index: int,
) -> list[CellIssue]:
    """A % sign is only meaningful for a rate: a score, count or amount with one is unusable.

    DESIGN §3: scores, counts and amounts are read literally, and "a % there is a check error";
    the cell then reads as empty for every command, like any cell that cannot be parsed.
    """
    issues: list[CellIssue] = []
    indicator = data["indicator"]
    has_target = data["target"].notna().tolist()
    letter = column_letter(index)
    label = sheet.column("target").label
    for i, raw in enumerate(raw_targets):
        name = str(indicator.iat[i])
        if (
            isinstance(raw, str)
            and fold(raw).endswith("%")
            and name in schema.NON_RATE_INDICATORS
            and has_target[i]
        ):
            reason = f"指标“{name}”按{schema.NON_RATE_INDICATORS[name]}计，目标值不能带 %"
            issues.append(
                CellIssue("number-invalid", "错误", sheet.name, rows[i], label, letter, raw, reason)
            )
            data["target"].iat[i] = float("nan")
    return issues


def _absent_table(sheet: Sheet) -> Table:
    data = {col.key: _empty_series(col, 0) for col in sheet.columns}
    data["row"] = pd.Series([], dtype="int64")
    return Table(sheet, pd.DataFrame(data), present=False, missing=list(sheet.columns))


def _read_items(
    sheet: Sheet, grid: list[list[object]]
) -> tuple[dict[str, object], dict[str, int], list[CellIssue], str]:
    by_label = {fold(item.label): item for item in sheet.items}
    values: dict[str, object] = {item.key: None for item in sheet.items}
    rows: dict[str, int] = {}
    issues: list[CellIssue] = []
    label_col = 0
    for cells in grid[:HEADER_SEARCH_ROWS]:
        for c, cell in enumerate(cells):
            if isinstance(cell, str) and fold(cell) == "项目":
                label_col = c
                break
        else:
            continue
        break
    for r, cells in enumerate(grid):
        if label_col >= len(cells) or not isinstance(cells[label_col], str):
            continue
        item = by_label.get(fold(cells[label_col]))
        if item is None or item.key in rows:
            continue
        raw = cells[label_col + 1] if label_col + 1 < len(cells) else ""
        rows[item.key] = r + 1
        letter = column_letter(label_col + 1)
        try:
            if item.type == "date":
                value: object = parsing.parse_date(raw)
                if isinstance(raw, str) and value is not None:
                    issues.append(
                        CellIssue(
                            "text-date",
                            "警告",
                            sheet.name,
                            r + 1,
                            item.label,
                            letter,
                            raw,
                            "日期是以文本形式填写的",
                        )
                    )
            elif item.type == "integer":
                value = parsing.parse_integer(raw)
            else:
                value = parsing.normalize_text(raw) or None
        except ValueError as exc:
            code = "date-invalid" if item.type == "date" else "number-invalid"
            issues.append(
                CellIssue(code, "错误", sheet.name, r + 1, item.label, letter, raw, str(exc))
            )
            value = None
        values[item.key] = value
    return values, rows, issues, column_letter(label_col + 1)


# --- the workbook ------------------------------------------------------------------------------


def open_calamine(path: Path) -> CalamineWorkbook:
    check_workbook_file(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged packages
        raise LyueError(
            f"无法读取“{path}”（文件可能已损坏：{str(exc)[:80]}）；请在 Excel 中打开并重新保存后再试。"
        ) from None


def read_grid(book: CalamineWorkbook, name: str) -> list[list[object]]:
    try:
        grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return cast("list[list[object]]", grid)
    except Exception as exc:
        raise LyueError(
            f"无法读取工作表「{name}」（{str(exc)[:80]}）；请在 Excel 中打开并重新保存后再试。"
        ) from None


Grids = Callable[[str], list[list[object]]]


# The large record sheets are read in threads of their own: calamine parses without the GIL.
LARGE_SHEETS = frozenset(
    fold(s.name) for s in (schema.CONTRACTS, schema.MILESTONES, schema.PAYMENTS)
)
RECORD_SHEETS = frozenset(fold(s.name) for s in schema.SHEETS)


def _read_group(path: Path, names: list[str]) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))  # checked by open_calamine already
    try:
        return {name: read_grid(book, name) for name in names}
    finally:
        book.close()


def read_grids(book: CalamineWorkbook, path: Path) -> dict[str, list[list[object]]]:
    """The record sheets' grids; the large ones are read in threads with a handle each while
    ``book`` reads the rest."""
    wanted = [n for n in book.sheet_names if fold(n) in RECORD_SHEETS]
    large = [n for n in wanted if fold(n) in LARGE_SHEETS] if (os.cpu_count() or 1) > 1 else []
    rest = [n for n in wanted if n not in large]
    if not large:
        return {name: read_grid(book, name) for name in rest}
    with ThreadPoolExecutor(max_workers=len(large)) as pool:
        futures = [pool.submit(_read_group, path, [name]) for name in large]
        grids = {name: read_grid(book, name) for name in rest}
        for future in futures:
            grids.update(future.result())
    return grids


def read_records(path: Path, need: Iterable[str] = schema.CORE_SHEET_KEYS) -> Records:
    """Read every record sheet of ``path``; a missing sheet in ``need`` is a LyueError."""
    path = Path(path)
    check_workbook_file(path)  # refuses bad files before anything else reads them
    try:
        with readable_copy(path) as source:  # without XLM macro sheets, which calamine refuses
            book = open_calamine(source)
            with paused_gc():
                try:
                    names = list(book.sheet_names)
                    grids = read_grids(book, source)
                finally:
                    book.close()
    except LyueError:
        check_package_xml(path, refuse_strict=False)  # names a damaged part precisely
        raise
    with paused_gc():
        # each grid is let go once its table is built (the frames keep only what they need)
        return records_from_grids(path, names, grids.pop, need)


def records_from_grids(
    path: Path | str,
    sheet_names: Sequence[str],
    get_grid: Grids,
    need: Iterable[str] = schema.CORE_SHEET_KEYS,
) -> Records:
    """Build :class:`Records` from sheet grids the caller supplies (calamine, Excel, a UDF's ranges).

    ``get_grid(name)`` gives one sheet's cells as rows from A1: ``''`` for an empty cell, else
    str, float, int, bool, date or datetime. ``path`` names the workbook in messages.
    """
    path = Path(path)
    names = list(sheet_names)
    by_fold = {fold(n): n for n in names}
    need = set(need)
    missing = [s.name for s in schema.SHEETS if s.key in need and fold(s.name) not in by_fold]
    if missing:
        listed = "、".join(f"「{n}」" for n in missing)
        raise LyueError(
            f"“{path.name}”缺少工作表 {listed}；请用 lyue-xl new 生成的模板，或补上同名工作表。"
        )
    tables: dict[str, Table] = {}
    issues: list[CellIssue] = []
    info: dict[str, object] = {}
    settings: dict[str, object] = {}
    item_rows: dict[tuple[str, str], int] = {}
    unreadable: dict[str, str] = {}
    item_letters: dict[str, str] = {}
    for sheet in schema.SHEETS:
        actual = by_fold.get(fold(sheet.name))
        if sheet.is_keyvalue:
            grid = get_grid(actual) if actual else []
            values, rows, item_issues, item_letters[sheet.key] = _read_items(sheet, grid)
            issues.extend(item_issues)
            item_rows.update({(sheet.key, k): r for k, r in rows.items()})
            (info if sheet.key == "info" else settings).update(values)
            continue
        if actual is None:
            tables[sheet.key] = _absent_table(sheet)
            continue
        try:
            table, table_issues = _read_table(sheet, get_grid(actual))
        except LyueError as exc:
            if sheet.key in need:
                raise
            # A sheet no command needs here (e.g. a hand-made 培训记录 without the template's
            # labels) must not stop the run: it reads as absent and `check` says why.
            unreadable[sheet.key] = str(exc)
            tables[sheet.key] = _absent_table(sheet)
            continue
        tables[sheet.key] = table
        issues.extend(table_issues)
    return Records(path, tables, info, settings, item_rows, issues, names, unreadable, item_letters)
