"""`lyue-xl refresh`: compute everything and write it back, replacing only what the engine owns.

The three result sheets are rendered into a small temporary workbook (xlsxwriter lays them out,
`lyue_xl.workbook.sheetxml` writes their cells), then transplanted into the user's package at zip
level together with the engine columns (`lyue_xl.workbook.package`); every other part of the
user's file stays byte-identical.
"""

from __future__ import annotations

import operator
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
import xlsxwriter.exceptions

from lyue_xl.engine import Analysis, analyse_records
from lyue_xl.errors import LyueError
from lyue_xl.gcpause import paused_gc
from lyue_xl.results import (
    STYLES,
    Chart,
    EngineColumn,
    ResultSheet,
    engine_columns,
    result_sheets,
)
from lyue_xl.schema import ALERTS_SHEET, ASSESSMENT_SHEET, DASHBOARD_SHEET, fold
from lyue_xl.workbook.guard import check_workbook_file
from lyue_xl.workbook.integrity import BackgroundCheck, check_package_xml
from lyue_xl.workbook.package import CellWriter, ColumnUpdate, write_results
from lyue_xl.workbook.reader import RECORD_SHEETS, read_records
from lyue_xl.workbook.safe_write import check_writable, temp_failed, work_folder
from lyue_xl.workbook.sheetxml import Written, write_cells
from lyue_xl.workbook.template import print_setup

Progress = Callable[[str], None] | None
OWNED_SHEETS = (DASHBOARD_SHEET, ALERTS_SHEET, ASSESSMENT_SHEET)


@dataclass(frozen=True)
class RefreshResult:
    path: Path
    analysis: Analysis


def render_sheets(sheets: list[ResultSheet], path: Path) -> dict[str, CellWriter]:
    """Lay out the result sheets in a new workbook with xlsxwriter (widths, panes, filter,
    charts, print setup, styles) and return, per sheet, the writer of its cells: `sheetxml`
    writes them in one pass once the transplant knows the styles' indexes in the user's file."""
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    formats = {name: book.add_format(props) for name, props in STYLES.items()}
    # Register every style now so styles.xml holds it; xlsxwriter (pinned) numbers them here.
    xf = {name: fmt._get_xf_index() for name, fmt in formats.items()}
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        for col, width in enumerate(sheet.widths):
            ws.set_column(col, col, width)
        for chart_spec in sheet.charts:
            ws.insert_chart(*chart_spec.anchor, _chart(book, sheet.name, chart_spec))
        if sheet.freeze:
            ws.freeze_panes(*sheet.freeze)
        if sheet.autofilter:
            ws.autofilter(*sheet.autofilter)
        titles = sheet.print_titles
        print_setup(ws, (titles, titles) if titles is not None else (0, 0))
    book.close()
    _spell_out_chart_defaults(path)

    def writer(sheet: ResultSheet) -> CellWriter:
        return lambda remap: _cells(sheet, {name: remap(i) for name, i in xf.items()})

    return {sheet.name: writer(sheet) for sheet in sheets}


