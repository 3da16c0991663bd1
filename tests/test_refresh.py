"""`lyue-xl refresh` end to end: what it writes, what it keeps, and when it refuses (DESIGN §6)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from helpers import make_book, put_rows, run_cli, set_items, sha256
from lyue_xl import schema
from package_checks import check_integrity, members, sheet_parts

HYPERLINK_TEXT = '=HYPERLINK("http://example.com","点我")'


def by_label(rows: list[list[object]], header: int, labels: list[str]) -> list[list[object]]:
    """The cells under ``labels`` (found in row ``header``, 0-based) of every row below it."""
    at = [rows[header].index(label) for label in labels]
    return [[row[i] if i < len(row) else None for i in at] for row in rows[header + 1 :]]


def grid(path: Path, sheet: str) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    path = make_book(tmp_path)
    set_items(path, "设置", {"基准日期": date(2025, 6, 30)})
    put_rows(
        path,
        "供应商",
        [
            {
                "供应商编号": "S1",
                "供应商名称": "甲",
                "信用核查日期": date(2025, 1, 1),
                "信用核查结论": "良好",
            },
            {"供应商编号": "S2", "供应商名称": "乙", "信用核查结论": "异常"},
        ],
    )
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": "K1",
                "合同名称": HYPERLINK_TEXT,
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 2),
                "评审日期": date(2025, 1, 1),
                "计划交付日期": date(2025, 3, 1),
            },
            {
                "合同编号": "P1",
                "合同名称": "采购",
                "合同性质": "支出性",
                "供应商编号": "S1",
                "签订日期": date(2025, 1, 2),
                "评审日期": date(2025, 1, 1),
                "计划交付日期": date(2025, 2, 1),
                "实际交付日期": date(2025, 2, 1),
                "验收结果": "合格",
                "履行状态": "已履行",
            },
        ],
    )
    put_rows(path, "风险机遇", [{"编号": "R1", "类型": "风险", "可能性": 4, "影响程度": 4}])
    put_rows(
        path,
        "履约目标",
        [
            {"目标编号": "M1", "指标": "供方按时交付率", "目标值": "95%", "比较方式": "不低于"},
            {"目标编号": "M2", "指标": "违约次数", "目标值": 0, "比较方式": "不高于"},
        ],
    )
    return path


def test_refresh_writes_result_sheets_and_engine_columns(small: Path) -> None:
    code, out, err = run_cli("refresh", str(small))
    assert code == 0, err
    assert "已刷新" in out
    check_integrity(small)
    engine = ["按时交付率", "质量合格率", "综合评分", "等级"]
    suppliers = grid(small, "供应商")
    # S1 has one delivery, fewer than the default 3: its rates, but no score and 未评, and why
    assert by_label(suppliers, 1, [*engine, "评级说明"])[:2] == [
        [
            1.0,
            1.0,
            "",
            "未评",
            "未评：样本不足，近 12 个月 1 次交付（到期 1 次均按时交付，验收 1 次均合格），"
            "至少 3 次交付才评级",
        ],
        [
            "无数据",
            "无数据",
            "",
            "D",
            "信用核查结论为“异常”，评为 D 级；近 12 个月没有到期或验收的支出性合同",
        ],
    ]
    at = suppliers[1].index("按时交付率")
    assert suppliers[1][at : at + 4] == engine  # the engine's columns stay together, in order
    risks = grid(small, "风险机遇")
    assert by_label(risks, 1, ["风险值", "等级"])[0] == [16.0, "高"]
    objectives = grid(small, "履约目标")
    assert by_label(objectives, 1, ["实际值", "达成情况"])[:2] == [[1.0, "达成"], [0.0, "达成"]]
    book = openpyxl.load_workbook(small)
    rate = get_column_letter(suppliers[1].index("按时交付率") + 1)
    assert book["供应商"][f"{rate}3"].number_format == "0.0%"
    board = grid(small, "指标看板")
    rows = {r[0]: r for r in board if r and r[0]}
    assert rows["供方按时交付率"][1] == 1.0
    assert rows["合同履约率"][1] == 0.0
    assert rows["客户满意度"][1] == "无数据"
    alerts_ws = book["预警清单"]
    header = next(r for r in range(1, 10) if alerts_ws.cell(r, 1).value == "级别")
    labels = [alerts_ws.cell(header, c).value for c in range(1, 10)]
    assert labels == [
        "级别",
        "预警类型",
        "条款",
        "工作表",
        "行",
        "记录",
        "日期",
        "说明",
        "代码（供程序使用）",
    ]
    codes = [alerts_ws.cell(r, 9).value for r in range(header + 1, alerts_ws.max_row + 1)]
    assert "CONTRACT_OVERDUE" in codes and "SUPPLIER_CREDIT_ABNORMAL" in codes
    overdue = header + 1 + codes.index("CONTRACT_OVERDUE")
    assert alerts_ws.cell(overdue, 2).value == "合同逾期未交付"
    assert alerts_ws.print_title_rows == f"${header}:${header}"
    record = alerts_ws.cell(overdue, 6)
    assert record.value == "K1"
    assert record.hyperlink is not None and record.hyperlink.location == "'合同台账'!A3"
    message = alerts_ws.cell(overdue, 8)
    assert HYPERLINK_TEXT in message.value and message.data_type == "s"
    assessment = grid(small, "体系自评")
    assert any(r and r[0] == "9.2" for r in assessment)
    # charts say what Excel assumes and LibreOffice/WPS do not: straight lines; a month without
    # data is spanned by the line (sparse data: no lone dots); the count axis steps by whole numbers
    with zipfile.ZipFile(small) as archive:
        charts = [archive.read(n) for n in archive.namelist() if n.startswith("xl/charts/chart")]
    line = [c for c in charts if b"<c:lineChart>" in c]
    column = [c for c in charts if b"<c:barChart>" in c]
    assert len(charts) == 2 and len(line) == 1 and len(column) == 1
    assert line[0].count(b'<c:smooth val="0"/></c:ser>') == line[0].count(b"</c:ser>") == 2
    assert line[0].count(b'<c:dispBlanksAs val="span"/>') == 1
    assert column[0].count(b'<c:dispBlanksAs val="gap"/>') == 1
    assert b'<c:majorUnit val="1"/>' in column[0] and b'formatCode="0"' in column[0]


def test_refresh_writes_markup_characters_as_text(tmp_path: Path) -> None:
    """User text reaches 预警清单 as text, & < > " and line breaks included, in the message
    and in the record's hyperlink."""
    path = make_book(tmp_path)
    set_items(path, "设置", {"基准日期": date(2025, 6, 30)})
    number = 'K&<"1">'
    name = '甲&乙 <丙>\n"丁"'
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": number,
                "合同名称": name,
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 2),
                "评审日期": date(2025, 1, 1),
                "计划交付日期": date(2025, 3, 1),
            }
        ],
    )
    code, _, err = run_cli("refresh", str(path))
    assert code == 0, err
    check_integrity(path)
    sheet = openpyxl.load_workbook(path)["预警清单"]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "级别")
    row = next(
        r
        for r in range(header + 1, sheet.max_row + 1)
        if sheet.cell(r, 9).value == "CONTRACT_OVERDUE"
    )
    assert sheet.cell(row, 6).value == number
    assert sheet.cell(row, 6).hyperlink.location == "'合同台账'!A3"
    assert sheet.cell(row, 6).hyperlink.display == number
    message = sheet.cell(row, 8).value
    assert '甲&乙 <丙>\n"丁"' in message


