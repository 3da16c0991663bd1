"""`lyue-xl import`: bring a firm's own ledger (.xlsx/.xlsm/.csv) into the record workbook.

One job: read a foreign ledger, find its header (title rows above it, merged cells, two-row
headers), map its columns to 合同台账 / 款项 / 供应商 by the schema's labels and synonyms
(:mod:`lyue_xl.headers`), convert units, dates and dropdown words, and write the rows — into a
new ledger made from the template (``-o``) or appended to an existing one (``--into``) at zip
level through :func:`~lyue_xl.workbook.package.write_results` (DESIGN §6: the user's file is never
loaded and saved by a spreadsheet library). SOURCE is only read.

Nothing is guessed silently: every header taken, every column left out, every value that could
not be converted and every duplicate 合同编号 is in the :class:`Plan`, which ``--dry-run`` prints
(and ``--json`` returns) and which can be saved as an editable mapping workbook (``--save-map``)
and passed back with ``--map``.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from python_calamine import SheetVisibleEnum

from lyue_xl import headers, parsing, schema
from lyue_xl.errors import LyueError
from lyue_xl.headers import HeaderMatch, Match
from lyue_xl.schema import Sheet, fold
from lyue_xl.workbook.reader import (
    CellIssue,
    Records,
    column_letter,
    convert_column,
    open_calamine,
    read_grid,
    read_records,
    scale,
)

TARGETS: tuple[Sheet, ...] = (schema.CONTRACTS, schema.PAYMENTS, schema.SUPPLIERS)
# the column a row of each target is identified by (duplicates are reported, not written twice)
ID_KEYS = {"contracts": "contract_no", "payments": "contract_no", "suppliers": "supplier_no"}
SEARCH_ROWS = 30
TOTAL_WORDS = ("合计", "小计", "总计", "累计", "总额")
MAP_SHEET = "列映射"
VALUE_SHEET = "取值映射"
MAP_HEADERS = ("源表头", "导入到工作表", "对应列", "换算倍数", "说明")
VALUE_HEADERS = ("对应列", "源值", "导入为")
SKIP = "（不导入）"
_EPOCH = date(1899, 12, 30)

Grid = list[list[object]]


# --- reading the source -------------------------------------------------------------------------


def read_source(path: Path) -> list[tuple[str, Grid]]:
    """The sheets of a foreign ledger as grids; a CSV is one sheet named after the file."""
    return [(name, grid) for name, grid, _ in read_sheets(path)]


def read_sheets(path: Path) -> list[tuple[str, Grid, bool]]:
    """(name, grid, hidden) per sheet of a foreign ledger; a CSV is one visible sheet."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise LyueError(f"找不到要导入的文件“{path}”，请检查路径和文件名。")
    if suffix == ".xls":
        raise LyueError(
            f"“{path.name}”是旧版 Excel（.xls）格式，导入不支持；"
            "请在 Excel 或 WPS 中“另存为” .xlsx 后再导入。"
        )
    if suffix in (".csv", ".txt"):
        return [(path.stem, _read_csv(path), False)]
    book = open_calamine(path)
    try:
        hidden = {m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
        return [(name, read_grid(book, name), name in hidden) for name in book.sheet_names]
    finally:
        book.close()


def _read_csv(path: Path) -> Grid:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LyueError(
            f"无法识别“{path.name}”的文字编码；请在 Excel/WPS 中另存为 UTF-8 的 CSV 或 .xlsx 后再导入。"
        )
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


# --- finding the header -------------------------------------------------------------------------


@dataclass
class Located:
    target: Sheet
    first_row: int  # 0-based first header row
    last_row: int  # 0-based last header row (first_row + 1 for a two-row header)
    labels: list[object]  # the header text per column (two rows combined)
    match: HeaderMatch


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else parsing.normalize_text(value)


def _combined(sheet: Sheet, upper: Sequence[object], lower: Sequence[object]) -> list[object]:
    """One label per column from a two-row header: the lower cell, or upper+lower, or the upper
    cell when the lower one is empty (a label merged down over both rows)."""
    width = max(len(upper), len(lower))
    labels: list[object] = []
    group = ""
    for c in range(width):
        up = _text(upper[c]) if c < len(upper) else ""
        lo = _text(lower[c]) if c < len(lower) else ""
        group = up or (group if lo else "")  # a group title merged across columns
        candidates = [x for x in (lo, group + lo if group and lo else "", up) if x]
        chosen = next((x for x in candidates if headers.match_cell(sheet, x)), None)
        labels.append(chosen or lo or up)
    return labels


def locate(grid: Grid, targets: Sequence[Sheet] = TARGETS) -> Located | None:
    """The best header of a sheet over its first rows, single or two-row, for any target."""
    best: tuple[int, int, Located] | None = None
    rows = grid[:SEARCH_ROWS]
    for r, cells in enumerate(rows):
        if sum(1 for v in cells if isinstance(v, str) and v.strip()) < 2:
            continue
        for target in targets:
            options: list[tuple[int, list[object]]] = [(r, list(cells))]
            if r + 1 < len(grid):
                options.append((r + 1, _combined(target, cells, grid[r + 1])))
            for last, labels in options:
                found = headers.match_row(target, labels)
                if ID_KEYS[target.key] not in found.columns or len(found.columns) < 2:
                    continue
                score = len(found.columns)
                rank = (score, -(last - r))  # more columns, then the single row
                if best is None or rank > (best[0], best[1]):
                    best = (rank[0], rank[1], Located(target, r, last, labels, found))
    return best[2] if best else None


# --- the plan -----------------------------------------------------------------------------------


@dataclass
class Mapping:
    """A user's mapping workbook (``--map``): header -> column (None = skip), values."""

    columns: dict[str, tuple[str, str | None, float]] = field(default_factory=dict)
    # folded header -> (target sheet key, column key or None, factor)
    values: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # (sheet key, column key) -> {folded source value: value}


@dataclass
class Problem:
    code: str  # value-invalid, value-mapped, duplicate-id, required-missing, sheet-skipped
    level: str  # 错误 / 警告 / 提示
    sheet: str  # source sheet
    row: int | None  # source Excel row
    column: str  # source header (letter)
    value: object
    message: str

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": _json(self.value),
            "message": self.message,
        }


