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

from lyue_xl.results import BASE, STYLES, EngineColumn, ResultSheet
from lyue_xl.schema import fold
from lyue_xl.workbook.reader import column_letter

TEXT_PREFIX = "'"  # Excel stores what follows as text and does not show the apostrophe
ADDRESS_LIMIT = 250  # COM's Range("A1,B2,...") takes at most 255 characters
HEIGHT_CHUNKS = 40  # more row-height addresses than this: one AutoFit over the rows instead


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
    return _excel_style(STYLES[name])


def base_style() -> ExcelStyle:
    """What every result cell shares (`lyue_xl.results.BASE`): set once over a sheet's area."""
    return _excel_style(BASE)


def style_delta(name: str) -> ExcelStyle:
    """:func:`excel_style` less what :func:`base_style` already set (fewer COM calls)."""
    style, base = excel_style(name), base_style()
    return ExcelStyle(
        **{
            **style.__dict__,
            "font_name": None if style.font_name == base.font_name else style.font_name,
            "font_size": None if style.font_size == base.font_size else style.font_size,
        }
    )


FORMAT_PROPERTIES = (
    "number_format",
    "fill",
    "font_name",
    "font_size",
    "font_color",
    "bold",
    "italic",
    "underline",
    "border",
    "center",
    "wrap",
    "top",
)


def format_operations(styles: dict[str, list[str]]) -> list[tuple[str, object, list[str]]]:
    """(property, value, areas): each format property set once over the union of the areas of
    every style that has it (after :func:`base_style`), e.g. one border call for all bordered
    cells of a sheet rather than one per style. Properties a style does not set are left as the
    base set them (False, None)."""
    union: dict[tuple[str, object], list[str]] = {}
    for name, areas in styles.items():
        delta = style_delta(name)
        for prop in FORMAT_PROPERTIES:
            value = getattr(delta, prop)
            if value not in (None, False):
                union.setdefault((prop, value), []).extend(areas)
    return [(prop, value, sorted(areas, key=_area_order)) for (prop, value), areas in union.items()]


def _excel_style(props: dict[str, object]) -> ExcelStyle:

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


def _format_free(style: str) -> dict[str, object]:
    return {k: v for k, v in STYLES.get(style, {}).items() if k != "num_format"}