def test_refresh_twice_gives_the_same_workbook(small: Path) -> None:
    assert run_cli("refresh", str(small))[0] == 0
    first = small.read_bytes()
    assert run_cli("refresh", str(small))[0] == 0
    assert small.read_bytes() == first
    backups = sorted((small.parent / ".lyue-backup").glob("*.xlsx"))
    assert len(backups) == 2


def test_refresh_refuses_a_locked_workbook(small: Path) -> None:
    lock = small.parent / f"~${small.name}"
    lock.write_bytes(b"owner")
    before = sha256(small)
    code, out, err = run_cli("refresh", str(small))
    assert code == 2
    assert "关闭" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert sha256(small) == before
    lock.unlink()
    lo_lock = small.parent / f".~lock.{small.name}#"
    lo_lock.write_text("x")
    assert run_cli("refresh", str(small))[0] == 2
    assert sha256(small) == before


def hand_made(path: Path) -> None:
    """A workbook a user built by hand with only the §2 labels, decorated the way users do."""
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "bg_color": "#FFFF00"})
    datef = book.add_format({"num_format": "yyyy/m/d"})
    for sheet in schema.SHEETS:
        if sheet.key not in schema.CORE_SHEET_KEYS:
            continue
        ws = book.add_worksheet(sheet.name)
        if sheet.is_keyvalue:
            ws.write_row(0, 0, ["项目", "内容"], bold)
            for r, item in enumerate(sheet.items, start=1):
                ws.write_string(r, 0, item.label)
            if sheet.key == "settings":
                ws.write_datetime(3, 1, date(2025, 6, 30), datef)  # 基准日期
            continue
        labels = [c.label for c in sheet.user_columns if c.acceptance]
        # reverse order: the reader must not depend on column positions
        ws.write_row(0, 0, list(reversed(labels)), bold)
    contracts = book.get_worksheet_by_name("合同台账")
    labels = list(reversed([c.label for c in schema.CONTRACTS.user_columns]))
    row = {
        "合同编号": "HT-9",
        "合同名称": "手工台账合同",
        "合同性质": "收入性",
        "签订日期": date(2025, 1, 5),
        "计划交付日期": date(2025, 2, 1),
    }
    for label, value in row.items():
        col = labels.index(label)
        if isinstance(value, date):
            contracts.write_datetime(1, col, value, datef)
        else:
            contracts.write_string(1, col, value)
    contracts.write_comment(1, 0, "用户批注：请跟进")
    contracts.conditional_format(
        1, 0, 50, 0, {"type": "cell", "criteria": ">", "value": 0, "format": bold}
    )
    contracts.data_validation(1, 2, 50, 2, {"validate": "list", "source": ["收入性", "支出性"]})
    suppliers = book.get_worksheet_by_name("供应商")
    slabels = list(reversed([c.label for c in schema.SUPPLIERS.user_columns]))
    suppliers.write_string(1, slabels.index("供应商编号"), "S9")
    suppliers.write_string(1, slabels.index("供应商名称"), "手工供应商")
    mine = book.add_worksheet("我的分析")
    mine.write_row(0, 0, ["月份", "金额"])
    for i in range(6):
        mine.write_row(1 + i, 0, [f"2025-{i + 1:02d}", 1000 * (i + 1)])
    mine.write_formula(7, 1, "=SUM(B2:B7)", None, 21000)
    mine.add_table(0, 3, 3, 4, {"name": "我的表", "columns": [{"header": "甲"}, {"header": "乙"}]})
    chart = book.add_chart({"type": "column"})
    chart.add_series({"categories": "='我的分析'!$A$2:$A$7", "values": "='我的分析'!$B$2:$B$7"})
    mine.insert_chart("G2", chart)
    mine.insert_textbox("G20", "用户的文本框", {"width": 200, "height": 60})
    mine.insert_button("D10", {"macro": "my_macro", "caption": "按钮"})
    png = io.BytesIO()
    png.write(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
        )
    )
    mine.insert_image("G30", "dot.png", {"image_data": png})
    book.define_name("我的范围", "='我的分析'!$B$2:$B$7")
    book.close()