@dataclass
class SourceSheet:
    name: str
    target: Sheet
    header_rows: tuple[int, int]  # 1-based first and last header row
    columns: dict[str, Match]  # column key -> source column
    unmapped: list[tuple[int, str]]  # (0-based index, header)
    rows: int = 0


@dataclass
class Row:
    target: str  # sheet key
    sheet: str  # source sheet
    source_row: int
    values: dict[str, object]  # column key -> value to write (converted, or the raw text)
    extra: dict[str, object] = field(default_factory=dict)  # unmapped header -> raw value


@dataclass
class Plan:
    source: Path
    sheets: list[SourceSheet] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)

    def rows_for(self, key: str) -> list[Row]:
        return [row for row in self.rows if row.target == key]

    def as_json(self) -> dict[str, object]:
        mapping = []
        unmapped = []
        for s in self.sheets:
            for key, found in s.columns.items():
                mapping.append(
                    {
                        "sheet": s.name,
                        "column": column_letter(found.index),
                        "header": found.text,
                        "target_sheet": s.target.name,
                        "target": s.target.column(key).label,
                        "factor": found.factor,
                    }
                )
            for index, text in s.unmapped:
                unmapped.append({"sheet": s.name, "column": column_letter(index), "header": text})
        return {
            "source": str(self.source),
            "sheets": [
                {
                    "sheet": s.name,
                    "target": s.target.name,
                    "header_rows": list(s.header_rows),
                    "rows": s.rows,
                }
                for s in self.sheets
            ],
            "skipped_sheets": [{"sheet": n, "reason": r} for n, r in self.skipped_sheets],
            "mapping": mapping,
            "unmapped": unmapped,
            "problems": [p.as_json() for p in self.problems],
            "rows": [
                {
                    "target": schema.BY_KEY[row.target].name,
                    "sheet": row.sheet,
                    "source_row": row.source_row,
                    "values": {
                        schema.BY_KEY[row.target].column(k).label: _json(v)
                        for k, v in row.values.items()
                    },
                }
                for row in self.rows
            ],
        }


def _json(value: object) -> object:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _total_row(cells: Sequence[object]) -> bool:
    texts = [fold(v) for v in cells if isinstance(v, str) and v.strip()][:3]
    return any(t.startswith(TOTAL_WORDS) for t in texts)


def _locate_by_mapping(grid: Grid, mapping: Mapping) -> Located | None:
    """A header no synonym recognises, found by the headers the user's mapping names."""
    for r, cells in enumerate(grid[:SEARCH_ROWS]):
        named = [mapping.columns.get(fold(_text(v))) for v in cells if _text(v)]
        used = [entry for entry in named if entry is not None and entry[1] is not None]
        if len(used) >= 2:
            target = schema.BY_KEY[used[0][0]]
            return Located(target, r, r, list(cells), HeaderMatch())
    return None


def _apply_mapping(located: Located, mapping: Mapping | None) -> Located:
    """Override the automatic match with the user's mapping workbook, header by header."""
    if mapping is None or not mapping.columns:
        return located
    targets = {mapping.columns[k][0] for k in mapping.columns}
    target = located.target
    if len(targets) == 1 and target.key not in targets:
        target = schema.BY_KEY[targets.pop()]
    auto = headers.match_row(target, located.labels)
    columns: dict[str, Match] = {}
    unmapped: list[tuple[int, str]] = []
    for index, label in enumerate(located.labels):
        text = _text(label)
        if not text:
            continue
        chosen = mapping.columns.get(fold(text))
        if chosen is None:
            found = next((m for m in auto.columns.values() if m.index == index), None)
            if found is not None and found.key not in columns:
                columns[found.key] = found
            else:
                unmapped.append((index, text))
            continue
        sheet_key, key, factor = chosen
        if key is None or sheet_key != target.key or key in columns:
            unmapped.append((index, text))
            continue
        columns[key] = Match(key, index, text, factor, headers.LABEL)
    return Located(
        target,
        located.first_row,
        located.last_row,
        located.labels,
        HeaderMatch(columns, [], unmapped),
    )


