"""`Book` on a workbook open in Excel, through xlwings (Windows; BSD parts of xlwings only).

Thin on purpose: every decision (values, text protection, formats by area, where an engine
column goes, chart ranges) is made by `lyue_xl.excel.plan` and tested without Excel; this class
only carries the plans out. Values go in one ``Range.value`` call per block, never cell by cell.
Nothing here saves the workbook: the user sees the results and saves (Ctrl+S) when satisfied.

Needs Windows with Excel to run; not exercised here beyond a stand-in object in the tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lyue_xl.excel.plan import (
    ChartPlan,
    ColumnPlan,
    SheetPlan,
    address_chunks,
    cell_address,
    column_plans,
    excel_style,
    grid_from_values,
    sheet_plan,
)
from lyue_xl.results import EngineColumn, ResultSheet

# Excel constants (COM enumerations)
XL_FORMULAS = -4123
XL_BY_ROWS, XL_BY_COLUMNS = 1, 2
XL_PREVIOUS = 2
XL_CONTINUOUS = 1
XL_CENTER = -4108
XL_TOP = -4160
XL_VALUE_AXIS = 2


class ExcelBook:
    """A workbook open in Excel (``xw.Book``), e.g. ``ExcelBook(xw.Book.caller())``."""

    def __init__(self, book: Any) -> None:
        self.book = book

    @property
    def name(self) -> str:
        return str(self.book.name)

    @property
    def path(self) -> Path | None:
        full = Path(str(self.book.fullname))
        return full if full.is_absolute() and full.is_file() else None

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def grid(self, name: str) -> list[list[object]]:
        sheet = self.book.sheets[name]
        last_row, last_col = _data_extent(sheet)
        if not last_row:
            return []
        values = sheet.range((1, 1), (last_row, last_col)).options(ndim=2).value
        return grid_from_values(values)

    def write_results(self, sheets: list[ResultSheet], columns: list[EngineColumn]) -> None:
        with self._quiet():
            for sheet in sheets:
                self._write_sheet(sheet_plan(sheet))
            for plan in column_plans(columns, self._header_cells):
                self._write_column(plan)

    def save_note(self) -> str:
        return "结果已写入当前打开的工作簿，尚未保存；请查看后按 Ctrl+S 保存。"

    # --- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        app = self.book.app
        active = self.book.sheets.active
        updating = app.screen_updating
        app.screen_updating = False
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                active.activate()
            app.screen_updating = updating

    def _engine_sheet(self, name: str) -> Any:
        """The sheet emptied (same sheet object: formulas elsewhere that point at it survive)."""
        if name in self.sheet_names():
            sheet = self.book.sheets[name]
            for chart in list(sheet.charts):
                chart.delete()
            sheet.api.AutoFilterMode = False
            sheet.clear()
            return sheet
        return self.book.sheets.add(name, after=self.book.sheets[-1])

    def _write_sheet(self, plan: SheetPlan) -> None:
        sheet = self._engine_sheet(plan.name)
        if plan.area:
            sheet.range(plan.area).value = plan.values
        for style_name, areas in plan.styles.items():
            style = excel_style(style_name)
            for address in address_chunks(areas):
                _apply_style(sheet.range(address), style)
        for column, width in plan.widths:
            sheet.range((1, column)).column_width = width
        for row, height in plan.heights:
            sheet.range((row, 1)).row_height = height
        for link in plan.links:  # the cell already holds its text (protected): keep it
            sheet.api.Hyperlinks.Add(
                Anchor=sheet.range(link.cell).api, Address="", SubAddress=link.target
            )
        for chart in plan.charts:
            _add_chart(sheet, chart)
        if plan.autofilter:
            sheet.range(plan.autofilter).api.AutoFilter()
        if plan.freeze:
            _freeze(sheet, *plan.freeze)
        _print_setup(sheet.api.PageSetup, plan.print_titles)

    def _header_cells(self, sheet_name: str, row: int) -> list[object]:
        sheet = self.book.sheets[sheet_name]
        _, last_col = _data_extent(sheet)
        if not last_col:
            return []
        values = sheet.range((row, 1), (row, last_col)).options(ndim=2).value
        return grid_from_values(values)[0] if values else []

    def _write_column(self, plan: ColumnPlan) -> None:
        sheet = self.book.sheets[plan.sheet]
        if plan.new_header is not None:
            header = sheet.range((plan.header_row, plan.column))
            if plan.column > 1:  # look like the header cell to its left
                sheet.range((plan.header_row, plan.column - 1)).api.Copy(header.api)
            header.value = "'" + plan.new_header
        if plan.number_format:
            for address in address_chunks(plan.format_areas):
                sheet.range(address).number_format = plan.number_format
        for first, values in plan.blocks:
            sheet.range((first, plan.column)).options(ndim=2).value = [[v] for v in values]


def _data_extent(sheet: Any) -> tuple[int, int]:
    """(last row, last column) holding a value or formula; (0, 0) for an empty sheet.

    ``used_range`` also counts cells that are only formatted (the template formats 5000 rows),
    so ``Find("*")`` backwards gives the real extent; ``used_range`` is the fallback.
    """
    try:
        cells = sheet.api.Cells
        last_row = cells.Find(
            What="*", LookIn=XL_FORMULAS, SearchOrder=XL_BY_ROWS, SearchDirection=XL_PREVIOUS
        )
        if last_row is None:
            return 0, 0
        last_col = cells.Find(
            What="*", LookIn=XL_FORMULAS, SearchOrder=XL_BY_COLUMNS, SearchDirection=XL_PREVIOUS
        )
        return int(last_row.Row), int(last_col.Column)
    except Exception:
        last = sheet.used_range.last_cell
        return int(last.row), int(last.column)


def _apply_style(rng: Any, style: Any) -> None:
    if style.number_format:
        rng.number_format = style.number_format
    if style.fill:
        rng.color = style.fill
    font = rng.font
    if style.font_name:
        font.name = style.font_name
    if style.font_size:
        font.size = style.font_size
    if style.font_color:
        font.color = style.font_color
    if style.bold:
        font.bold = True
    if style.italic:
        font.italic = True
    if style.underline:
        rng.api.Font.Underline = 2  # xlUnderlineStyleSingle
    if style.border:
        rng.api.Borders.LineStyle = XL_CONTINUOUS
    if style.center:
        rng.api.HorizontalAlignment = XL_CENTER
    if style.wrap:
        rng.api.WrapText = True
    rng.api.VerticalAlignment = XL_TOP if style.top else XL_CENTER


def _add_chart(sheet: Any, plan: ChartPlan) -> None:
    chart = sheet.charts.add(
        width=plan.width,
        height=plan.height,
        chart_type=plan.kind,
        source=sheet.range(plan.source),
        plot_by="columns",
        anchor=sheet.range(plan.anchor),
    )
    chart.set_x_axis_values(sheet.range(plan.categories))
    chart.title = plan.title
    if plan.percent:
        axis = chart.api[1].Axes(XL_VALUE_AXIS)
        axis.MinimumScale, axis.MaximumScale = 0, 1
        axis.TickLabels.NumberFormat = "0%"


def _print_setup(setup: Any, titles: str | None) -> None:
    """How the file path prints the sheet (workbook.template.print_setup): A4 landscape, one
    page wide, the header row on every page, the sheet name above and page numbers below."""
    setup.PaperSize = 9  # xlPaperA4
    setup.Orientation = 2  # xlLandscape
    setup.Zoom = False
    setup.FitToPagesWide = 1
    setup.FitToPagesTall = False
    setup.PrintTitleRows = titles or ""
    setup.CenterHeader = "&A"
    setup.CenterFooter = "第 &P 页，共 &N 页"


def _freeze(sheet: Any, rows: int, columns: int) -> None:
    """Freeze panes needs the sheet's window: activate it, then split at the cell."""
    sheet.activate()
    window = sheet.book.app.api.ActiveWindow
    window.FreezePanes = False
    window.ScrollRow, window.ScrollColumn = 1, 1
    sheet.range(cell_address(rows + 1, columns + 1)).select()
    window.FreezePanes = True
