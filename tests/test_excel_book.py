"""ExcelBook without Excel: its pure plans, its grid conversion, and its writes on a stand-in.

What this proves: the xlwings adapter reads the same grid the file reader reads, and writes
exactly the values of the result model, in blocks, with every string protected from becoming
a formula. What it cannot prove: that Excel accepts these calls (needs Windows with Excel).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from excel_books import AS_OF, filled_book, put_rows
from fake_xlwings import HYPERLINK, FakeBook, Formula, _parse_area
from lyue_xl import schema
from lyue_xl.engine import analyse_records
from lyue_xl.excel.book import FileBook, read_book
from lyue_xl.excel.plan import (
    FORMAT_PROPERTIES,
    address_chunks,
    base_style,
    column_formats,
    column_plans,
    column_writes,
    excel_style,
    excel_value,
    format_operations,
    grid_from_values,
    height_areas,
    joined_blanks,
    link_formula,
    locate_column,
    sheet_plan,
    style_areas,
    width_areas,
)
from lyue_xl.excel.xlbook import ExcelBook
from lyue_xl.results import Cell, EngineColumn, ResultSheet, engine_columns, result_sheets
from lyue_xl.workbook.reader import read_records

RECORD_SHEETS = [s.name for s in schema.SHEETS]


# --- pure plan functions --------------------------------------------------------------------------


def test_excel_value_protects_every_string_and_keeps_numbers_and_dates() -> None:
    assert excel_value('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert excel_value("2025/7/20") == "'2025/7/20"
    assert excel_value("12%") == "'12%"
    assert excel_value("高") == "'高"
    assert excel_value(True) == "'是"
    assert excel_value(3.5) == 3.5
    assert excel_value(7) == 7
    assert excel_value(date(2025, 7, 20)) == date(2025, 7, 20)
    assert excel_value(None) is None
    assert excel_value("") is None
    assert excel_value(float("nan")) is None


def test_grid_from_values_matches_calamine_conventions() -> None:
    values = [
        ["合同编号", None, datetime(2025, 7, 20), datetime(2025, 7, 20, 9, 30), None],
        [3, 2.5, True, None, None],
        [None, None, None, None, None],
    ]
    assert grid_from_values(values) == [
        ["合同编号", "", date(2025, 7, 20), datetime(2025, 7, 20, 9, 30)],
        [3.0, 2.5, True, ""],
    ]
    assert grid_from_values(None) == []
    assert grid_from_values("x") == [["x"]]


def test_address_chunks_stay_under_the_com_limit_and_keep_every_area() -> None:
    areas = [f"A{r}:H{r}" for r in range(1, 200)]
    chunks = address_chunks(areas, limit=60)
    assert all(len(chunk) <= 60 for chunk in chunks)
    assert ",".join(chunks).split(",") == areas


def test_style_areas_cover_each_styled_cell_exactly_once() -> None:
    rows: list[list[Cell | None]] = [
        [Cell("t", "title")],
        [Cell("a", "header"), Cell("b", "header"), Cell("c", "header")],
        [Cell(1, "int"), Cell("x"), None, Cell(0.5, "pct")],
        [Cell(2, "int"), Cell("y"), Cell("z"), Cell(0.7, "pct")],
    ]
    areas = style_areas(rows)
    covered: dict[tuple[int, int], str] = {}
    for style, addresses in areas.items():
        for address in addresses:
            r0, c0, r1, c1 = _parse_area(address)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    assert (r, c) not in covered
                    covered[(r, c)] = style
    expected = {
        (r + 1, c + 1): cell.style
        for r, cells in enumerate(rows)
        for c, cell in enumerate(cells)
        if cell is not None
    }
    assert covered == expected
    assert areas["int"] == ["A3:A4"]  # stacked rows form one rectangle
    assert areas["header"] == ["A2:C2"]


def test_link_formula_holds_only_the_address_and_a_cell_reference() -> None:
    assert link_formula("'合同台账'!A12", "J5") == "=HYPERLINK(\"#'合同台账'!A12\",J5)"
    assert link_formula("'a\"b'!A1", "J5") == '=HYPERLINK("#\'a""b\'!A1",J5)'
    plan = sheet_plan(
        ResultSheet(
            "预警清单",
            rows=[
                [Cell("级别", "header"), Cell("记录", "header")],
                [Cell("高"), Cell("=1+2", "link", "'合同台账'!A3")],
            ],
            widths=[6, 20],
            autofilter=(0, 0, 1, 1),
        )
    )
    assert plan.values == [
        ["'级别", "'记录", None],
        ["'高", "=HYPERLINK(\"#'合同台账'!A3\",C2)", "'=1+2"],
    ]
    assert plan.hidden_column == 3 and plan.autofilter == "A1:C2"
    assert [(link.cell, link.text_cell, link.text) for link in plan.links] == [("B2", "C2", "=1+2")]


def test_blank_cells_join_the_format_of_the_cells_above() -> None:
    rows: list[list[Cell | None]] = [
        [Cell("日期", "header"), Cell("行", "header")],
        [Cell(date(2025, 1, 1), "date"), Cell(3, "int")],
        [Cell(""), Cell("")],  # blank "cell": differs from date/int only in number format
        [Cell(date(2025, 1, 2), "date"), Cell("x", "wrap")],  # wrap differs in more: kept
        [Cell(None), Cell("")],
    ]
    assert style_areas(joined_blanks(rows)) == {
        "cell": ["B5"],
        "date": ["A2:A5"],
        "header": ["A1:B1"],
        "int": ["B2:B3"],
        "wrap": ["B4"],
    }


def test_heights_and_widths_are_set_per_distinct_value_over_runs() -> None:
    assert height_areas([(5, 30.0), (6, 30.0), (7, 16.5), (9, 30.0)]) == {
        16.5: ["A7"],
        30.0: ["A5:A6", "A9"],
    }
    assert width_areas([(1, 6), (2, 20), (3, 20), (4, 6)]) == {6: ["A1", "D1"], 20: ["B1:C1"]}
    few = ResultSheet("体系自评", rows=[[Cell("x")]] * 9, heights={2: 30.0, 3: 30.0, 7: 45.0})
    assert sheet_plan(few).height_areas == {30.0: ["A3:A4"], 45.0: ["A8"]}
    assert sheet_plan(few).autofit_rows is None
    # scattered heights on thousands of rows: Excel fits those rows in one call instead
    many = ResultSheet(
        "预警清单", rows=[[Cell("x")]] * 6000, heights={r: 30.0 for r in range(4, 6000, 2)}
    )
    plan = sheet_plan(many)
    assert plan.height_areas == {} and plan.autofit_rows == "A5:A5999"


def test_format_operations_give_every_cell_exactly_its_style() -> None:
    rows: list[list[Cell | None]] = [
        [Cell("t", "title")],
        [Cell("a", "header"), Cell("b", "header")],
        [Cell("高", "level_high"), Cell(0.5, "pct"), Cell("x", "link", "'合同台账'!A1")],
        [Cell("低", "level_low"), Cell("y", "wrap"), Cell("z", "muted")],
    ]
    areas = style_areas(rows)
    got: dict[tuple[int, int], dict[str, object]] = {}
    for prop, value, addresses in format_operations(areas):
        for address in addresses:
            r0, c0, r1, c1 = _parse_area(address)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    assert prop not in got.setdefault((r, c), {})
                    got[(r, c)][prop] = value
    base = base_style()
    for r, cells in enumerate(rows, start=1):
        for c, cell in enumerate(cells, start=1):
            assert cell is not None
            style = excel_style(cell.style)
            expected = {
                prop: getattr(style, prop)
                for prop in FORMAT_PROPERTIES
                if getattr(style, prop) not in (None, False)
                and not (
                    prop in ("font_name", "font_size")
                    and getattr(style, prop) == getattr(base, prop)
                )
            }
            assert got.get((r, c), {}) == expected, (r, c, cell.style)


def test_adjacent_engine_columns_over_the_same_rows_are_one_block() -> None:
    header = ["供应商编号", "名称", "", ""]
    columns = [
        EngineColumn("供应商", 2, "等级", {3: "A", 4: "B", 6: "C"}),
        EngineColumn("供应商", 2, "综合评分", {3: 90.0, 4: 80.0, 6: 70.0}, "0.00"),
        EngineColumn("风险机遇", 2, "等级", {3: "高"}),
    ]
    plans = column_plans(columns, lambda sheet, row: list(header))
    writes = column_writes(plans)
    assert [(w.sheet, w.row, w.column, w.values) for w in writes] == [
        ("供应商", 3, 3, [["'A", 90.0], ["'B", 80.0]]),
        ("供应商", 6, 3, [["'C", 70.0]]),
        ("风险机遇", 3, 3, [["'高"]]),
    ]
    assert column_formats(plans) == [("供应商", "0.00", ["D3:D4", "D6"])]


def test_engine_column_is_found_or_appended_once() -> None:
    header = ["目标编号", "指标", "", "目标值", "实际值", None]
    assert locate_column(header, "实际值") == (5, True)
    assert locate_column(header, "达成情况") == (6, False)
    columns = [
        EngineColumn("履约目标", 2, "达成情况", {3: "达成"}),
        EngineColumn("履约目标", 2, "达成情况", {5: "未达成", 6: "无数据"}),
        EngineColumn("履约目标", 2, "备注", {3: None}),
    ]
    plans = column_plans(columns, lambda sheet, row: list(header))
    assert [(p.column, p.new_header) for p in plans] == [(6, "达成情况"), (6, None), (7, "备注")]
    assert plans[1].blocks == [(5, ["'未达成", "'无数据"])]
    assert plans[1].format_areas == ["F5:F6"]


# --- reading: ExcelBook's grid equals FileBook's grid ----------------------------------------------


def test_excel_grid_equals_file_grid_for_every_record_sheet(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    excel = ExcelBook(FakeBook.from_file(path))
    with FileBook(path) as file:
        assert sorted(excel.sheet_names()) == sorted(file.sheet_names())
        for name in RECORD_SHEETS:
            assert excel.grid(name) == file.grid(name), name
        from_excel = read_book(excel)
        from_file = read_book(file)
    for key, table in from_file.tables.items():
        pd.testing.assert_frame_equal(from_excel.tables[key].frame, table.frame, obj=key)
    assert from_excel.settings == from_file.settings
    assert [i.code for i in from_excel.issues] == [i.code for i in from_file.issues]


def test_read_records_is_records_from_file_grids(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    with FileBook(path) as book:
        via_book = read_book(book)
    direct = read_records(path)
    assert via_book.path == direct.path
    for key, table in direct.tables.items():
        pd.testing.assert_frame_equal(via_book.tables[key].frame, table.frame, obj=key)


# --- writing: ExcelBook writes the result model, in blocks, as text where text ------------------


@pytest.fixture
def written(tmp_path: Path) -> tuple[FakeBook, list[ResultSheet], list[EngineColumn]]:
    path = filled_book(tmp_path)
    # a record id typed like a formula reaches 预警清单's 记录 column
    put_rows(path, "风险机遇", [{"编号": "=1+2", "类型": "风险", "可能性": 5, "影响程度": 5}])
    fake = FakeBook.from_file(path)
    book = ExcelBook(fake)
    analysis = analyse_records(read_book(book), as_of=AS_OF)
    sheets = result_sheets(analysis)
    columns = engine_columns(analysis)
    book.write_results(sheets, columns)
    return fake, sheets, columns


def test_result_sheets_are_written_value_for_value(written: tuple) -> None:
    fake, sheets, _ = written
    for result in sheets:
        sheet = fake.sheets[result.name]
        assert sheet.cleared == 1  # the template's placeholder sheet is reused, not recreated
        expected = {
            (r, c): ("是" if cell.value is True else cell.value)
            for r, cells in enumerate(result.rows, start=1)
            for c, cell in enumerate(cells, start=1)
            if cell is not None and cell.value not in (None, "")
        }
        assert sheet.shown() == expected, result.name
        assert len(sheet.writes) == 1  # one Range.value call for the whole sheet
        assert sheet.widths == dict(enumerate(result.widths, start=1))
        assert sheet.heights == {r + 1: h for r, h in result.heights.items()}
    assert fake.sheets[schema.ASSESSMENT_SHEET].heights  # wrapped clause texts get taller rows


def test_user_text_never_becomes_a_formula(written: tuple) -> None:
    fake, _, _ = written
    for sheet in fake.sheets:
        assert sheet.unprotected == [], sheet.name
    alerts = fake.sheets[schema.ALERTS_SHEET]
    formulas = [v.text for v in alerts.store.values() if isinstance(v, Formula)]
    # the only formulas are the links, made of the engine's own addresses and a cell reference
    assert formulas and all(HYPERLINK.fullmatch(text) for text in formulas)
    assert not any("=1+2" in text for text in formulas)
    assert "=1+2" in alerts.shown().values()  # shown as text in 记录, through the link


def test_links_styles_charts_and_filter_follow_the_model(written: tuple) -> None:
    fake, sheets, _ = written
    alerts_model = next(s for s in sheets if s.name == schema.ALERTS_SHEET)
    alerts = fake.sheets[schema.ALERTS_SHEET]
    expected_links = [
        ((r, c), cell.link)
        for r, cells in enumerate(alerts_model.rows, start=1)
        for c, cell in enumerate(cells, start=1)
        if cell is not None and cell.link
    ]
    assert alerts.formula_links() == expected_links and expected_links
    assert alerts.links == []  # no Hyperlinks.Add: one COM call per link
    assert "'合同台账'!A4" in [target for _, target in alerts.formula_links()]  # HT-2: row 4
    # the display texts sit in one hidden column right of the table, inside the filter
    helper = len(alerts_model.widths) + 1
    assert alerts.hidden == {helper}
    assert alerts.filters == [_area_key(alerts_model.autofilter, extra=1)]
    dashboard = fake.sheets[schema.DASHBOARD_SHEET]
    live = [c for c in dashboard.charts if not c.deleted]
    assert [c.kw["chart_type"] for c in live] == ["line_markers", "column_clustered"]
    assert live[0].axis.TickLabels.NumberFormat == "0%"
    # every percentage cell of the model got the percent format
    pct = [
        (r, c)
        for r, cells in enumerate(next(s for s in sheets if s.name == dashboard.name).rows, 1)
        for c, cell in enumerate(cells, 1)
        if cell is not None and cell.style == "pct"
    ]
    assert pct and all(dashboard.formats[cell] == "0.0%" for cell in pct)
    # printed like the file path's sheets: A4 landscape, one page wide, header row repeated
    header = alerts_model.print_titles
    assert header is not None
    setup = alerts.api.PageSetup
    assert (setup.PaperSize, setup.Orientation, setup.FitToPagesWide) == (9, 2, 1)
    assert setup.PrintTitleRows == f"${header + 1}:${header + 1}"
    assert dashboard.api.PageSetup.PrintTitleRows == ""


def _area_key(autofilter: tuple[int, int, int, int] | None, extra: int = 0) -> str:
    assert autofilter is not None
    r0, c0, r1, c1 = autofilter
    return f"{r0 + 1},{c0 + 1}:{r1 + 1},{c1 + 1 + extra}"


def test_engine_columns_land_under_their_headers_in_blocks(written: tuple) -> None:
    fake, _, columns = written
    for column in columns:
        sheet = fake.sheets[column.sheet]
        header = {
            v: c
            for (r, c), v in sheet.store.items()
            if r == column.header_row and isinstance(v, str)
        }
        col = header[column.label]
        for row, value in column.values.items():
            got = sheet.store.get((row, col))
            assert got == (None if value in (None, "") else value), (column.label, row)
            if column.number_format and value is not None:
                assert sheet.formats[(row, col)] == column.number_format
    suppliers = fake.sheets["供应商"]
    first_col = min(c for (r, c), v in suppliers.store.items() if r == 2 and v == "按时交付率")
    # the four adjacent engine columns over rows 3..4: one Range.value call; 评级说明 (appended at
    # the sheet's end, not adjacent) one more
    assert len([c for c in columns if c.sheet == "供应商"]) == 5
    note_col = next(c for (r, c), v in suppliers.store.items() if r == 2 and v == "评级说明")
    assert suppliers.writes == [(3, first_col, 2, 4), (3, note_col, 2, 1)]
    grade_col = next(c for (r, c), v in suppliers.store.items() if r == 2 and v == "等级")
    assert [suppliers.store[(3, grade_col)], suppliers.store[(4, grade_col)]] == [
        "未评",
        "D",
    ]  # 1 delivery < 3


def test_missing_engine_sheet_is_added_at_the_end(tmp_path: Path) -> None:
    path = filled_book(tmp_path)
    fake = FakeBook.from_file(path)
    fake.sheets[:] = [s for s in fake.sheets if s.name != schema.ASSESSMENT_SHEET]
    sheet = ResultSheet(schema.ASSESSMENT_SHEET, rows=[[Cell("x")]])
    ExcelBook(fake).write_results([sheet], [])
    assert fake.sheets[-1].name == schema.ASSESSMENT_SHEET
    assert fake.sheets[-1].store == {(1, 1): "x"}
    assert fake.sheets.active.name == fake.sheets[0].name  # the user's sheet stays in front


def test_plan_of_an_empty_sheet_writes_nothing() -> None:
    plan = sheet_plan(ResultSheet("指标看板"))
    assert plan.area is None and plan.values == []


# --- the xlwings entry, with xw.Book.caller() returning the stand-in ------------------------------


def test_run_from_excel_shows_results_and_chinese_errors(tmp_path: Path, monkeypatch) -> None:
    import openpyxl
    import xlwings as xw

    from lyue_xl.excel.actions import run_from_excel

    ledger = FakeBook.from_file(filled_book(tmp_path))
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: ledger))
    assert run_from_excel("help") == 0
    ((text, title, mode),) = ledger.app.alerts
    assert title == "履约管理 · 打开帮助" and "刷新指标与预警" in text and mode == "info"
    assert ledger.selected == (schema.GUIDE_SHEET, (1, 1))
    assert ledger.app.status_bar is False  # the progress text is cleared

    other = tmp_path / "别的.xlsx"
    openpyxl.Workbook().save(other)
    stranger = FakeBook.from_file(other)
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: stranger))
    assert run_from_excel("check") == 2
    ((text, title, mode),) = stranger.app.alerts
    assert "缺少工作表" in text and mode == "critical" and "Traceback" not in text


def test_run_from_excel_refresh_writes_through_the_book_and_shows_the_dashboard(
    tmp_path: Path, monkeypatch
) -> None:
    import xlwings as xw

    from lyue_xl.excel.actions import run_from_excel

    ledger = FakeBook.from_file(filled_book(tmp_path))
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: ledger))
    assert run_from_excel("refresh") == 0
    ((text, _, mode),) = ledger.app.alerts
    assert "预警" in text and "尚未保存" in text and mode == "info"
    assert ledger.selected == (schema.DASHBOARD_SHEET, (1, 1))
    assert ledger.app.screen_updating is True  # restored after writing
    alerts = ledger.sheets[schema.ALERTS_SHEET]
    assert "CONTRACT_OVERDUE" in alerts.store.values()
