"""`Book` on a workbook open in Excel, through xlwings (Windows; BSD parts of xlwings only).

Thin on purpose: every decision (values, text protection, formats by area, where an engine
column goes, chart ranges) is made by `lyue_xl.excel.plan` and tested without Excel; this class
only carries the plans out. Values go in one ``Range.value`` call per block, never cell by cell.
Nothing here saves the workbook: the user sees the results and saves (Ctrl+S) when satisfied.

Every COM round trip costs 0.1–1 ms in Excel, so the number of calls must not grow with the
number of rows: values in one call per sheet, links as ``HYPERLINK`` formulas inside those
values, formats per style and row heights per distinct height over comma-joined areas (each
address string under COM's 255-character limit, see ``plan.address_chunks``). A refresh makes a
few hundred calls for 50 or 50,000 warnings (tests/test_excel_calls.py counts them).

Needs Windows with Excel to run; not exercised here beyond a stand-in object in the tests.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from lyue_xl.errors import LyueError
from lyue_xl.excel.plan import (
    ChartPlan,
    ColumnPlan,
    SheetPlan,
    address_chunks,
    base_style,
    cell_address,
    column_formats,
    column_plans,
    column_writes,
    format_operations,
    grid_from_values,
    sheet_plan,
)
from lyue_xl.results import EngineColumn, ResultSheet

T = TypeVar("T")

# Excel constants (COM enumerations)
XL_FORMULAS = -4123
XL_BY_ROWS, XL_BY_COLUMNS = 1, 2
XL_PREVIOUS = 2
XL_CONTINUOUS = 1
XL_CENTER = -4108
XL_TOP = -4160
XL_VALUE_AXIS = 2

HEAD_ROWS = 10  # rows of each sheet read that are kept for the engine columns' header lookup


class ExcelBook:
    """A workbook open in Excel (``xw.Book``), e.g. ``ExcelBook(xw.Book.caller())``."""

    def __init__(self, book: Any) -> None:
        self.book = book
        # the first rows of each sheet read (header rows): the engine columns' headers are
        # looked up there instead of reading them again through COM
        self._heads: dict[str, list[list[object]]] = {}
        self._names: list[str] | None = None  # as last listed (a macro run: nobody renames)
        self._by_name: dict[str, Any] = {}

    @property
    def name(self) -> str:
        return str(self.book.name)

    @property
    def path(self) -> Path | None:
        full = Path(str(self.book.fullname))
        return full if full.is_absolute() and full.is_file() else None

    @functools.cached_property
    def _sheets(self) -> Any:
        """The book's sheet collection (live: sheets added later are in it), fetched once."""
        return self.book.sheets

    def sheet_names(self) -> list[str]:
        self._by_name = {sheet.name: sheet for sheet in self._sheets}
        self._names = list(self._by_name)
        return list(self._names)

    def _sheet(self, name: str) -> Any:
        """The sheet object, as listed by :meth:`sheet_names` (no COM call), else looked up."""
        sheet = self._by_name.get(name)
        if sheet is None:
            sheet = self._by_name[name] = self._sheets[name]
        return sheet

    def grid(self, name: str) -> list[list[object]]:
        sheet = self._sheet(name)
        last_row, last_col = _data_extent(sheet)
        if not last_row:
            return []
        values = sheet.range((1, 1), (last_row, last_col)).options(ndim=2).value
        grid = grid_from_values(values)
        self._heads[name] = [list(row) for row in grid[:HEAD_ROWS]]
        return grid

    def write_results(self, sheets: list[ResultSheet], columns: list[EngineColumn]) -> None:
        with self._quiet():
            names = self._names if self._names is not None else self.sheet_names()
            for sheet in sheets:
                self._write_sheet(sheet_plan(sheet), names)
            plans = column_plans(columns, self._header_cells)
            for plan in plans:
                if plan.new_header is not None:
                    self._write_header(plan)
            for sheet_name, number_format, areas in column_formats(plans):
                sheet = self._sheet(sheet_name)
                for address in address_chunks(areas):
                    sheet.range(address).number_format = number_format
            for block in column_writes(plans):
                sheet = self._sheet(block.sheet)
                sheet.range((block.row, block.column)).options(ndim=2).value = block.values

    def edit_file(self, edit: Callable[[Path], T]) -> T:
        """Save and close the workbook, run ``edit`` on its file, open it again.

        Excel keeps its own copy of an open workbook and writes it back on the next save, so the
        file must not be changed underneath it: it is saved (nothing typed is lost) and closed
        first, and opened again afterwards even when ``edit`` fails (then unchanged on disk).
        """
        path = self.path
        if path is None:
            raise LyueError(
                f"工作簿“{self.name}”还没有保存过：请先保存（Ctrl+S）为 .xlsx 再使用此功能。"
            )
        app = self.book.app
        self.book.save()
        self.book.close()
        try:
            return edit(path)
        finally:
            self.book = app.books.open(str(path))
            self._heads.clear()
            self._names = None
            self._by_name = {}
            self.__dict__.pop("_sheets", None)

    def save_note(self) -> str:
        return "结果已写入当前打开的工作簿，尚未保存；请查看后按 Ctrl+S 保存。"

    # --- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        app = self.book.app
        active = self._sheets.active
        updating = app.screen_updating
        app.screen_updating = False
        with contextlib.suppress(Exception):  # page setup without asking the printer each time
            app.api.PrintCommunication = False
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                app.api.PrintCommunication = True
            with contextlib.suppress(Exception):
                active.activate()
            app.screen_updating = updating

    def _engine_sheet(self, name: str, names: list[str]) -> Any:
        """The sheet emptied (same sheet object: formulas elsewhere that point at it survive)."""
        if name in names:
            sheet = self._sheet(name)
            for chart in list(sheet.charts):
                chart.delete()
            sheet.api.AutoFilterMode = False
            sheet.clear()
            return sheet
        names.append(name)
        sheet = self._by_name[name] = self._sheets.add(name, after=self._sheets[-1])
        return sheet

    def _write_sheet(self, plan: SheetPlan, names: list[str]) -> None:
        sheet = self._engine_sheet(plan.name, names)
        if plan.area:
            whole = sheet.range(plan.area)
            whole.value = plan.values
            _apply_style(whole, base_style())
        by_address: dict[str, list[tuple[str, object]]] = {}  # one range object per address
        for prop, value, areas in format_operations(plan.styles):
            for address in address_chunks(areas):
                by_address.setdefault(address, []).append((prop, value))
        for address, settings in by_address.items():
            _set_formats(sheet.range(address), settings)
        for width, areas in plan.width_areas.items():
            for address in address_chunks(areas):
                sheet.range(address).column_width = width
        for height, areas in plan.height_areas.items():
            for address in address_chunks(areas):
                sheet.range(address).row_height = height
        if plan.autofit_rows:
            sheet.range(plan.autofit_rows).api.EntireRow.AutoFit()
        if plan.hidden_column:  # the links' display texts (the links are formulas in the values)
            sheet.range((1, plan.hidden_column)).api.EntireColumn.Hidden = True
        for chart in plan.charts:
            _add_chart(sheet, chart)
        if plan.autofilter:
            sheet.range(plan.autofilter).api.AutoFilter()
        if plan.freeze:
            _freeze(sheet, *plan.freeze)
        _print_setup(sheet.api.PageSetup, plan.print_titles)

    def _header_cells(self, sheet_name: str, row: int) -> list[object]:
        head = self._heads.get(sheet_name)
        if head is not None and (row <= len(head) or len(head) < HEAD_ROWS):
            return list(head[row - 1]) if row <= len(head) else []
        sheet = self._sheet(sheet_name)
        _, last_col = _data_extent(sheet)
        if not last_col:
            return []
        values = sheet.range((row, 1), (row, last_col)).options(ndim=2).value
        return grid_from_values(values)[0] if values else []

    def _write_header(self, plan: ColumnPlan) -> None:
        """An engine column missing from a hand-made sheet: its header, styled as its left
        neighbour."""
        sheet = self._sheet(plan.sheet)
        header = sheet.range((plan.header_row, plan.column))
        if plan.column > 1:
            sheet.range((plan.header_row, plan.column - 1)).api.Copy(header.api)
        header.value = "'" + (plan.new_header or "")


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


