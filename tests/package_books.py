"""Workbooks for the package tests: a decorated user workbook and an engine result workbook.

Also imported by ``tests/fixtures/make_fixtures.py`` to make the LibreOffice-saved fixture.
"""

from __future__ import annotations

import datetime
import io
import struct
import zlib
from pathlib import Path

import xlsxwriter

SUPPLIER_HEADERS = [
    "供应商编号",
    "供应商名称",
    "供应类别",
    "信用核查日期",
    "信用核查结论",
    "核心供应商",
    "履约保障协议",
    "按时交付率",
    "等级",
]
RISK_HEADERS = [
    "编号",
    "类型",
    "描述",
    "来源",
    "可能性",
    "影响程度",
    "应对措施",
    "应急预案",
    "责任人",
    "计划完成日期",
    "状态",
    "评审日期",
    "风险值",
    "等级",
]
GOAL_HEADERS = ["目标编号", "指标", "目标值", "比较方式", "责任部门", "实际值", "达成情况"]
OWNED = ["指标看板", "预警清单", "体系自评"]


def tiny_png() -> bytes:
    """A 4×4 red PNG made from plain bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_user_workbook(path: Path, *, extras: bool = True) -> Path:
    """The decorated user workbook; ``extras`` adds what LibreOffice cannot round-trip well."""
    wb = xlsxwriter.Workbook(str(path))
    title = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = wb.add_format({"bold": True, "bg_color": "#C6E0B4", "border": 1})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    yellow = wb.add_format({"bg_color": "#FFFF00", "border": 2})
    red = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})

    ws = wb.add_worksheet("供应商")
    ws.merge_range(0, 0, 0, len(SUPPLIER_HEADERS) - 1, "供应商名录（用户标题）", title)
    ws.write_row(1, 0, SUPPLIER_HEADERS, head)
    ws.set_column("A:I", 14)
    for i in range(5):
        row = 2 + i
        ws.write_row(row, 0, [f"G{i + 1}", f"供应商{i + 1}", "原材料"])
        ws.write_datetime(row, 3, datetime.datetime(2025, 1, 10 + i), date)
        ws.write_row(row, 4, ["良好", "是", "否"])
        ws.write_formula(row, 7, f"=0.8+{i}/100", None, 0.8 + i / 100)
        ws.write_formula(row, 8, f'=IF(H{row + 1}>0.82,"A","B")', yellow, "A" if i > 2 else "B")
    ws.write(8, 0, "备注：本表由用户维护")
    ws.data_validation("E3:E100", {"validate": "list", "source": ["良好", "一般", "异常"]})
    ws.data_validation("F3:G100", {"validate": "list", "source": ["是", "否"]})
    ws.conditional_format(
        "D3:D100", {"type": "cell", "criteria": "<", "value": 45658, "format": red}
    )
    ws.write_comment("A3", "第一家供应商")
    ws.autofilter("A2:I7")
    ws.freeze_panes(2, 1)
    wb.define_name("供应商编号列", "=供应商!$A$3:$A$7")

    ws = wb.add_worksheet("风险机遇")
    ws.write_row(0, 0, RISK_HEADERS, head)
    for i in range(4):
        ws.write_row(1 + i, 0, [f"R{i + 1}", "风险", f"风险描述{i + 1}", "内部"])
        ws.write_row(1 + i, 4, [i + 1, 2])
        ws.write_formula(1 + i, 12, f"=E{i + 2}*F{i + 2}", None, (i + 1) * 2)

    ws = wb.add_worksheet("履约目标")
    ws.write_row(0, 0, GOAL_HEADERS, head)
    ws.write_row(1, 0, ["T1", "合同履约率", 0.95, "不低于", "销售部"])
    ws.write_row(2, 0, ["T2", "客户满意度", 90, "不低于", "客服部"])

    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, ["月份", "金额", "比例"], head)
    for i in range(6):
        ws.write_row(1 + i, 0, [f"{i + 1}月", 100 * (i + 1)])
        ws.write_formula(1 + i, 2, f"=B{i + 2}/SUM($B$2:$B$7)", None, (i + 1) / 21)
    ws.write_formula(7, 1, "=SUM(B2:B7)", head, 2100)
    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "金额",
            "categories": "=数据!$A$2:$A$7",
            "values": "=数据!$B$2:$B$7",
            "fill": {"color": "#70AD47"},
        }
    )
    chart.set_title({"name": "用户自己的图表"})
    ws.insert_chart("E2", chart)
    ws.conditional_format("B2:B7", {"type": "data_bar"})
    ws.data_validation(
        "A20", {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 10}
    )
    ws.write_comment("B2", "用户批注")
    if extras:
        ws.insert_image("E20", "red.png", {"image_data": io.BytesIO(tiny_png())})
        ws.insert_textbox("H20", "用户的文本框", {"width": 200, "height": 60})
        ws.insert_button("K20", {"caption": "用户按钮", "macro": "DoIt"})
        ws.add_table(
            "A30:C33",
            {
                "name": "用户表",
                "columns": [{"header": "名称"}, {"header": "数量"}, {"header": "单价"}],
            },
        )

    ws = wb.add_worksheet("指标看板")
    ws.write(0, 0, "旧的指标看板（将被引擎替换）")
    ws.write_formula(1, 0, "=1+1", None, 2)
    old = wb.add_chart({"type": "pie"})
    old.add_series({"values": "=指标看板!$A$2:$A$2"})
    ws.insert_chart("C3", old)
    wb.close()
    return path


def make_generated(path: Path) -> Path:
    """What the engine's xlsxwriter step would write: the three engine-owned sheets."""
    wb = xlsxwriter.Workbook(str(path))
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    pct = wb.add_format({"num_format": "0.0%"})
    score = wb.add_format({"num_format": "0.00", "italic": True})
    link = wb.add_format({"font_color": "blue", "underline": 1})
    warn = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})

    ws = wb.add_worksheet("指标看板")
    ws.merge_range("A1:D1", "履约能力指标看板", head)
    ws.write_row(3, 0, ["月份", "合同履约率", "客户满意度"], head)
    for i in range(12):
        ws.write_string(4 + i, 0, f"{i + 1}月")
        ws.write_number(4 + i, 1, 0.9 + i / 200, pct)
        ws.write_number(4 + i, 2, 85 + i, score)
    ws.set_column("A:A", 12)
    ws.set_column("B:C", 16)
    ws.freeze_panes(4, 1)
    ws.conditional_format(
        "B5:B16", {"type": "cell", "criteria": "<", "value": 0.92, "format": warn}
    )
    chart = wb.add_chart({"type": "line"})
    chart.add_series(
        {
            "name": "合同履约率",
            "categories": "='指标看板'!$A$5:$A$16",
            "values": "='指标看板'!$B$5:$B$16",
        }
    )
    ws.insert_chart("E4", chart)
    chart2 = wb.add_chart({"type": "column"})
    chart2.add_series({"name": "客户满意度", "values": "='指标看板'!$C$5:$C$16"})
    ws.insert_chart("E20", chart2)

    ws = wb.add_worksheet("预警清单")
    ws.write_row(0, 0, ["级别", "代码", "工作表", "行", "说明"], head)
    ws.write_row(1, 0, ["高", "CONTRACT_OVERDUE", "合同台账"])
    ws.write_url(1, 3, "internal:'合同台账'!A12", link, "12")
    ws.write_string(1, 4, '=HYPERLINK("x")')
    ws.write_row(2, 0, ["中", "SUPPLIER_CHECK", "供应商"])
    ws.write_url(2, 3, "internal:'供应商'!A4", link, "4")
    ws.write_string(2, 4, "信用核查已过期")
    ws.autofilter("A1:E3")
    ws.set_column("E:E", 40)

    ws = wb.add_worksheet("体系自评")
    ws.merge_range("A1:C1", "体系自评", head)
    ws.write_row(1, 0, ["条款", "要求", "得分"], head)
    ws.write_row(2, 0, ["9.2", "合同评审"])
    ws.write_number(2, 2, 4.5, score)
    wb.close()
    return path