def test_refresh_keeps_everything_of_a_hand_made_decorated_workbook(tmp_path: Path) -> None:
    path = tmp_path / "手工台账.xlsx"
    hand_made(path)
    before = members(path)
    code, _, err = run_cli("refresh", str(path))
    assert code == 0, err
    check_integrity(path)
    after = members(path)
    sheets_before, sheets_after = sheet_parts(before), sheet_parts(after)
    edited = {
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/styles.xml",
        sheets_before["供应商"],
        sheets_before["风险机遇"],
        sheets_before["履约目标"],
    }
    for name, data in before.items():
        if name not in edited:
            assert after.get(name) == data, f"{name} changed"
    for name in schema.ENGINE_SHEETS:
        assert name in sheets_after
    suppliers = grid(path, "供应商")
    # appended right after the last header column of the hand-made sheet (its §2 labels only)
    width = len([c for c in schema.SUPPLIERS.user_columns if c.acceptance])
    at = suppliers[0].index("按时交付率")
    assert at == width
    assert suppliers[0][at:] == ["按时交付率", "质量合格率", "综合评分", "等级", "评级说明"]
    assert suppliers[1][-2] == "未评"
    assert suppliers[1][-1].startswith("未评：")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert any(n.startswith("xl/charts/") for n in names)
    assert any(n.startswith("xl/tables/") for n in names)
    assert any(n.endswith(".vml") for n in names)
    book = openpyxl.load_workbook(path)
    assert "我的范围" in book.defined_names
    assert book["我的分析"]["B8"].value == "=SUM(B2:B7)"


def test_refresh_of_a_file_that_is_not_a_workbook_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "假的.xlsx"
    path.write_text("合同编号,合同名称\nHT-1,甲\n", encoding="utf-8")
    before = sha256(path)
    code, _, err = run_cli("refresh", str(path))
    assert code == 2 and "CSV" in err and "Traceback" not in err
    assert sha256(path) == before
    assert not (tmp_path / ".lyue-backup").exists()


def damage(path: Path, member: str) -> None:
    """Flip a few bytes in the middle of one member's compressed data."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    with open(path, "rb") as handle:
        handle.seek(info.header_offset + 26)
        name_len, extra_len = (int.from_bytes(handle.read(2), "little") for _ in range(2))
    start = info.header_offset + 30 + name_len + extra_len
    middle = start + info.compress_size // 2
    for i in range(middle, min(middle + 8, start + info.compress_size)):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("member", ["docProps/app.xml", "指标看板", "使用说明"])
def test_refresh_of_a_damaged_workbook_changes_nothing(small: Path, member: str) -> None:
    """A damaged part that refresh would copy or replace without reading it as a record sheet:
    exit 2 and the file as it was, never a copy that passes the damage on (DESIGN §6)."""
    part = sheet_parts(members(small)).get(member, member)
    damage(small, part)
    before = sha256(small)
    code, _, err = run_cli("refresh", str(small))
    assert code == 2, err
    assert "已损坏" in err and "Traceback" not in err
    assert sha256(small) == before
    assert not list((small.parent / ".lyue-backup").glob("*.xlsx"))