def _set_formats(rng: Any, settings: list[tuple[str, object]]) -> None:
    """Properties of `lyue_xl.excel.plan.ExcelStyle` on one (multi-area) range; its font and
    borders objects are fetched once."""
    font: Any = None
    for prop, value in settings:
        if prop == "number_format":
            rng.number_format = value
        elif prop == "fill":
            rng.color = value
        elif prop in ("font_name", "font_size", "font_color", "bold", "italic"):
            font = font if font is not None else rng.font
            setattr(
                font,
                {"font_name": "name", "font_size": "size", "font_color": "color"}.get(prop, prop),
                value,
            )
        elif prop == "underline":
            rng.api.Font.Underline = 2  # xlUnderlineStyleSingle
        elif prop == "border":
            rng.api.Borders.LineStyle = XL_CONTINUOUS
        elif prop == "center":
            rng.api.HorizontalAlignment = XL_CENTER
        elif prop == "wrap":
            rng.api.WrapText = True
        elif prop == "top":
            rng.api.VerticalAlignment = XL_TOP
        else:
            raise ValueError(prop)


def _apply_style(rng: Any, style: Any) -> None:
    """Every property ``style`` sets, on one range (the base of a sheet's area)."""
    if style.number_format:
        rng.number_format = style.number_format
    if style.fill:
        rng.color = style.fill
    if style.font_name or style.font_size or style.font_color or style.bold or style.italic:
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