def plan_import(
    source: Path,
    sheets: Sequence[str] = (),
    mapping: Mapping | None = None,
    nature: str | None = None,
    strict: bool = True,
    natures: dict[str, str] | None = None,
) -> Plan:
    """Everything an import would write, without writing anything. ``strict=False`` (a dry
    run) reports a missing 合同性质 column as a problem instead of refusing. ``natures`` (合同编号
    -> 合同性质 of the ledger imported into) gives 款项 rows without 收付类型 their default."""
    source = Path(source)
    if nature is not None and nature not in schema.CONTRACTS.column("nature").choices:
        raise LyueError(f"--nature 应为“收入性”或“支出性”（收到“{nature}”）。")
    found = read_sheets(source)
    grids = [(name, grid) for name, grid, _ in found]
    names = [name for name, _ in grids]
    hidden = {name for name, _, is_hidden in found if is_hidden}
    if sheets:
        wanted = {fold(s) for s in sheets}
        missing = [s for s in sheets if fold(s) not in {fold(n) for n in names}]
        if missing:
            raise LyueError(
                f"“{source.name}”中没有工作表 {'、'.join(f'「{s}」' for s in missing)}；"
                f"其中的工作表有：{'、'.join(names)}。"
            )
        grids = [(n, g) for n, g in grids if fold(n) in wanted]
        hidden = set()  # named on purpose: imported even when hidden
    plan = Plan(source)
    own = {fold(s.name): s for s in schema.SHEETS}
    own_other = {fold(n) for n in (schema.GUIDE_SHEET, schema.LIVE_SHEET, *schema.ENGINE_SHEETS)}
    for name, grid in grids:
        if name in hidden:
            plan.skipped_sheets.append(
                (name, f"是隐藏的工作表（如确需导入，请用 --sheet {name} 指定）")
            )
            continue
        # a ledger of this program (or one laid out like it): its sheets keep their meaning
        named = own.get(fold(name))
        if (named is not None and named not in TARGETS) or fold(name) in own_other:
            plan.skipped_sheets.append(
                (name, "是本程序台账的工作表，不在导入范围（只导入合同台账、款项、供应商）")
            )
            continue
        located = locate(grid, (named,) if named is not None else TARGETS)
        if located is None and mapping is not None:
            located = _locate_by_mapping(grid, mapping)
        if located is None:
            plan.skipped_sheets.append((name, "找不到可识别的表头"))
            continue
        _plan_sheet(plan, name, grid, _apply_mapping(located, mapping), mapping, nature, strict)
    if not plan.sheets:
        looked = "、".join(
            f"{t.name}（如 {t.columns[0].label}、{t.columns[1].label}）" for t in TARGETS
        )
        raise LyueError(
            f"“{source.name}”中找不到可导入的表头：程序按列名识别{looked}。"
            "请确认表头行中有合同编号（或 合同号、合同编码）等列名，或用 --map 指定映射。"
        )
    _default_kinds(plan, natures or {}, nature)
    _mark_duplicates(plan)
    return plan


