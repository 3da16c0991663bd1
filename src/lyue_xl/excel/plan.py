"""How the Excel writer lays results out: pure functions, no xlwings, tested here.

`lyue_xl.excel.xlbook.ExcelBook` only carries these plans out through xlwings, so every decision
(what goes in which cell, which text is protected from becoming a formula, which cells get
which format, where an engine column goes) is made here, in code that runs without Excel.

Conventions: rows and columns in plans are 1-based, as Excel shows them; ``values`` are what
is assigned to ``Range.value`` (one call per block), already made safe by :func:`excel_value`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from lyue_xl.results import STYLES, EngineColumn, ResultSheet
from lyue_xl.schema import fold
from lyue_xl.workbook.reader import column_letter

TEXT_PREFIX = "'"  # Excel stores what follows as text and does not show the apostrophe
ADDRESS_LIMIT = 250  # COM's Range("A1,B2,...") takes at most 255 characters


# --- values ------------------------------------------------------------------------------------


def excel_value(value: object) -> object:
    """A cell value as assigned through COM, so that Excel stores exactly what was meant.

    Excel parses a string assigned to ``Range.Value`` as if it were typed: ``=…`` becomes a
    formula, ``2025/7/20`` a date, ``1-2`` a date, ``12%`` a number. Every non-empty string is
    therefore written with a leading apostrophe (DESIGN §6: user text is data, never a formula).
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return TEXT_PREFIX + ("是" if value else "否")
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, int | float | date):
        return value
    return TEXT_PREFIX + str(value)


def grid_from_values(values: object) -> list[list[object]]:
    """xlwings' ``range.options(ndim=2).value`` → the reader's grid (what calamine gives).

    Blank → ``''``; a whole-day datetime → a date (time-of-day kept otherwise); an int → float;
    trailing empty rows and columns dropped, rows padded to one width.
    """
    if values is None:
        return []
    rows = values if isinstance(values, list) else [[values]]
    rows = [row if isinstance(row, list) else [row] for row in rows]
    grid = [[_grid_cell(cell) for cell in row] for row in rows]
    while grid and all(cell == "" for cell in grid[-1]):
        grid.pop()
    width = max((_last_filled(row) + 1 for row in grid), default=0)
    return [row[:width] + [""] * (width - len(row)) for row in grid]


def _grid_cell(cell: object) -> object:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == datetime.min.time() else cell
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int):
        return float(cell)
    if isinstance(cell, float) and math.isnan(cell):
        return ""
    return cell


def _last_filled(row: Sequence[object]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index] != "":
            return index
    return -1


# --- addresses ---------------------------------------------------------------------------------


def cell_address(row: int, column: int) -> str:
    """1-based row and column → ``B5``."""
    return f"{column_letter(column - 1)}{row}"


