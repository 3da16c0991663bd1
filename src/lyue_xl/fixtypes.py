"""`lyue-xl fix-types`: turn what only the engine understands into what Excel formulas count.

The reader accepts dates and amounts typed as text (「2025/7/20」, 「3万」), other words for
dropdown values (「已完成」), 是/否 variants (「Y」, 「√」) and money headed in another unit
(「金额（万元）」). 「实时指标」's native formulas (DESIGN §2) see none of these as the engine
does. This explicit operation rewrites exactly those cells of the record sheets as real dates,
numbers in 元 and the dropdown's own words — one cell at a time at zip level, through the same
backed-up atomic write as refresh (DESIGN §6); every other cell, sheet and part is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from lyue_xl import schema
from lyue_xl.errors import LyueError
from lyue_xl.schema import fold
from lyue_xl.validate import shown
from lyue_xl.workbook.package import ColumnUpdate, write_results
from lyue_xl.workbook.reader import (
    Records,
    Table,
    column_letter,
    open_calamine,
    read_grid,
    read_records,
)
from lyue_xl.workbook.template import AMOUNT_FMT, DATE_FMT, HEADER_ROW

FIXABLE = ("text-date", "text-number", "choice-synonym", "yesno-variant")
_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Fix:
    sheet: str
    row: int
    column: str  # "签订日期(F)"
    before: object
    after: object  # what is written: a date, a number (元) or text

    def as_json(self) -> dict[str, object]:
        after = self.after.isoformat() if isinstance(self.after, date) else self.after
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "before": shown(self.before),
            "after": after,
        }

    @property
    def message(self) -> str:
        return f"「{self.sheet}」第{self.row}行「{self.column}」：“{shown(self.before)}” → {shown(self.after)}"


@dataclass
class Result:
    path: Path
    fixes: list[Fix] = field(default_factory=list)
    headers: list[tuple[str, str, str]] = field(default_factory=list)  # sheet, old, new label
    notes: list[str] = field(default_factory=list)  # what fix-types could not do, in Chinese
    written: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "written": self.written,
            "fixes": [f.as_json() for f in self.fixes],
            "headers": [{"sheet": s, "before": a, "after": b} for s, a, b in self.headers],
            "notes": list(self.notes),
        }

    def lines(self) -> list[str]:
        out = [f"「{s}」表头“{a}” → “{b}”（数值已换算为元）" for s, a, b in self.headers]
        out += [f.message for f in self.fixes]
        if not self.fixes and not self.headers:
            out.append("没有需要转换的单元格：日期、金额和下拉选项都已是 Excel 能统计的形式。")
        elif self.written:
            out.append(
                f"已转换 {len(self.fixes)} 个单元格（原文件已备份到 .lyue-backup）：{self.path}"
            )
        else:
            out.append(f"预览：将转换 {len(self.fixes)} 个单元格（未写入）。")
        return out + self.notes


def _cell_value(col: schema.Column, value: object) -> object:
    if value is None or value is pd.NaT or value != value:  # NaN / NaT
        return None
    if col.type == "date":
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
        return stamp.date()
    if col.type == "yesno":
        return "是" if bool(value) else "否"
    if col.type in ("amount", "number", "integer", "score", "target"):
        number = float(value)  # type: ignore[arg-type]
        return int(number) if number.is_integer() else number
    return str(value)


def _table_fixes(
    records: Records, table: Table
) -> tuple[list[Fix], list[ColumnUpdate], str | None]:
    sheet = table.sheet
    frame = table.frame
    by_row = {int(r): i for i, r in enumerate(frame["row"].tolist())}
    issues = [i for i in records.issues if i.sheet == sheet.name and i.code in FIXABLE]
    cells: dict[str, dict[int, object]] = {}
    raw: dict[tuple[str, int], object] = {}
    for issue in issues:
        col = next((c for c in sheet.columns if c.label == issue.column), None)
        if col is None or issue.row not in by_row:
            continue
        cells.setdefault(col.key, {})[issue.row] = frame[col.key].iat[by_row[issue.row]]
        raw[(col.key, issue.row)] = issue.value
    renamed: list[str] = []
    # money headed in another unit: every value of the column is rewritten in 元
    for key, found in table.header.columns.items():
        if found.factor == 1.0:
            continue
        rows_of = [int(r) for r in frame["row"].tolist()]
        for i, value in enumerate(frame[key].tolist()):
            if value == value and value is not None:
                row = rows_of[i]
                cells.setdefault(key, {})[row] = value
                raw.setdefault((key, row), f"{value / found.factor:g}")
        renamed.append(key)
    fixes: list[Fix] = []
    updates: list[ColumnUpdate] = []
    for key, rows in cells.items():
        col = sheet.column(key)
        written = {r: _cell_value(col, v) for r, v in sorted(rows.items())}
        written = {r: v for r, v in written.items() if v is not None}
        label = f"{col.label}({table.letters[key]})"
        for row, value in written.items():
            fixes.append(Fix(sheet.name, row, label, raw[(key, row)], value))
        if col.type == "date":
            values: dict[int, object] = {
                r: (v - _EPOCH).days for r, v in written.items() if isinstance(v, date)
            }
            number_format: str | None = DATE_FMT
        else:
            values = dict(written)
            number_format = AMOUNT_FMT if col.type == "amount" else None
            if col.type in ("number", "integer", "score"):
                number_format = "General"
        updates.append(
            ColumnUpdate(
                sheet.name,
                table.header_row,
                table.header_text(key),
                values,
                number_format,
                rename=col.label if key in renamed else None,
            )
        )
    note = None
    return fixes, updates, note


def _item_fixes(
    records: Records, get_grid: Callable[[str], list[list[object]]]
) -> tuple[list[Fix], list[ColumnUpdate]]:
    """Dates typed as text in 基本信息/设置 (the live sheet reads 设置's period and 基准日期)."""
    fixes: list[Fix] = []
    updates: list[ColumnUpdate] = []
    for sheet in (schema.INFO, schema.SETTINGS):
        issues = [i for i in records.issues if i.sheet == sheet.name and i.code == "text-date"]
        if not issues:
            continue
        actual = next((n for n in records.sheet_names if fold(n) == fold(sheet.name)), None)
        if actual is None:
            continue
        grid = get_grid(actual)
        letter = records.item_letters.get(sheet.key, "B")
        content = _letter_index(letter)
        header = next(
            (
                (r + 1, _text(cells[content]))
                for r, cells in enumerate(grid[:30])
                if content >= 1
                and len(cells) > content
                and fold(_text(cells[content - 1])) == "项目"
                and _text(cells[content])
            ),
            None,
        )
        if header is None:
            continue
        values: dict[int, object] = {}
        source = records.info if sheet.key == "info" else records.settings
        for issue in issues:
            item = next((i for i in sheet.items if i.label == issue.column), None)
            if item is None or not isinstance(source.get(item.key), date):
                continue
            day = source[item.key]
            assert isinstance(day, date)
            values[issue.row] = (day - _EPOCH).days
            fixes.append(Fix(sheet.name, issue.row, f"{item.label}({letter})", issue.value, day))
        if values:
            updates.append(ColumnUpdate(sheet.name, header[0], header[1], values, DATE_FMT))
    return fixes, updates


def _letter_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def fix_types(path: Path, *, dry_run: bool = False) -> Result:
    """Convert the cells; ``dry_run`` lists them without writing."""
    path = Path(path)
    records = read_records(path, need=())

    def get_grid(name: str) -> list[list[object]]:
        book = open_calamine(path)
        try:
            return read_grid(book, name)
        finally:
            book.close()

    result, updates = plan_fixes(records, get_grid)
    if dry_run or not updates:
        return result
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise LyueError(f"fix-types 只能改写 .xlsx/.xlsm 工作簿（收到“{path.name}”）。")
    write_results(path, path, [], updates)
    result.written = True
    return result


def plan_fixes(
    records: Records, get_grid: Callable[[str], list[list[object]]]
) -> tuple[Result, list[ColumnUpdate]]:
    """What fix-types would convert in ``records`` (a file, or a workbook open in Excel)."""
    result = Result(Path(records.path))
    updates: list[ColumnUpdate] = []
    for table in records.tables.values():
        if not table.present:
            continue
        fixes, table_updates, _ = _table_fixes(records, table)
        result.fixes.extend(fixes)
        updates.extend(table_updates)
        for key, found in table.header.columns.items():
            if found.factor != 1.0:
                result.headers.append((table.sheet.name, found.text, table.sheet.column(key).label))
    result.notes.extend(_notes(records))
    item_fixes, item_updates = _item_fixes(records, get_grid)
    result.fixes.extend(item_fixes)
    updates.extend(item_updates)
    result.fixes.sort(key=lambda f: (_order(f.sheet), f.row, f.column))
    return result, updates


# the columns 「实时指标」's formulas read, at the template's positions (workbook/template.py)
LIVE_COLUMNS = {
    "contracts": ("nature", "planned_delivery", "actual_delivery", "state", "acceptance"),
    "payments": ("kind", "due_on", "due_amount", "paid_on", "paid_amount"),
}


def _notes(records: Records) -> list[str]:
    """Sheets fix-types had to leave alone, and a 实时指标 whose columns are not where its
    formulas look (columns are found by their header everywhere else; the formulas were written
    for the template's layout)."""
    notes = [
        f"「{schema.BY_KEY[key].name}」未转换：{reason}"
        for key, reason in records.unreadable.items()
    ]
    if not any(fold(n) == fold(schema.LIVE_SHEET) for n in records.sheet_names):
        return notes
    moved: list[str] = []
    for key, keys in LIVE_COLUMNS.items():
        table = records.tables.get(key)
        if table is None or not table.present:
            continue
        sheet = table.sheet
        template = {c.key: i for i, c in enumerate(sheet.columns)}
        for col_key in keys:
            found = table.indexes.get(col_key)
            if found is None:
                moved.append(f"「{sheet.name}」没有“{sheet.column(col_key).label}”列")
            elif found != template[col_key] or table.header_row != HEADER_ROW:
                moved.append(
                    f"「{sheet.name}」的“{sheet.column(col_key).label}”在 {column_letter(found)} 列"
                    f"第 {table.header_row} 行表头下（模板为 {column_letter(template[col_key])} 列"
                    f"第 {HEADER_ROW} 行）"
                )
    if moved:
        notes.append(
            f"注意：「{schema.LIVE_SHEET}」的公式按模板的列位置统计，本台账中"
            + "；".join(moved)
            + f"。「{schema.LIVE_SHEET}」的数字因此不可信，请以刷新后的「指标看板」为准，"
            "或把这些列移回模板的位置。"
        )
    return notes


def _order(sheet: str) -> int:
    names = [s.name for s in schema.SHEETS]
    return names.index(sheet) if sheet in names else len(names)