def _plan_sheet(
    plan: Plan,
    name: str,
    grid: Grid,
    located: Located,
    mapping: Mapping | None,
    nature: str | None,
    strict: bool = True,
) -> None:
    target = located.target
    found = located.match
    # columns the engine writes (供应商 等级 …) are never imported: kept as unmapped
    engine = [m for key, m in found.columns.items() if target.column(key).engine]
    columns = {
        k: Match(m.key, m.index, one_line(m.text), m.factor, m.priority)
        for k, m in found.columns.items()
        if not target.column(k).engine
    }
    found = HeaderMatch(
        columns,
        [(i, one_line(t), k) for i, t, k in found.duplicates],
        [(i, one_line(t)) for i, t in [*found.unplaced, *((m.index, m.text) for m in engine)]],
    )
    if target.key == "contracts" and "nature" not in columns and nature is None and strict:
        raise LyueError(
            f"工作表「{name}」中没有“合同性质”列（收入性/支出性）；程序不会猜测。"
            "请加 --nature 收入性（本方向客户履约）或 --nature 支出性（供应商向本方履约），"
            "或在映射表中把某一列对应到“合同性质”。"
        )
    if target.key == "contracts" and "nature" not in columns and nature is None:
        plan.problems.append(
            Problem(
                "nature-missing",
                "错误",
                name,
                None,
                "",
                None,
                f"工作表「{name}」中没有“合同性质”列；正式导入时请加 --nature 收入性 或 --nature 支出性。",
            )
        )
    unmapped = [(i, t) for i, t in found.unplaced]
    unmapped += [(i, t) for i, t, _ in found.duplicates]
    unmapped.sort()
    sheet_info = SourceSheet(
        name, target, (located.first_row + 1, located.last_row + 1), columns, unmapped
    )
    plan.sheets.append(sheet_info)
    header_forms = {fold(_text(v)) for v in located.labels if _text(v)}
    kept: list[int] = []
    for r in range(located.last_row + 1, len(grid)):
        cells = grid[r]
        mapped = [cells[m.index] if m.index < len(cells) else "" for m in columns.values()]
        if all(v is None or _text(v) == "" for v in mapped):
            continue
        if _total_row(cells):
            continue
        if _numbers_only(cells, columns, ID_KEYS[target.key]):
            plan.problems.append(
                Problem(
                    "total-row",
                    "提示",
                    name,
                    r + 1,
                    "",
                    None,
                    f"「{name}」第{r + 1}行没有{target.column(ID_KEYS[target.key]).label}、"
                    "只有数字，按合计行处理，未导入；如是一条记录，请补上编号后再导入。",
                )
            )
            continue
        texts = {fold(_text(v)) for v in cells if isinstance(v, str) and v.strip()}
        if len(texts & header_forms) >= 2:  # the header repeated (printed page by page)
            continue
        kept.append(r)
    sheet_info.rows = len(kept)
    excel_rows = [r + 1 for r in kept]
    converted: dict[str, list[object]] = {}
    raw_by_key: dict[str, list[object]] = {}
    for key, m in columns.items():
        col = target.column(key)
        raw = [grid[r][m.index] if m.index < len(grid[r]) else "" for r in kept]
        raw = [("" if v is None else v) for v in raw]
        if mapping is not None:
            words = mapping.values.get((target.key, key), {})
            if words:
                raw = [words.get(fold(_text(v)), v) if _text(v) else v for v in raw]
        if col.type == "date":
            raw = [_yyyymmdd(v) for v in raw]
        raw_by_key[key] = raw
        letter = column_letter(m.index)
        values, issues = convert_column(target, col, letter, excel_rows, raw)
        values = list(values)
        if col.type == "amount" and m.factor != 1.0:
            values = scale(values, raw, m.factor)
        bad = {issue.row for issue in issues if issue.skipped}
        for issue in issues:
            _report_issue(plan, name, m, issue)
        out: list[object] = []
        for i, value in enumerate(values):
            if excel_rows[i] in bad:
                out.append(_text(raw[i]) or None)  # kept as typed, for `check` to flag
            else:
                out.append(_write_value(col.type, value, raw[i]))
        converted[key] = out
    extra_cols = [(i, t) for i, t in unmapped]
    for n, r in enumerate(kept):
        row_values = {key: converted[key][n] for key in columns}
        if target.key == "contracts" and nature is not None and not row_values.get("nature"):
            row_values["nature"] = nature
        extra = {}
        for index, text in extra_cols:
            cell = grid[r][index] if index < len(grid[r]) else ""
            if cell is not None and _text(cell) != "":
                extra[text] = cell
        plan.rows.append(Row(target.key, name, r + 1, row_values, extra))
        for col in target.columns:
            if (target.key, col.key) == ("payments", "kind"):
                continue  # defaulted from the contract's 合同性质 once every sheet is read
            if col.required and row_values.get(col.key) in (None, ""):
                plan.problems.append(
                    Problem(
                        "required-missing",
                        "警告",
                        name,
                        r + 1,
                        "",
                        None,
                        f"「{name}」第{r + 1}行没有{col.label}；导入后请在「{target.name}」中补填。",
                    )
                )


def one_line(text: str) -> str:
    """A header cell as one line: 「合同\\n名称」 -> 「合同名称」 (Alt+Enter inside a header)."""
    return "".join(part.strip() for part in text.splitlines()) if "\n" in text else text


def _numbers_only(cells: Sequence[object], columns: dict[str, Match], id_key: str) -> bool:
    """A row with no id and nothing but numbers in the mapped columns: a total without a word."""
    if id_key not in columns:
        return False
    got = [cells[m.index] if m.index < len(cells) else None for m in columns.values()]
    ident = got[list(columns).index(id_key)]
    if _text(ident):
        return False
    filled = [v for v in got if v is not None and _text(v) != ""]
    return bool(filled) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in filled
    )


def _yyyymmdd(value: object) -> object:
    """20250301 typed as a number in a date column -> "20250301" (the parser reads that text; as
    a number it would be an Excel serial far beyond 9999-12-31)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 29991231:
            return str(int(number))
    return value


def _default_kinds(plan: Plan, natures: dict[str, str], nature: str | None) -> None:
    """款项 rows without 收付类型 take it from their contract's 合同性质 (收入性 → 收款, 支出性 →
    付款): the contracts of this import first, then the ledger's (``--into``), then ``--nature``."""
    kinds = dict(
        zip(
            schema.CONTRACTS.column("nature").choices,
            schema.PAYMENTS.column("kind").choices,
            strict=True,
        )
    )
    known = dict(natures)
    for row in plan.rows_for("contracts"):
        ident = parsing.normalize_text(row.values.get("contract_no"))
        if ident and row.values.get("nature") in kinds:
            known.setdefault(ident, str(row.values["nature"]))
    defaulted: dict[str, int] = {}
    for row in plan.rows_for("payments"):
        if row.values.get("kind") not in (None, ""):
            continue
        ident = parsing.normalize_text(row.values.get("contract_no"))
        source = known.get(ident) or nature
        if source in kinds:
            row.values["kind"] = kinds[source]
            defaulted[row.sheet] = defaulted.get(row.sheet, 0) + 1
            continue
        plan.problems.append(
            Problem(
                "required-missing",
                "警告",
                row.sheet,
                row.source_row,
                "",
                None,
                f"「{row.sheet}」第{row.source_row}行没有收付类型，合同编号“{ident}”也不在合同台账中"
                "（无法按合同性质推定收款/付款）；导入后请在「款项」中补填。",
            )
        )
    for sheet, count in defaulted.items():
        plan.problems.append(
            Problem(
                "kind-default",
                "提示",
                sheet,
                None,
                "收付类型",
                None,
                f"工作表「{sheet}」没有写明收付类型的 {count} 行，按所属合同的合同性质填写"
                "（收入性 → 收款，支出性 → 付款）。",
            )
        )