def _spell_out_chart_defaults(path: Path) -> None:
    """Write out two chart settings xlsxwriter omits because they are Excel's defaults: lines not
    smoothed, and a blank cell (a month with no data) left as a gap. LibreOffice, and so
    possibly WPS, default otherwise: curves that overshoot 100 %, and no data drawn as 0 %."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for info, data in parts:
            if info.filename.startswith("xl/charts/chart"):
                if b"<c:dispBlanksAs" not in data:
                    data = data.replace(
                        b'<c:plotVisOnly val="1"/>',
                        b'<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>',
                        1,
                    )
                if b"<c:lineChart>" in data and b"<c:smooth" not in data:
                    data = data.replace(b"</c:ser>", b'<c:smooth val="0"/></c:ser>')
            archive.writestr(info, data)


_VALUE, _STYLE = operator.attrgetter("value"), operator.attrgetter("style")


def _cells(sheet: ResultSheet, xf: dict[str, int]) -> Written:
    values: list[list[object]] = []
    styles: list[list[int]] = []
    for row in sheet.rows:
        if None in row:  # a gap in the row (rare)
            values.append([None if cell is None else cell.value for cell in row])
            styles.append([0 if cell is None else xf[cell.style] for cell in row])
        else:  # tens of thousands of 预警清单 rows: mapped in C, not cell by cell in Python
            values.append(list(map(_VALUE, row)))
            styles.append(list(map(xf.__getitem__, map(_STYLE, row))))
    links = {
        (r, c): (cell.link, str(cell.value))
        for r, row in enumerate(sheet.rows)
        for c, cell in enumerate(row)
        if cell is not None and cell.link
    }
    return write_cells(values, styles, links, sheet.heights)


def _chart(book: xlsxwriter.Workbook, sheet_name: str, spec: Chart) -> Any:
    chart = book.add_chart({"type": spec.kind})
    first, last, cat_col = spec.categories
    for name, col in spec.series:
        series: dict[str, object] = {
            "name": name,
            "categories": [sheet_name, first, cat_col, last, cat_col],
            "values": [sheet_name, first, col, last, col],
        }
        if spec.kind == "line":
            series.update({"marker": {"type": "circle"}, "smooth": False})
        chart.add_series(series)
    chart.set_title({"name": spec.title, "name_font": {"name": "黑体", "size": 11}})
    if spec.percent:
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    if spec.count_step:
        chart.set_y_axis({"num_format": "0", "min": 0, "major_unit": spec.count_step})
    chart.set_legend({"position": "bottom"})
    # a month with no data is skipped and the line joins its neighbours (sparse data: no lone dots)
    chart.show_blanks_as("span" if spec.kind == "line" else "gap")
    chart.set_size({"width": spec.size[0], "height": spec.size[1]})
    return chart


def _updates(columns: list[EngineColumn]) -> list[ColumnUpdate]:
    return [
        ColumnUpdate(c.sheet, c.header_row, c.label, c.values, c.number_format) for c in columns
    ]


def refresh(
    path: Path,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
    progress: Progress = None,
) -> RefreshResult:
    say = progress or (lambda _message: None)
    check_writable(path)  # a locked or read-only workbook is refused before any work
    check_workbook_file(path)
    # Every XML part is checked while the records are read and analysed; the sheets written
    # anew are not.
    intact = BackgroundCheck(path, skip_sheets=OWNED_SHEETS)
    try:
        with paused_gc():
            say("读取台账")
            try:
                records = read_records(path)
            except LyueError:
                intact.result()  # a damaged part is named precisely
                raise
            say("计算指标、预警和体系自评")
            analysis = analyse_records(records, start, end, as_of)
            sheets, columns = result_sheets(analysis), engine_columns(analysis)
            intact.result()  # as late as possible: nothing has been written yet
            say("写回工作簿")
            read = [name for name in records.sheet_names if fold(name) in RECORD_SHEETS]
            write_back(path, sheets, columns, read, checked=True)
    finally:
        intact.close()  # never leave the check running (or a child unreaped) on a failure
    return RefreshResult(path, analysis)


def write_back(
    path: Path,
    sheets: list[ResultSheet],
    columns: list[EngineColumn],
    read_sheets: Sequence[str] = (),
    *,
    checked: bool = False,
) -> None:
    """Render ``sheets`` and put them and the engine ``columns`` into the file, in one safe write.

    The sheets replace the engine-owned sheets of the same names; nothing else is touched.
    ``read_sheets`` were just read whole (see :func:`write_results`). Every other XML part is
    checked for damage first unless ``checked`` says the caller has done so.
    """
    if not checked:
        check_package_xml(path, skip_sheets=[sheet.name for sheet in sheets])
    with work_folder() as folder:
        generated = Path(folder) / "results.xlsx"
        try:
            cells = render_sheets(sheets, generated)
        except OSError as exc:
            raise temp_failed(exc) from None
        except xlsxwriter.exceptions.FileCreateError as exc:  # wraps the OSError
            cause = exc.__context__ if isinstance(exc.__context__, OSError) else OSError(str(exc))
            raise temp_failed(cause) from None
        names = [sheet.name for sheet in sheets]
        write_results(
            path, generated, names, _updates(columns), cells=cells, read_sheets=read_sheets
        )
