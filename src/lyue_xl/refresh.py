"""`lyue-xl refresh`: compute everything and write it back, replacing only what the engine owns.

The three result sheets are rendered with xlsxwriter into a small temporary workbook, then
transplanted into the user's package at zip level together with the engine columns
(`lyue_xl.workbook.package`); every other part of the user's file stays byte-identical.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xlsxwriter

from lyue_xl import schema
from lyue_xl.engine import Analysis, analyse_records
from lyue_xl.results import STYLES, EngineColumn, ResultSheet, engine_columns, result_sheets
from lyue_xl.workbook.package import ColumnUpdate, write_results
from lyue_xl.workbook.reader import read_records

Progress = Callable[[str], None] | None


@dataclass(frozen=True)
class RefreshResult:
    path: Path
    analysis: Analysis


def render_sheets(sheets: list[ResultSheet], path: Path) -> None:
    """Write the result sheets into a new workbook with xlsxwriter (user text stays text)."""
    book = xlsxwriter.Workbook(
        str(path),
        {
            # constant_memory writes inline strings row by row: fast, and nothing to remap
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    formats = {name: book.add_format(props) for name, props in STYLES.items()}
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        for col, width in enumerate(sheet.widths):
            ws.set_column(col, col, width)
        for r, cells in enumerate(sheet.rows):
            for c, cell in enumerate(cells):
                if cell is None:
                    continue
                fmt = formats[cell.style]
                value = cell.value
                if cell.link:
                    ws.write_url(r, c, f"internal:{cell.link}", fmt, string=str(value))
                elif value is None or value == "":
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(value, bool):
                    ws.write_string(r, c, "是" if value else "否", fmt)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value, fmt)
                elif isinstance(value, date):
                    ws.write_datetime(r, c, value, fmt)  # type: ignore[arg-type]
                else:
                    ws.write_string(r, c, str(value), fmt)
        for chart_spec in sheet.charts:
            chart = book.add_chart({"type": chart_spec.kind})
            first, last, cat_col = chart_spec.categories
            for name, col in chart_spec.series:
                chart.add_series(
                    {
                        "name": name,
                        "categories": [sheet.name, first, cat_col, last, cat_col],
                        "values": [sheet.name, first, col, last, col],
                        "marker": {"type": "circle"} if chart_spec.kind == "line" else None,
                    }
                )
            chart.set_title({"name": chart_spec.title, "name_font": {"name": "黑体", "size": 11}})
            if chart_spec.percent:
                chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
            chart.set_legend({"position": "bottom"})
            chart.set_size({"width": chart_spec.size[0], "height": chart_spec.size[1]})
            ws.insert_chart(*chart_spec.anchor, chart)
        if sheet.freeze:
            ws.freeze_panes(*sheet.freeze)
        if sheet.autofilter:
            ws.autofilter(*sheet.autofilter)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
    book.close()


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
    say("读取台账")
    records = read_records(path)
    say("计算指标、预警和体系自评")
    analysis = analyse_records(records, start, end, as_of)
    sheets = result_sheets(analysis)
    say("写回工作簿")
    with tempfile.TemporaryDirectory(prefix="lyue-") as folder:
        generated = Path(folder) / "results.xlsx"
        render_sheets(sheets, generated)
        write_results(
            path, generated, list(schema.ENGINE_SHEETS), _updates(engine_columns(analysis))
        )
    return RefreshResult(path, analysis)