def _report_issue(plan: Plan, sheet: str, m: Match, issue: CellIssue) -> None:
    where = f"「{sheet}」第{issue.row}行「{m.text}({issue.letter})」"
    if issue.code in ("choice-synonym", "yesno-variant"):
        plan.problems.append(
            Problem(
                "value-mapped",
                "提示",
                sheet,
                issue.row,
                f"{m.text}({issue.letter})",
                issue.value,
                f"{where}：“{parsing.normalize_text(issue.value)}”{issue.reason.split('，')[-1]}。",
            )
        )
    elif issue.skipped:
        plan.problems.append(
            Problem(
                "value-invalid",
                "错误",
                sheet,
                issue.row,
                f"{m.text}({issue.letter})",
                issue.value,
                f"{where}：“{parsing.normalize_text(issue.value)}”{issue.reason}；"
                "按原文导入，导入后请运行 check 并改正（或在映射表「取值映射」中指定）。",
            )
        )


def _write_value(kind: str, value: object, raw: object) -> object:
    """The value to put into the ledger cell (None = leave empty)."""
    if value is None or value is pd.NaT or value == "" or value != value:  # NaN, NaT
        return None
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        return value
    if kind == "yesno":
        if _text(raw) == "":
            return None
        return "是" if value else "否"
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()  # type: ignore[union-attr]
    return value


def _mark_duplicates(plan: Plan, existing: dict[str, set[str]] | None = None) -> None:
    """Rows whose id is already in the ledger, or earlier in the source, are not written."""
    existing = existing or {}
    seen: dict[str, dict[str, tuple[str, int]]] = {}
    kept: list[Row] = []
    for row in plan.rows:
        if row.target == "payments":
            kept.append(row)
            continue
        key = ID_KEYS[row.target]
        ident = parsing.normalize_text(row.values.get(key))
        target = schema.BY_KEY[row.target]
        label = target.column(key).label
        if ident and ident in existing.get(row.target, set()):
            plan.problems.append(
                Problem(
                    "duplicate-id",
                    "警告",
                    row.sheet,
                    row.source_row,
                    label,
                    ident,
                    f"「{row.sheet}」第{row.source_row}行的{label}“{ident}”在「{target.name}」中已有，"
                    "未重复写入；如是不同的记录，请改用新的编号后再导入。",
                )
            )
            continue
        first = seen.setdefault(row.target, {}).get(ident) if ident else None
        if first is not None:
            plan.problems.append(
                Problem(
                    "duplicate-id",
                    "警告",
                    row.sheet,
                    row.source_row,
                    label,
                    ident,
                    f"「{row.sheet}」第{row.source_row}行的{label}“{ident}”与「{first[0]}」"
                    f"第{first[1]}行重复，只导入第一行。",
                )
            )
            continue
        if ident:
            seen[row.target][ident] = (row.sheet, row.source_row)
        kept.append(row)
    plan.rows = kept


# --- writing ------------------------------------------------------------------------------------


def _serial(value: date) -> int:
    return (value - _EPOCH).days


def _updates(
    plan: Plan,
    start_rows: dict[str, int],
    header_rows: dict[str, int],
    labels: dict[str, dict[str, str]],
    extra_labels: dict[str, set[str]] | None,
) -> list[object]:
    """ColumnUpdates putting the plan's rows below ``start_rows[sheet key]``."""
    from lyue_xl.workbook.package import ColumnUpdate

    updates: list[object] = []
    for target in TARGETS:
        rows = plan.rows_for(target.key)
        if not rows:
            continue
        first = start_rows[target.key]
        for col in target.user_columns:
            dates: dict[int, object] = {}
            others: dict[int, object] = {}
            for n, row in enumerate(rows):
                value = row.values.get(col.key)
                if value is None:
                    continue
                if isinstance(value, date):
                    dates[first + n] = _serial(value)
                else:
                    others[first + n] = value
            label = labels.get(target.key, {}).get(col.key, col.label)
            if dates:
                updates.append(
                    ColumnUpdate(target.name, header_rows[target.key], label, dates, "yyyy-mm-dd")
                )
            if others:
                updates.append(ColumnUpdate(target.name, header_rows[target.key], label, others))
        names = sorted({h for row in rows for h in row.extra}, key=lambda h: _order(plan, h))
        for header in names:
            if extra_labels is not None and fold(header) not in extra_labels.get(target.key, set()):
                continue
            dates = {}
            others = {}
            for n, row in enumerate(rows):
                if header not in row.extra:
                    continue
                value = row.extra[header]
                if isinstance(value, datetime | date):
                    day = value.date() if isinstance(value, datetime) else value
                    dates[first + n] = _serial(day)
                elif isinstance(value, str | int | float) and not isinstance(value, bool):
                    others[first + n] = value
                else:
                    others[first + n] = parsing.normalize_text(value)
            if dates:
                updates.append(
                    ColumnUpdate(target.name, header_rows[target.key], header, dates, "yyyy-mm-dd")
                )
            if others:
                updates.append(ColumnUpdate(target.name, header_rows[target.key], header, others))
    return updates