def joined_blanks(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """``rows`` with each empty cell given the style of the cell above it when the two styles
    differ only in number format (a number format on an empty cell shows nothing).

    A 预警清单 column of dates with blanks in between then forms one area instead of one area
    per run, so the Excel writer formats it with a few COM calls whatever the number of rows.
    """
    out: list[list[object]] = []
    above: dict[int, str] = {}
    same: dict[tuple[str, str], bool] = {}
    for cells in rows:
        row: list[object] = []
        for c, cell in enumerate(cells):
            style = getattr(cell, "style", None) if cell is not None else None
            if style is None:
                row.append(cell)
                above.pop(c, None)
                continue
            prev = above.get(c)
            value = getattr(cell, "value", None)
            if prev is not None and prev != style and value in (None, ""):
                key = (prev, style)
                if key not in same:
                    same[key] = _format_free(prev) == _format_free(style)
                if same[key]:
                    row.append(_Styled(prev))
                    continue
            above[c] = style
            row.append(cell)
        out.append(row)
    return out


@dataclass(frozen=True, slots=True)
class _Styled:
    style: str


def width_areas(widths: Sequence[tuple[int, float]]) -> dict[float, list[str]]:
    """Width → the cells of row 1 (``A1``, ``C1:E1``) whose columns take it."""
    by_width: dict[float, list[int]] = {}
    for column, width in sorted(widths):
        by_width.setdefault(width, []).append(column)
    return {
        width: [area_address(1, first, 1, run[-1]) for first, run in _runs(columns)]
        for width, columns in sorted(by_width.items())
    }


def height_areas(heights: Sequence[tuple[int, float]]) -> dict[float, list[str]]:
    """Height → the row ranges (``A5:A9``) that take it: one COM call per distinct height and
    address chunk, not one per row."""
    by_height: dict[float, list[int]] = {}
    for row, height in sorted(heights):
        by_height.setdefault(height, []).append(row)
    return {
        height: [area_address(first, 1, run[-1], 1) for first, run in _runs(rows)]
        for height, rows in sorted(by_height.items())
    }


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
    text_cell: str  # the hidden helper cell holding ``text`` as a value, e.g. "J5"


def link_formula(target: str, text_cell: str) -> str:
    """``=HYPERLINK("#'合同台账'!A12",J5)``: built only from the engine's own address of the
    record (sheet and row) and a reference to the cell that holds the display text as a value.

    Written with the sheet's values in one ``Range.value`` call, so the links of a 预警清单 cost
    no COM call of their own (``Hyperlinks.Add`` costs several per link). The user's text is
    never part of the formula (DESIGN §6): it sits, protected, in ``text_cell``.
    """
    return '=HYPERLINK("#' + target.replace('"', '""') + '",' + text_cell + ")"


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
    hidden_column: int | None = None  # 1-based helper column holding the links' display texts
    width_areas: dict[float, list[str]] = field(default_factory=dict)  # width -> row-1 areas
    height_areas: dict[float, list[str]] = field(default_factory=dict)  # height -> row areas
    autofit_rows: str | None = None  # rows Excel fits to their wrapped text (when too scattered)

    @property
    def area(self) -> str | None:
        if not self.values or not self.values[0]:
            return None
        return area_address(1, 1, len(self.values), len(self.values[0]))


CHART_KINDS = {"line": "line_markers", "column": "column_clustered"}
PIXELS_TO_POINTS = 0.75


def sheet_plan(sheet: ResultSheet) -> SheetPlan:
    """The sheet as a handful of bulk operations, whatever its number of rows.

    Links become ``HYPERLINK`` formulas (:func:`link_formula`) whose display texts sit in one
    hidden helper column right of the table (inside the autofilter, so that sorting moves them
    with their rows); row heights are set per distinct height over row ranges, or fitted by
    Excel in one call when they are too scattered for a few address strings.
    """
    width = max((len(cells) for cells in sheet.rows), default=0)
    has_links = any(cell is not None and cell.link for cells in sheet.rows for cell in cells)
    helper = width + 1 if has_links else None
    values: list[list[object]] = []
    links: list[LinkPlan] = []
    for r, cells in enumerate(sheet.rows, start=1):
        row = [excel_value(cell.value) if cell is not None else None for cell in cells]
        row += [None] * (width - len(cells))
        if helper is not None:
            row.append(None)
            for c, cell in enumerate(cells, start=1):
                if cell is None or not cell.link:
                    continue
                text = "" if cell.value is None else str(cell.value)
                text_cell = cell_address(r, helper)
                links.append(LinkPlan(cell_address(r, c), cell.link, text, text_cell))
                row[helper - 1] = excel_value(text)
                row[c - 1] = link_formula(cell.link, text_cell)
        values.append(row)
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
        if helper is not None and c1 + 2 == helper:  # the helper column sorts with its rows
            c1 += 1
        autofilter = area_address(r0 + 1, c0 + 1, r1 + 1, c1 + 1)
    heights = [(r + 1, h) for r, h in sorted(sheet.heights.items())]
    areas = height_areas(heights)
    autofit = None
    if sum(len(address_chunks(a)) for a in areas.values()) > HEIGHT_CHUNKS:
        autofit = area_address(heights[0][0], 1, heights[-1][0], 1)
        areas = {}
    return SheetPlan(
        name=sheet.name,
        values=values,
        styles=style_areas(joined_blanks(sheet.rows)),
        links=links,
        widths=[(c, w) for c, w in enumerate(sheet.widths, start=1)],
        width_areas=width_areas(list(enumerate(sheet.widths, start=1))),
        heights=heights,
        height_areas=areas,
        autofit_rows=autofit,
        hidden_column=helper,
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


@dataclass(frozen=True)
class BlockWrite:
    """One ``Range.value`` call: a rectangle of engine-column values from (row, column)."""

    sheet: str
    row: int
    column: int
    values: list[list[object]]


def column_writes(plans: Sequence[ColumnPlan]) -> list[BlockWrite]:
    """The values of every column plan, adjacent columns over the same rows joined into one
    rectangle (a sheet's four supplier columns: one COM call, not four)."""
    blocks: dict[tuple[str, int, int], dict[int, list[object]]] = {}  # (sheet, row, n) -> col
    for plan in plans:
        for first, values in plan.blocks:
            blocks.setdefault((plan.sheet, first, len(values)), {})[plan.column] = values
    out: list[BlockWrite] = []
    for (sheet, first, _), by_column in blocks.items():
        columns = sorted(by_column)
        for start, run in _runs(columns):
            rows = [list(cells) for cells in zip(*(by_column[c] for c in run), strict=True)]
            out.append(BlockWrite(sheet, first, start, rows))
    return out


def column_formats(plans: Sequence[ColumnPlan]) -> list[tuple[str, str, list[str]]]:
    """(sheet, number format, areas): one format call per sheet, format and address chunk."""
    union: dict[tuple[str, str], list[str]] = {}
    for plan in plans:
        if plan.number_format:
            union.setdefault((plan.sheet, plan.number_format), []).extend(plan.format_areas)
    return [(sheet, fmt, areas) for (sheet, fmt), areas in union.items()]


def _runs(rows: Sequence[int]) -> list[tuple[int, list[int]]]:
    """Consecutive row numbers grouped: [3,4,5,9] → [(3,[3,4,5]), (9,[9])]."""
    runs: list[tuple[int, list[int]]] = []
    for row in rows:
        if runs and runs[-1][1][-1] + 1 == row:
            runs[-1][1].append(row)
        else:
            runs.append((row, [row]))
    return runs