def area_address(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    first = cell_address(first_row, first_col)
    last = cell_address(last_row, last_col)
    return first if first == last else f"{first}:{last}"


def address_chunks(areas: Iterable[str], limit: int = ADDRESS_LIMIT) -> list[str]:
    """Join areas into comma-separated addresses COM accepts (each at most ``limit`` chars)."""
    chunks: list[str] = []
    current = ""
    for area in areas:
        candidate = f"{current},{area}" if current else area
        if len(candidate) > limit and current:
            chunks.append(current)
            current = area
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


# --- styles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExcelStyle:
    """The parts of a `lyue_xl.results.STYLES` entry the Excel writer applies."""

    number_format: str | None
    fill: str | None  # "#RRGGBB"
    font_color: str | None
    font_name: str | None
    font_size: float | None
    bold: bool
    italic: bool
    underline: bool
    border: bool
    center: bool
    wrap: bool
    top: bool  # vertical alignment top (else centred)


def excel_style(name: str) -> ExcelStyle:
    props = STYLES[name]

    def text(key: str) -> str | None:
        value = props.get(key)
        return None if value is None else str(value)

    size = props.get("font_size")
    return ExcelStyle(
        number_format=text("num_format"),
        fill=text("bg_color"),
        font_color=text("font_color"),
        font_name=text("font_name"),
        font_size=float(size) if isinstance(size, int | float) else None,
        bold=bool(props.get("bold")),
        italic=bool(props.get("italic")),
        underline=bool(props.get("underline")),
        border=bool(props.get("border")),
        center=props.get("align") == "center",
        wrap=bool(props.get("text_wrap")),
        top=props.get("valign") == "top",
    )


def style_areas(rows: Sequence[Sequence[object]]) -> dict[str, list[str]]:
    """Style name → rectangular areas covering every cell of that style (few, large areas).

    ``rows`` hold cells with a ``style`` attribute (or ``None``). Runs of one style within a row
    are merged, then identical runs on consecutive rows are stacked into one rectangle.
    """
    open_runs: dict[tuple[str, int, int], int] = {}  # (style, first col, last col) -> first row
    done: dict[str, list[str]] = {}

    def close(key: tuple[str, int, int], first_row: int, last_row: int) -> None:
        style, c0, c1 = key
        done.setdefault(style, []).append(area_address(first_row, c0, last_row, c1))

    for r, cells in enumerate(rows, start=1):
        runs: set[tuple[str, int, int]] = set()
        c = 0
        while c < len(cells):
            cell = cells[c]
            style = getattr(cell, "style", None) if cell is not None else None
            if style is None:
                c += 1
                continue
            end = c
            while end + 1 < len(cells) and getattr(cells[end + 1], "style", None) == style:
                end += 1
            runs.add((style, c + 1, end + 1))
            c = end + 1
        for key in [k for k in open_runs if k not in runs]:
            close(key, open_runs.pop(key), r - 1)
        for key in runs:
            open_runs.setdefault(key, r)
    for key, first in open_runs.items():
        close(key, first, len(rows))
    return {style: sorted(areas, key=_area_order) for style, areas in sorted(done.items())}


def _area_order(area: str) -> tuple[int, str]:
    first = area.split(":")[0]
    digits = "".join(ch for ch in first if ch.isdigit())
    return int(digits), first


# --- result sheets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkPlan:
    cell: str  # where the link sits, e.g. "F5"
    target: str  # SubAddress inside the workbook, e.g. "'合同台账'!A12"
    text: str


@dataclass(frozen=True)
class ChartPlan:
    kind: str  # xlwings chart type: "line_markers" or "column_clustered"
    title: str
    source: str  # the series columns, header row included (series names from the header)
    categories: str  # the category cells (no header)
    anchor: str  # top-left cell
    width: float  # points
    height: float
    percent: bool


@dataclass
class SheetPlan:
    name: str
    values: list[list[object]]  # one rectangular block from A1, safe for Range.value
    styles: dict[str, list[str]]
    links: list[LinkPlan]
    widths: list[tuple[int, float]]  # (1-based column, width in characters)
    heights: list[tuple[int, float]]  # (1-based row, height in points) for wrapped text
    charts: list[ChartPlan]
    freeze: tuple[int, int] | None  # rows and columns to keep in view (xlsxwriter's freeze_panes)
    autofilter: str | None
    print_titles: str | None = None  # rows repeated on every printed page, e.g. "$4:$4"

    @property
    def area(self) -> str | None:
        if not self.values or not self.values[0]:
            return None
        return area_address(1, 1, len(self.values), len(self.values[0]))


CHART_KINDS = {"line": "line_markers", "column": "column_clustered"}
PIXELS_TO_POINTS = 0.75


def sheet_plan(sheet: ResultSheet) -> SheetPlan:
    width = max((len(cells) for cells in sheet.rows), default=0)
    values = [
        [excel_value(cell.value) if cell is not None else None for cell in cells]
        + [None] * (width - len(cells))
        for cells in sheet.rows
    ]
    links = [
        LinkPlan(cell_address(r, c), cell.link, "" if cell.value is None else str(cell.value))
        for r, cells in enumerate(sheet.rows, start=1)
        for c, cell in enumerate(cells, start=1)
        if cell is not None and cell.link
    ]
    charts = []
    for chart in sheet.charts:
        first, last, cat_col = chart.categories
        columns = sorted(col for _, col in chart.series)
        if columns != list(range(columns[0], columns[-1] + 1)):
            raise ValueError(f"chart {chart.title!r}: series columns must be adjacent")
        charts.append(
            ChartPlan(
                kind=CHART_KINDS[chart.kind],
                title=chart.title,
                source=area_address(first, columns[0] + 1, last + 1, columns[-1] + 1),
                categories=area_address(first + 1, cat_col + 1, last + 1, cat_col + 1),
                anchor=cell_address(chart.anchor[0] + 1, chart.anchor[1] + 1),
                width=chart.size[0] * PIXELS_TO_POINTS,
                height=chart.size[1] * PIXELS_TO_POINTS,
                percent=chart.percent,
            )
        )
    autofilter = None
    if sheet.autofilter:
        r0, c0, r1, c1 = sheet.autofilter
        autofilter = area_address(r0 + 1, c0 + 1, r1 + 1, c1 + 1)
    return SheetPlan(
        name=sheet.name,
        values=values,
        styles=style_areas(sheet.rows),
        links=links,
        widths=[(c, w) for c, w in enumerate(sheet.widths, start=1)],
        heights=[(r + 1, h) for r, h in sorted(sheet.heights.items())],
        charts=charts,
        freeze=sheet.freeze,
        autofilter=autofilter,
        print_titles=(
            f"${sheet.print_titles + 1}:${sheet.print_titles + 1}"
            if sheet.print_titles is not None
            else None
        ),
    )


# --- engine columns ----------------------------------------------------------------------------


@dataclass
class ColumnPlan:
    """Where one engine column goes in a user sheet and what to write there."""

    sheet: str
    header_row: int
    column: int  # 1-based
    new_header: str | None  # the label to write when the column was appended
    blocks: list[tuple[int, list[object]]] = field(default_factory=list)  # (first row, values)
    number_format: str | None = None
    format_areas: list[str] = field(default_factory=list)


def locate_column(header_cells: Sequence[object], label: str) -> tuple[int, bool]:
    """(1-based column, found) of ``label`` in a header row; appended after the last label."""
    wanted = fold(label)
    last = 0
    for index, cell in enumerate(header_cells, start=1):
        text = fold(cell) if cell not in (None, "") else ""
        if text == wanted:
            return index, True
        if text:
            last = index
    return last + 1, False


def column_plans(
    columns: Sequence[EngineColumn], header_cells: Callable[[str, int], list[object]]
) -> list[ColumnPlan]:
    """Plan every engine column; ``header_cells(sheet, row)`` reads a header row's values.

    A column missing from a hand-made sheet is appended after its last header label, once
    (several `EngineColumn` entries of one label — 实际值 per number format — share it).
    """
    headers: dict[tuple[str, int], list[object]] = {}
    plans: list[ColumnPlan] = []
    for column in columns:
        key = (column.sheet, column.header_row)
        if key not in headers:
            headers[key] = list(header_cells(column.sheet, column.header_row))
        cells = headers[key]
        index, found = locate_column(cells, column.label)
        if not found:
            cells.extend([""] * (index - len(cells)))
            cells[index - 1] = column.label
        plan = ColumnPlan(
            column.sheet,
            column.header_row,
            index,
            None if found else column.label,
            number_format=column.number_format,
        )
        rows = sorted(r for r in column.values if r != column.header_row)
        for first, run in _runs(rows):
            values = [excel_value(column.values[r]) for r in run]
            plan.blocks.append((first, values))
            plan.format_areas.append(area_address(first, index, run[-1], index))
        plans.append(plan)
    return plans


def _runs(rows: Sequence[int]) -> list[tuple[int, list[int]]]:
    """Consecutive row numbers grouped: [3,4,5,9] → [(3,[3,4,5]), (9,[9])]."""
    runs: list[tuple[int, list[int]]] = []
    for row in rows:
        if runs and runs[-1][1][-1] + 1 == row:
            runs[-1][1].append(row)
        else:
            runs.append((row, [row]))
    return runs