def _order(plan: Plan, header: str) -> tuple[int, int]:
    for n, sheet in enumerate(plan.sheets):
        for index, text in sheet.unmapped:
            if text == header:
                return (n, index)
    return (len(plan.sheets), 0)


def write_new(plan: Plan, output: Path, force: bool = False) -> int:
    """``-o``: a new ledger from the template holding the plan's rows; unmapped source columns
    are kept as extra columns to the right. Returns the number of rows written."""
    from lyue_xl.workbook.package import build_package
    from lyue_xl.workbook.safe_write import atomic_write
    from lyue_xl.workbook.template import FIRST_DATA_ROW, HEADER_ROW, write_template

    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise LyueError(f"新台账应以 .xlsx 结尾（收到“{output.name}”）；请换一个文件名。")
    if output.exists() and not force:
        raise LyueError(f"“{output}”已存在；请换一个文件名，或用 --into 追加到已有台账。")
    if _same(output, plan.source):
        raise LyueError("输出文件不能是要导入的源文件；请换一个文件名。")
    keys = {t.key for t in TARGETS}
    starts = dict.fromkeys(keys, FIRST_DATA_ROW)
    header_rows = dict.fromkeys(keys, HEADER_ROW)
    updates = _updates(plan, starts, header_rows, {}, None)

    def write(out: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="lyue-import-") as folder:
            blank = Path(folder) / "台账.xlsx"
            write_template(blank, "")
            build_package(blank, blank, [], updates, out)  # type: ignore[arg-type]

    atomic_write(output, write, backups=0 if not output.exists() else 5)
    return len(plan.rows)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def append_into(plan: Plan, ledger: Path) -> int:
    """``--into``: append the plan's rows below the last used row of each target sheet of an
    existing ledger, editing only those cells (zip level, backed up, atomic). Rows whose id is
    already there are reported in ``plan.problems`` and not written."""
    from lyue_xl.workbook.package import write_results

    ledger = Path(ledger)
    if _same(ledger, plan.source):
        raise LyueError("--into 的台账不能是要导入的源文件；请指定另一份台账。")
    if ledger.suffix.lower() not in (".xlsx", ".xlsm"):
        raise LyueError(f"--into 应指定 .xlsx 台账（收到“{ledger.name}”）。")
    needed = sorted({row.target for row in plan.rows})
    records = read_records(ledger, need=needed)
    existing: dict[str, set[str]] = {}
    starts: dict[str, int] = {}
    header_rows: dict[str, int] = {}
    labels: dict[str, dict[str, str]] = {}
    extras: dict[str, set[str]] = {}
    book = open_calamine(ledger)
    try:
        for key in needed:
            table = records.tables[key]
            ids = table.frame[ID_KEYS[key]]
            existing[key] = {str(v) for v in ids if v}
            header_rows[key] = table.header_row
            labels[key] = {k: table.header_text(k) for k in table.header.columns}
            extras[key] = {fold(t) for _, t in table.header.unplaced}
            actual = next(n for n in records.sheet_names if fold(n) == fold(table.sheet.name))
            grid = read_grid(book, actual)
            used = max(
                (r + 1 for r, cells in enumerate(grid) if any(_text(v) for v in cells)),
                default=table.header_row,
            )
            starts[key] = max(used, table.header_row) + 1
    finally:
        book.close()
    _mark_duplicates(plan, existing)
    if not plan.rows:
        return 0
    updates = _updates(plan, starts, header_rows, labels, extras)
    # no sheet is transplanted, so the ledger itself stands in for the generated workbook
    write_results(ledger, ledger, [], updates)  # type: ignore[arg-type]
    return len(plan.rows)


# --- the mapping workbook -----------------------------------------------------------------------


