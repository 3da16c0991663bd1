"""`lyue-xl import` on ledgers shaped unlike ours: odd header cells, 序号 and 合计, money and
dates written every way, blank rows between blocks, hidden sheets, numeric 合同编号, 款项 without
收付类型. Figures after import are compared with hand-computed ones."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from helpers import indicator_figures as indicators
from helpers import make_book, put_rows, run_cli
from lyue_xl.importer import plan_import
from lyue_xl.workbook.reader import read_records


def days(frame_column: object) -> list[date | None]:
    return [None if v != v or v is None else v.date() for v in frame_column]  # type: ignore[attr-defined]


# --- 1. openpyxl: 序号, headers with spaces and Alt+Enter, blocks, 合计, a hidden sheet ---------


def odd_headers_ledger(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "销售合同"
    ws.append(
        [
            "序号",
            "合 同 编 号",
            "合同\n名称",
            "客户 名称",
            "签订\n日期",
            "合同金额\n（元）",
            "计划交付日期（年/月/日）",
            "实际交付 日期",
            "履行\n状态",
            "合同 性质",
            "备注",
        ]
    )
    ws.append(
        [1, 2025001, "监控系统", "甲公司", "2025.3.1", "1,234.50", "2025年4月1日", 45748]
        + ["已完成", "销售", "首批"]
    )
    ws.append(
        [2, 2025002, "门禁系统", "乙公司", "2025年3月1日", "¥3.5万", 20250501, "20250430"]
        + ["已完成", "销售", None]
    )
    ws.append([None] * 11)
    ws.append(["二季度"] + [None] * 10)
    ws.append(
        [3, 2025003, "运维服务", "丙公司", 45778, "3万元", "2025/6/30", None, "执行中", "销售"]
    )
    ws.append(
        [4, "2025004", "采购光缆", "丁厂", date(2025, 5, 6), 12000, date(2025, 6, 1)]
        + [date(2025, 6, 3), "已完成", "采购", None]
    )
    ws.append([None] * 11)
    ws.append(["合  计", None, None, None, None, "=SUM(F2:F7)"])
    ws.append([None, None, None, None, None, 78234.5])  # a total without a word
    old = book.create_sheet("旧数据")
    old.sheet_state = "hidden"
    old.append(["合同编号", "合同名称", "合同性质", "签订日期", "合同金额"])
    old.append(["OLD-1", "旧合同", "收入性", date(2020, 1, 1), 1])
    book.save(path)
    return path


def test_odd_headers_totals_blocks_and_a_hidden_sheet(tmp_path: Path) -> None:
    source = odd_headers_ledger(tmp_path / "销售.xlsx")
    out = tmp_path / "台账.xlsx"
    code, stdout, err = run_cli("import", source, "-o", out, "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert [(s["sheet"], s["rows"]) for s in result["sheets"]] == [("销售合同", 4)]
    assert result["skipped_sheets"] == [
        {"sheet": "旧数据", "reason": "是隐藏的工作表（如确需导入，请用 --sheet 旧数据 指定）"}
    ]
    assert {m["header"]: m["target"] for m in result["mapping"]} == {
        "合 同 编 号": "合同编号",
        "合同名称": "合同名称",  # Alt+Enter inside the cell
        "客户 名称": "相对方",
        "签订日期": "签订日期",
        "合同金额（元）": "合同金额（元）",
        "计划交付日期（年/月/日）": "计划交付日期",
        "实际交付 日期": "实际交付日期",
        "履行状态": "履行状态",
        "合同 性质": "合同性质",
    }
    totals = [p["row"] for p in result["problems"] if p["code"] == "total-row"]
    assert totals == [10]
    assert not [p for p in result["problems"] if p["level"] == "错误"]
    frame = read_records(out)["contracts"]
    assert frame["contract_no"].tolist() == ["2025001", "2025002", "2025003", "2025004"]
    assert frame["amount"].tolist() == [1234.5, 35_000.0, 30_000.0, 12_000.0]
    assert days(frame["signed_on"]) == [
        date(2025, 3, 1),
        date(2025, 3, 1),
        date(2025, 5, 1),  # serial 45778
        date(2025, 5, 6),
    ]
    assert days(frame["planned_delivery"]) == [
        date(2025, 4, 1),
        date(2025, 5, 1),  # 20250501 typed as a number
        date(2025, 6, 30),
        date(2025, 6, 1),
    ]
    assert days(frame["actual_delivery"]) == [
        date(2025, 4, 1),  # serial 45748
        date(2025, 4, 30),  # "20250430"
        None,
        date(2025, 6, 3),
    ]
    assert frame["nature"].tolist() == ["收入性", "收入性", "收入性", "支出性"]
    # the source's 序号 and 备注 columns are kept to the right of the new ledger
    ws = openpyxl.load_workbook(out)["合同台账"]
    header = [c.value for c in ws[2]]
    assert header[-2:] == ["序号", "备注"]
    assert [ws.cell(row=r, column=len(header)).value for r in (3, 4)] == ["首批", None]
    # income 2025001..003 due in the period; 001 and 002 fulfilled, both on time
    got = indicators(out)
    assert got["fulfillment_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert got["on_time_delivery_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert got["fulfillment_rate_amount"] == (
        pytest.approx(36_234.5 / 66_234.5),
        36_234.5,
        66_234.5,
    )
    assert got["supplier_on_time_rate"] == (0.0, 0, 1)  # 2025004 came 2 days late
    # named on purpose, the hidden sheet is imported
    plan = plan_import(source, sheets=["旧数据"])
    assert [r.values["contract_no"] for r in plan.rows] == ["OLD-1"]


# --- 2. xlsxwriter: a title row in 万元, numeric 合同号, 收付款 without 收付类型 -------------------


def _write(ws: xlsxwriter.worksheet.Worksheet, r: int, values: tuple[object, ...], fmt) -> None:  # type: ignore[no-untyped-def]
    for c, value in enumerate(values):
        if isinstance(value, datetime):
            ws.write_datetime(r, c, value, fmt)
        elif isinstance(value, str):
            ws.write_string(r, c, value)
        elif value is not None:
            ws.write_number(r, c, value)


def payments_ledger(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    fmt = book.add_format({"num_format": "yyyy/m/d"})
    ws = book.add_worksheet("合同")
    ws.merge_range(0, 0, 0, 6, "2025年合同一览表（金额单位：万元）")
    head = ("合同号", "合同名称", "合同类别", "对方单位", "签订日期", "合同金额（万元）", "交货期")
    _write(ws, 1, head, None)
    contracts = [
        (101, "软件开发", "销售合同", "甲", datetime(2025, 1, 5), 10, datetime(2025, 3, 31)),
        (102, "设备采购", "采购合同", "乙", datetime(2025, 1, 8), 4, datetime(2025, 2, 28)),
        (103, "运维", "销售合同", "丙", datetime(2025, 2, 1), 2.5, datetime(2025, 12, 31)),
    ]
    for r, row in enumerate(contracts, start=2):
        _write(ws, r, row, fmt)
    pay = book.add_worksheet("收付款")
    _write(pay, 0, ("合同号", "期数", "应收付日期", "应收付金额", "实收付日期", "实收付金额"), None)
    rows = [
        (101, 1, datetime(2025, 2, 1), 50000, datetime(2025, 2, 3), 50000),
        (101, 2, datetime(2025, 4, 1), 50000, None, None),
        (102, 1, datetime(2025, 3, 1), 40000, datetime(2025, 3, 5), 40000),
        (103, 1, datetime(2025, 6, 1), 25000, datetime(2025, 6, 1), 10000),
        (999, 1, datetime(2025, 6, 1), 7000, None, None),  # a contract nobody registered
    ]
    for r, row in enumerate(rows, start=1):
        _write(pay, r, row, fmt)
    pay.write_string(6, 0, "合计")
    pay.write_formula(6, 3, "=SUM(D2:D6)", None, 172000)
    book.close()
    return path


def test_payments_take_their_kind_from_the_contract(tmp_path: Path) -> None:
    source = payments_ledger(tmp_path / "合同及收付款.xlsx")
    out = tmp_path / "台账.xlsx"
    code, stdout, err = run_cli("import", source, "-o", out)
    assert code == 0, err
    assert "没有写明收付类型的 4 行，按所属合同的合同性质填写" in stdout
    assert "「收付款」第6行没有收付类型，合同编号“999”也不在合同台账中" in stdout
    records = read_records(out)
    contracts = records["contracts"]
    assert contracts["contract_no"].tolist() == ["101", "102", "103"]
    assert contracts["amount"].tolist() == [100_000.0, 40_000.0, 25_000.0]
    payments = records["payments"]
    assert payments["contract_no"].tolist() == ["101", "101", "102", "103", "999"]
    assert payments["kind"].tolist() == ["收款", "收款", "付款", "收款", ""]
    # 收款 due in the period: 50000 + 50000 + 25000; received (capped): 50000 + 0 + 10000
    got = indicators(out)
    assert got["collection_rate"] == (pytest.approx(0.48), 60_000, 125_000)
    assert got["overdue_receivable"][0] == pytest.approx(65_000)


def test_payments_into_a_ledger_take_the_ledger_contracts_nature(tmp_path: Path) -> None:
    ledger = make_book(tmp_path)
    put_rows(
        ledger,
        "合同台账",
        [
            {"合同编号": "P-1", "合同名称": "采购", "合同性质": "支出性"},
            {"合同编号": "S-1", "合同名称": "销售", "合同性质": "收入性"},
            {"合同编号": "S-2", "合同名称": "销售2", "合同性质": "收入性"},
        ],
    )
    source = tmp_path / "回款.csv"
    source.write_text(
        "\ufeff合同编号\t应收日期\t应收金额\t实收日期\t实收金额\t收付类型\n"
        "P-1\t2025/3/1\t2,000.00\t2025/3/2\t2,000.00\t\n"
        "S-1\t2025-04-01\t¥1.5万\t2025-04-10\t5000\t\n"
        "S-2\t20250501\t3万元\t\t\t付款\n",  # said in the source: kept
        encoding="utf-8",
    )
    code, stdout, err = run_cli("import", source, "--into", ledger)
    assert code == 0, err
    payments = read_records(ledger)["payments"]
    assert payments["contract_no"].tolist() == ["P-1", "S-1", "S-2"]
    assert payments["kind"].tolist() == ["付款", "收款", "付款"]
    assert payments["due_amount"].tolist() == [2000.0, 15_000.0, 30_000.0]
    assert days(payments["due_on"]) == [date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)]
    got = indicators(ledger)
    assert got["collection_rate"] == (pytest.approx(5000 / 15_000), 5000, 15_000)


# --- 3. a ledger saved by another program: inline strings, no dimension, 合计 in the id column ---


def other_program_ledger(path: Path) -> Path:
    """The XML a small export tool writes: inline strings, no styles, no shared strings."""
    import zipfile

    def cell(ref: str, value: object) -> str:
        if isinstance(value, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'

    rows = [
        ["台账导出 2025-12-31"],
        [],
        ["编号", "名称", "签约时间", "合同额", "约定交付日期", "完成日期", "合同状态", "合同性质"],
        [
            "D-1",
            "检测",
            "2025年1月3日",
            "12,000",
            "2025年2月1日",
            "2025年1月30日",
            "已完成",
            "收入",
        ],
        ["D-2", "咨询", 45700, "0.8万", 45720, 45730, "已完成", "收入"],
        [],
        ["D-3", "维保", "2025-02-01", "8000.5", "2025-12-01", "", "执行中", "收入"],
        ["合计", "", "", 28000.5],
    ]
    letters = "ABCDEFGH"
    body = "".join(
        f'<row r="{r}">'
        + "".join(cell(f"{letters[c]}{r}", v) for c, v in enumerate(values) if v != "")
        + "</row>"
        for r, values in enumerate(rows, start=1)
        if values
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            '<sheet name="导出" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_a_ledger_written_by_a_small_export_tool(tmp_path: Path) -> None:
    source = other_program_ledger(tmp_path / "导出.xlsx")
    out = tmp_path / "台账.xlsx"
    code, stdout, err = run_cli("import", source, "-o", out, "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert result["sheets"] == [
        {"sheet": "导出", "target": "合同台账", "header_rows": [3, 3], "rows": 3}
    ]
    frame = read_records(out)["contracts"]
    assert frame["contract_no"].tolist() == ["D-1", "D-2", "D-3"]
    assert frame["amount"].tolist() == [12_000.0, 8000.0, 8000.5]
    assert frame["state"].tolist() == ["已履行", "已履行", "履行中"]
    assert days(frame["planned_delivery"]) == [
        date(2025, 2, 1),
        date(2025, 3, 4),  # serial 45720
        date(2025, 12, 1),
    ]
    # all three due; D-1 and D-2 fulfilled; D-2 delivered 10 days after its plan
    got = indicators(out)
    assert got["fulfillment_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert got["on_time_delivery_rate"] == (pytest.approx(1 / 3), 1, 3)
    assert got["fulfillment_rate_amount"] == (pytest.approx(20_000 / 28_000.5), 20_000, 28_000.5)