def save_mapping(plan: Plan, path: Path) -> None:
    """An editable mapping workbook: one row per source header, one per converted value."""
    import xlsxwriter

    from lyue_xl.workbook.safe_write import atomic_write

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise LyueError(f"映射表应以 .xlsx 结尾（收到“{path.name}”）。")
    if _same(path, plan.source):
        raise LyueError("映射表不能覆盖要导入的源文件；请换一个文件名。")

    def write(out: Path) -> None:
        book = xlsxwriter.Workbook(
            str(out), {"strings_to_numbers": False, "strings_to_formulas": False}
        )
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        ws = book.add_worksheet(MAP_SHEET)
        ws.write_string(
            0, 0, "导入列映射：改“对应列”（留空或填“（不导入）”则不导入），改好后用 --map 传回。"
        )
        for c, label in enumerate(MAP_HEADERS):
            ws.write_string(1, c, label, bold)
        done: set[str] = set()
        r = 2
        all_labels = [c.label for t in TARGETS for c in t.user_columns]
        for s in plan.sheets:
            entries = [
                (m.index, m.text, s.target.column(k).label, m.factor) for k, m in s.columns.items()
            ]
            entries += [(i, t, SKIP, 1.0) for i, t in s.unmapped]
            for _index, text, label, factor in sorted(entries):
                if fold(text) in done:
                    continue
                done.add(fold(text))
                ws.write_string(r, 0, text)
                ws.write_string(r, 1, s.target.name)
                ws.write_string(r, 2, label)
                ws.write_number(r, 3, factor)
                ws.write_string(r, 4, f"来自工作表「{s.name}」")
                r += 1
        if r > 2:
            ws.data_validation(
                2, 1, r - 1, 1, {"validate": "list", "source": [t.name for t in TARGETS]}
            )
            lists = book.add_worksheet("列名")
            for n, label in enumerate([SKIP, *dict.fromkeys(all_labels)]):
                lists.write_string(n, 0, label)
            ws.data_validation(
                2,
                2,
                r - 1,
                2,
                {"validate": "list", "source": f"=列名!$A$1:$A${len(all_labels) + 1}"},
            )
        ws.set_column(0, 0, 24)
        ws.set_column(1, 2, 18)
        ws.set_column(4, 4, 24)
        vs = book.add_worksheet(VALUE_SHEET)
        vs.write_string(0, 0, "取值映射：源台账中的写法 → 导入为下拉列表中的值；可增删行。")
        for c, label in enumerate(VALUE_HEADERS):
            vs.write_string(1, c, label, bold)
        seen: set[tuple[str, str]] = set()
        r = 2
        for p in plan.problems:
            if p.code not in ("value-mapped", "value-invalid"):
                continue
            target_label = _target_label(plan, p)
            if target_label is None:
                continue
            typed = parsing.normalize_text(p.value)
            if (target_label, typed) in seen:
                continue
            seen.add((target_label, typed))
            vs.write_string(r, 0, target_label)
            vs.write_string(r, 1, typed)
            vs.write_string(r, 2, _mapped_to(plan, p) or "")
            r += 1
        vs.set_column(0, 2, 20)
        book.close()

    atomic_write(path, write)


def _target_label(plan: Plan, p: Problem) -> str | None:
    for s in plan.sheets:
        if s.name != p.sheet:
            continue
        for key, m in s.columns.items():
            if p.column == f"{m.text}({column_letter(m.index)})":
                return s.target.column(key).label
    return None


def _mapped_to(plan: Plan, p: Problem) -> str | None:
    for row in plan.rows:
        if row.sheet == p.sheet and row.source_row == p.row:
            for s in plan.sheets:
                if s.name == row.sheet:
                    for key, m in s.columns.items():
                        if p.column == f"{m.text}({column_letter(m.index)})":
                            value = row.values.get(key)
                            return str(value) if p.code == "value-mapped" and value else None
    return None


def load_mapping(path: Path) -> Mapping:
    """Read a mapping workbook written by :func:`save_mapping` (and edited by the user)."""
    path = Path(path)
    book = open_calamine(path)
    try:
        names = {fold(n): n for n in book.sheet_names}
        if fold(MAP_SHEET) not in names:
            raise LyueError(
                f"映射表“{path.name}”中没有工作表「{MAP_SHEET}」；请用 --save-map 生成的映射表。"
            )
        grid = read_grid(book, names[fold(MAP_SHEET)])
        values_grid = (
            read_grid(book, names[fold(VALUE_SHEET)]) if fold(VALUE_SHEET) in names else []
        )
    finally:
        book.close()
    mapping = Mapping()
    head = _header_index(grid, MAP_HEADERS[:3], path, MAP_SHEET)
    if head is None:
        return mapping
    r0, idx = head
    by_name = {fold(t.name): t for t in TARGETS}
    for n, cells in enumerate(grid[r0 + 1 :], start=r0 + 2):

        def cell(label: str, cells: list[object] = cells) -> str:
            i = idx.get(label)
            return _text(cells[i]) if i is not None and i < len(cells) else ""

        header = cell("源表头")
        if not header:
            continue
        target = by_name.get(fold(cell("导入到工作表")), schema.CONTRACTS)
        label = cell("对应列")
        if not label or fold(label) == fold(SKIP):
            mapping.columns[fold(header)] = (target.key, None, 1.0)
            continue
        found = headers.match_cell(target, label)
        if found is None:
            raise LyueError(
                f"映射表「{MAP_SHEET}」第{n}行：“{label}”不是「{target.name}」的列；"
                f"请填写其中的列名（如 {'、'.join(c.label for c in target.user_columns[:5])}）或“{SKIP}”。"
            )
        factor_text = cell("换算倍数")
        try:
            factor = parsing.parse_amount(factor_text) or 1.0 if factor_text else 1.0
        except ValueError:
            raise LyueError(
                f"映射表「{MAP_SHEET}」第{n}行的换算倍数“{factor_text}”不是数字；万元请填 10000。"
            ) from None
        mapping.columns[fold(header)] = (target.key, found.key, factor * found.factor)
    head = _header_index(values_grid, VALUE_HEADERS, path, VALUE_SHEET) if values_grid else None
    if head is not None:
        r0, idx = head
        for cells in values_grid[r0 + 1 :]:
            get = {k: _text(cells[i]) if i < len(cells) else "" for k, i in idx.items()}
            label, typed, word = get["对应列"], get["源值"], get["导入为"]
            if not (label and typed and word):
                continue
            for target in TARGETS:
                found = headers.match_cell(target, label)
                if found is not None:
                    mapping.values.setdefault((target.key, found.key), {})[fold(typed)] = word
    return mapping


def _header_index(
    grid: Grid, labels: Sequence[str], path: Path, sheet: str
) -> tuple[int, dict[str, int]] | None:
    known = {*labels, *MAP_HEADERS, *VALUE_HEADERS}
    for r, cells in enumerate(grid[:SEARCH_ROWS]):
        idx = {_text(v): c for c, v in enumerate(cells) if _text(v) in known}
        if all(label in idx for label in labels):
            return r, idx
    raise LyueError(
        f"映射表“{path.name}”的「{sheet}」中找不到表头（{'、'.join(labels)}）；请用 --save-map 生成的映射表。"
    )


# --- the whole command --------------------------------------------------------------------------


@dataclass
class Result:
    plan: Plan
    written: int = 0
    output: Path | None = None
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        data = self.plan.as_json()
        data.update(
            {
                "dry_run": self.dry_run,
                "written": self.written,
                "output": str(self.output) if self.output else None,
            }
        )
        return data

    def lines(self) -> list[str]:
        """The Chinese summary the CLI and the window show."""
        plan = self.plan
        out: list[str] = []
        for s in plan.sheets:
            out.append(
                f"工作表「{s.name}」：第 {s.header_rows[0]}"
                + (f"–{s.header_rows[1]}" if s.header_rows[1] != s.header_rows[0] else "")
                + f" 行为表头，{s.rows} 行数据 → 「{s.target.name}」"
            )
            for key, m in sorted(s.columns.items(), key=lambda km: km[1].index):
                unit = f"（×{m.factor:g}）" if m.factor != 1.0 else ""
                out.append(
                    f"  {column_letter(m.index)} “{m.text}” → {s.target.column(key).label}{unit}"
                )
            for index, text in s.unmapped:
                out.append(
                    f"  {column_letter(index)} “{text}” → 未对应任何列（"
                    + (
                        "保留为新台账右侧的附加列）"
                        if self.output and not self.dry_run
                        else "不导入）"
                    )
                )
        for name, reason in plan.skipped_sheets:
            out.append(f"工作表「{name}」：{reason}，未导入。")
        for p in plan.problems:
            out.append(f"[{p.level}] {p.message}")
        if self.dry_run:
            out.append(f"预览：将写入 {len(plan.rows)} 行（未写入任何文件）。")
        elif self.output is not None:
            out.append(f"已导入 {self.written} 行到“{self.output}”。请运行 check 核对。")
        return out


def run_import(
    source: Path,
    *,
    sheets: Sequence[str] = (),
    into: Path | None = None,
    output: Path | None = None,
    map_path: Path | None = None,
    save_map: Path | None = None,
    dry_run: bool = False,
    nature: str | None = None,
) -> Result:
    """`lyue-xl import`: plan, optionally save the mapping workbook, then write (unless dry run)."""
    if into is not None and output is not None:
        raise LyueError("--into 和 -o 只能选一个：追加到已有台账用 --into，新建台账用 -o。")
    if not dry_run and into is None and output is None and save_map is None:
        raise LyueError(
            "请指定导入到哪里：--into 台账.xlsx（追加到已有台账）或 -o 新台账.xlsx（新建）；"
            "只想预览请加 --dry-run。"
        )
    mapping = load_mapping(Path(map_path)) if map_path is not None else None
    natures = ledger_natures(Path(into)) if into is not None else None
    plan = plan_import(Path(source), sheets, mapping, nature, strict=not dry_run, natures=natures)
    result = Result(plan, dry_run=dry_run)
    if save_map is not None:
        save_mapping(plan, Path(save_map))
    if dry_run:
        if into is not None:
            # duplicates against the ledger are part of the preview
            _preview_into(plan, Path(into))
        return result
    if into is not None:
        result.written = append_into(plan, Path(into))
        result.output = Path(into)
    elif output is not None:
        result.written = write_new(plan, Path(output))
        result.output = Path(output)
    return result


def _preview_into(plan: Plan, ledger: Path) -> None:
    preview_against(plan, read_records(ledger, need=()))


def preview_against(plan: Plan, records: Records) -> None:
    """Mark the plan's rows whose id the ledger ``records`` already hold (a preview of --into)."""
    needed = sorted({row.target for row in plan.rows})
    existing = {
        key: {str(v) for v in records.tables[key].frame[ID_KEYS[key]] if v}
        for key in needed
        if records.tables[key].present
    }
    _mark_duplicates(plan, existing)


def ledger_natures(ledger: Path | Records) -> dict[str, str]:
    """合同编号 -> 合同性质 of an existing ledger (the default 收付类型 of imported 款项)."""
    records = ledger if isinstance(ledger, Records) else read_records(ledger, need=())
    table = records.tables["contracts"]
    if not table.present:
        return {}
    frame = table.frame
    return {
        str(no): str(nature)
        for no, nature in zip(frame["contract_no"], frame["nature"], strict=True)
        if no and nature
    }
