"""`lyue-xl new`: the blank record workbook, derived entirely from the schema (no macros).

Every record sheet gets a title row, the header row of exact labels, frozen panes, widths, date and
amount formats, dropdowns, input hints and A4 print setup. The 实时指标 sheet holds the headline
indicators as native Excel 2010 formulas (COUNTIFS/SUMIFS/SUMPRODUCT), so they work live in Excel,
WPS and LibreOffice with no Python (DESIGN §2, §3).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from lyue_xl import schema
from lyue_xl.parsing import display_width
from lyue_xl.schema import Column, Sheet
from lyue_xl.workbook.reader import column_letter

TITLE_ROW = 1  # 1-based rows of the record sheets
HEADER_ROW = 2
FIRST_DATA_ROW = 3
FORMATTED_ROWS = 5000  # rows given formats and dropdowns
FORMULA_LAST_ROW = 20000  # native formulas look at rows 3..20000
FIXED_CREATED = datetime(2025, 7, 20)

DATE_FMT = "yyyy-mm-dd"
AMOUNT_FMT = "#,##0.00"
PERCENT_FMT = "0.0%"

TEMPLATE_NAME = "履约管理台账模板.xlsx"


LONG_TEXT_WIDTH = 20  # text columns at least this wide wrap (a printed page shows all the text)
LONG_ITEMS = ("scope", "vision", "policy")  # 基本信息 items that take a few lines
LONG_ITEM_HEIGHT = 45.0  # three lines of 10 pt text (a multiple of 0.75 pt, as Excel stores it)


class _Formats:
    def __init__(self, book: Workbook) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.title = book.add_format({**base, "bold": True, "font_size": 14, "font_name": "黑体"})
        self.note = book.add_format({**base, "font_color": "#595959", "italic": True})
        self.header = book.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        )
        self.required = book.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#F8CBAD",
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        )
        self.engine = book.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#E2EFDA",
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "font_color": "#375623",
            }
        )
        self.text = book.add_format({**base})
        self.wrap = book.add_format({**base, "text_wrap": True, "valign": "top"})
        self.date = book.add_format({**base, "num_format": DATE_FMT})
        self.amount = book.add_format({**base, "num_format": AMOUNT_FMT})
        self.percent = book.add_format({**base, "num_format": PERCENT_FMT})
        self.number = book.add_format({**base, "num_format": "0.00"})
        self.integer = book.add_format({**base, "num_format": "0"})
        self.label = book.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "border": 1})
        self.cell = book.add_format({**base, "border": 1, "text_wrap": True})
        self.cell_date = book.add_format({**base, "border": 1, "num_format": DATE_FMT})
        self.big_percent = book.add_format(
            {**base, "border": 1, "num_format": PERCENT_FMT, "bold": True, "font_size": 12}
        )
        self.big_amount = book.add_format(
            {**base, "border": 1, "num_format": AMOUNT_FMT, "bold": True, "font_size": 12}
        )
        self.big_int = book.add_format({**base, "border": 1, "num_format": "0"})

    def for_column(self, col: Column) -> Format:
        if col.key in ("on_time_rate", "quality_rate"):
            return self.percent
        if col.type == "text" and col.width >= LONG_TEXT_WIDTH:
            return self.wrap  # 问题描述, 纠正措施 …: wrapped, the row grows with the text
        return {
            "date": self.date,
            "amount": self.amount,
            "integer": self.integer,
            "score": self.integer,
            "number": self.number,
        }.get(col.type, self.text)


def print_setup(ws: Worksheet, repeat: tuple[int, int], landscape: bool = True) -> None:
    """A4, fit to the page width, rows ``repeat`` (0-based, inclusive) on every page, the sheet
    name above and page numbers below: how every sheet of the workbook prints."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(*repeat)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header('&C&"黑体"&A')
    ws.set_footer("&C第 &P 页，共 &N 页")


def _column_hint(col: Column) -> str:
    parts = []
    if col.required:
        parts.append("必填。")
    if col.type == "date":
        parts.append("日期，如 2025-07-20。")
    elif col.type == "amount":
        parts.append("金额（元），填数字。")
    elif col.type == "ref" and col.ref:
        parts.append(f"须与「{schema.BY_KEY[col.ref].name}」中的编号一致。")
    if col.hint:
        parts.append(col.hint)
    return "".join(parts)[:250]


def _write_record_sheet(book: Workbook, fmt: _Formats, sheet: Sheet, org: str) -> None:
    ws = book.add_worksheet(sheet.name)
    title = f"{org + ' · ' if org else ''}{sheet.name}（条款 {sheet.clause}）"
    ws.write_string(0, 0, title, fmt.title)
    ws.write_string(
        0,
        4,
        "橙色表头为必填列；绿色表头由“刷新指标与预警”写入，请勿手填。从第 3 行起每行一条记录。",
        fmt.note,
    )
    ws.set_row(0, 24)
    ws.set_row(1, 30)
    last_row = FIRST_DATA_ROW - 1 + FORMATTED_ROWS - 1  # 0-based
    for index, col in enumerate(sheet.columns):
        style = fmt.engine if col.engine else fmt.required if col.required else fmt.header
        ws.write_string(1, index, col.label, style)
        ws.set_column(index, index, col.width, fmt.for_column(col))
        hint = _column_hint(col)
        if col.engine:
            continue
        validation: dict[str, object]
        if col.choices:
            validation = {"validate": "list", "source": list(col.choices)}
        elif col.type == "date":
            validation = {
                "validate": "date",
                "criteria": "between",
                "minimum": datetime(1990, 1, 1),
                "maximum": datetime(2099, 12, 31),
                "error_type": "warning",
                "error_message": "请填写 1990–2099 年之间的日期，如 2025-07-20。",
            }
        elif col.type in ("integer", "score") and col.minimum is not None:
            validation = {
                "validate": "integer",
                "criteria": "between",
                "minimum": int(col.minimum),
                "maximum": int(col.maximum if col.maximum is not None else 10**9),
                "error_type": "stop",
                "error_message": f"请填写 {col.range_text} 的整数。",
            }
        elif col.type == "amount":
            validation = {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "error_type": "warning",
                "error_message": "金额应为不小于 0 的数字（元）。",
            }
        else:
            validation = {"validate": "any"}
        if hint:
            validation["input_title"] = col.label[:32]
            validation["input_message"] = hint
        if validation != {"validate": "any"}:
            ws.data_validation(FIRST_DATA_ROW - 1, index, last_row, index, validation)
    ws.freeze_panes(HEADER_ROW, sheet.freeze_cols)
    ws.autofilter(1, 0, 1, len(sheet.columns) - 1)
    print_setup(ws, (0, HEADER_ROW - 1))


def _write_items_sheet(book: Workbook, fmt: _Formats, sheet: Sheet, org: str) -> None:
    ws = book.add_worksheet(sheet.name)
    ws.write_string(0, 0, f"{sheet.name}（条款 {sheet.clause}）", fmt.title)
    ws.write_string(1, 0, "项目", fmt.header)
    ws.write_string(1, 1, "内容", fmt.header)
    ws.write_string(1, 2, "说明", fmt.header)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 56, fmt.wrap)
    ws.set_column(2, 2, 40, fmt.note)
    for offset, item in enumerate(sheet.items):
        row = FIRST_DATA_ROW - 1 + offset
        ws.write_string(row, 0, item.label, fmt.label)
        if item.key == "org_name" and org:
            ws.write_string(row, 1, org, fmt.cell)
        elif item.default:
            ws.write_number(row, 1, int(item.default), fmt.cell)
        elif item.type == "date":
            ws.write_blank(row, 1, None, fmt.cell_date)
        else:
            ws.write_blank(row, 1, None, fmt.cell)
        if item.key in LONG_ITEMS:
            ws.set_row(row, LONG_ITEM_HEIGHT)  # room for a few lines before anyone types
        if item.hint:
            ws.write_string(row, 2, item.hint, fmt.note)
        if item.type == "date":
            ws.data_validation(
                row,
                1,
                row,
                1,
                {
                    "validate": "date",
                    "criteria": ">",
                    "value": datetime(1990, 1, 1),
                    "error_type": "warning",
                    "input_title": item.label[:32],
                    "input_message": item.hint or "日期，如 2025-07-20",
                },
            )
        elif item.type == "integer":
            ws.data_validation(
                row,
                1,
                row,
                1,
                {
                    "validate": "integer",
                    "criteria": ">=",
                    "value": 0,
                    "error_type": "stop",
                    "input_title": item.label[:32],
                    "input_message": item.hint or "整数",
                },
            )
    ws.freeze_panes(HEADER_ROW, 1)
    print_setup(ws, (0, HEADER_ROW - 1), landscape=False)


def _item_cell(sheet: Sheet, key: str) -> str:
    """Absolute reference to the 内容 cell of one item of a 项目/内容 sheet."""
    for offset, item in enumerate(sheet.items):
        if item.key == key:
            return f"'{sheet.name}'!$B${FIRST_DATA_ROW + offset}"
    raise KeyError(key)


def _rng(sheet: Sheet, key: str) -> str:
    letter = column_letter([c.key for c in sheet.columns].index(key))
    return f"'{sheet.name}'!${letter}${FIRST_DATA_ROW}:${letter}${FORMULA_LAST_ROW}"


def live_formulas() -> list[tuple[str, str, str, str, str, str]]:
    """(name, unit, value formula, numerator formula, denominator formula, definition).

    Formulas refer to the period cells of 实时指标: $B$4 = S, $B$5 = E, $B$3 = T, $B$6 = min(E, T),
    all whole days. A date cell may hold a time of day; like the engine (DESIGN §2: date-times
    are truncated to dates) the formulas compare its day: "≤ day" is written "< day + 1", and
    two date cells are compared with INT.
    """
    c = schema.CONTRACTS
    p = schema.PAYMENTS
    nat, plan, act = _rng(c, "nature"), _rng(c, "planned_delivery"), _rng(c, "actual_delivery")
    state, acc = _rng(c, "state"), _rng(c, "acceptance")
    kind, due_on, due = _rng(p, "kind"), _rng(p, "due_on"), _rng(p, "due_amount")
    paid_on, paid = _rng(p, "paid_on"), _rng(p, "paid_amount")
    s, t, w = "$B$4", "$B$3", "$B$6"
    due_set = f'{nat},"收入性",{plan},">="&{s},{plan},"<"&({w}+1),{state},"<>协商解除"'
    fulfil_num = f'COUNTIFS({due_set},{state},"已履行",{act},"<"&({t}+1))'
    fulfil_den = f"COUNTIFS({due_set})"
    on_time_num = (
        f'SUMPRODUCT(({nat}="收入性")*({plan}>={s})*({plan}<{w}+1)*({state}<>"协商解除")'
        f'*({act}<>"")*(INT({act})<=INT({plan})))'
    )
    delivered = f'{nat},"收入性",{act},">="&{s},{act},"<"&({w}+1),{state},"<>协商解除"'
    quality_num = f'COUNTIFS({delivered},{acc},"合格")'
    quality_den = f'{quality_num}+COUNTIFS({delivered},{acc},"不合格")'
    received = f'({paid_on}<>"")*({paid_on}<{t}+1)*{paid}'
    collect_num = (
        f'SUMPRODUCT(({kind}="收款")*({due_on}>={s})*({due_on}<{w}+1)'
        f"*(({received}<{due})*{received}+({received}>={due})*{due}))"
    )
    collect_den = f'SUMIFS({due},{kind},"收款",{due_on},">="&{s},{due_on},"<"&({w}+1))'
    overdue = (
        f'SUMPRODUCT(({kind}="收款")*({due_on}<>"")*({due_on}<{t})'
        f"*(({due}-{received})>0)*({due}-{received}))"
    )

    def ratio(num: str, den: str) -> str:
        return f'IFERROR(IF({den}=0,"无数据",{num}/({den})),"请先运行校验")'

    return [
        (
            "合同履约率",
            "比率",
            ratio(fulfil_num, fulfil_den),
            f'IFERROR({fulfil_num},"")',
            f'IFERROR({fulfil_den},"")',
            "收入性合同中计划交付日期在期内的（不含协商解除）：已履行且实际交付日期不晚于基准日期的比例",
        ),
        (
            "按时交付率",
            "比率",
            ratio(on_time_num, fulfil_den),
            f'IFERROR({on_time_num},"")',
            f'IFERROR({fulfil_den},"")',
            "同上合同中，实际交付日期不晚于计划交付日期的比例",
        ),
        (
            "质量达标率",
            "比率",
            ratio(quality_num, quality_den),
            f'IFERROR({quality_num},"")',
            f'IFERROR({quality_den},"")',
            "收入性合同中实际交付日期在期内且验收结果为合格/不合格的：合格的比例",
        ),
        (
            "回款率",
            "比率",
            ratio(collect_num, collect_den),
            f'IFERROR({collect_num},"")',
            f'IFERROR({collect_den},"")',
            "收款中应收付日期在期内的：基准日期前实收（不超过应收）合计 ÷ 应收合计",
        ),
        (
            "逾期应收金额",
            "元",
            f'IFERROR({overdue},"请先运行校验")',
            f'IFERROR({overdue},"")',
            "",
            "收款中应收付日期早于基准日期的：未收回部分合计（元）",
        ),
    ]


def _write_live_sheet(book: Workbook, fmt: _Formats) -> None:
    ws = book.add_worksheet(schema.LIVE_SHEET)
    settings = schema.SETTINGS
    ws.write_string(0, 0, "实时指标（Excel 原生公式，无需 Python，录入后自动更新）", fmt.title)
    as_of, start, end = (
        _item_cell(settings, "as_of"),
        _item_cell(settings, "period_from"),
        _item_cell(settings, "period_to"),
    )
    rows = [
        ("基准日期", f'IF({as_of}="",TODAY(),INT({as_of}))'),
        # blank: 1 Jan of the year of min(E, T) (DESIGN §3)
        ("统计开始日期", f'IF({start}="",DATE(YEAR(MIN(B5,B3)),1,1),INT({start}))'),
        ("统计结束日期", f'IF({end}="",B3,INT({end}))'),
        ("统计截止（结束日期与基准日期较早者）", "MIN(B5,B3)"),
    ]
    for offset, (label, formula) in enumerate(rows):
        ws.write_string(2 + offset, 0, label, fmt.label)
        ws.write_formula(2 + offset, 1, "=" + formula, fmt.cell_date)
    ws.write_string(2, 2, "期间和基准日期取自「设置」表；留空时按今天和当年 1 月 1 日。", fmt.note)
    header_row = 7  # 0-based row 7 = Excel row 8
    for index, label in enumerate(("指标", "当前值", "分子", "分母", "口径")):
        ws.write_string(header_row, index, label, fmt.header)
    for offset, (name, unit, value, num, den, definition) in enumerate(live_formulas()):
        row = header_row + 1 + offset
        ws.write_string(row, 0, name, fmt.label)
        big = fmt.big_amount if unit == "元" else fmt.big_percent
        ws.write_formula(row, 1, "=" + value, big)
        ws.write_formula(
            row, 2, "=" + num, fmt.amount if unit != "比率" or "回款" in name else fmt.big_int
        )
        if den:
            ws.write_formula(row, 3, "=" + den, fmt.amount if "回款" in name else fmt.big_int)
        ws.write_string(row, 4, definition, fmt.cell)
    ws.write_string(
        header_row + 7,
        0,
        "说明：公式只统计真正的日期和数字；以文本形式录入的日期/金额请先运行“校验数据”并按提示改正。"
        "完整的 13 项指标、预警和体系自评请运行“刷新指标与预警”（见「指标看板」）。",
        fmt.note,
    )
    ws.set_column(0, 0, 34)
    ws.set_column(1, 3, 16)
    ws.set_column(4, 4, 70)
    print_setup(ws, (0, 8 - 1))


def _write_placeholder(book: Workbook, fmt: _Formats, name: str, what: str) -> None:
    ws = book.add_worksheet(name)
    ws.write_string(0, 0, name, fmt.title)
    ws.write_string(
        2,
        0,
        f"本表由程序生成：运行“刷新指标与预警”后在此列出{what}。请勿在本表录入数据。",
        fmt.note,
    )
    ws.set_column(0, 0, 90)


def wrapped_height(cells: Iterable[tuple[str, float]]) -> float | None:
    """The row height (points) that shows every (text, column width) of a row of wrapped cells,
    or None when one line is enough. Excel grows a row as you type; LibreOffice does not grow
    rows a program wrote, so whoever writes long text sets the height."""
    lines = 1
    for text, width in cells:
        for part in str(text).split("\n"):
            lines = max(lines, -(-display_width(part) // max(1, int(width - 1))) if part else 1)
        lines = max(lines, str(text).count("\n") + 1)
    return 14.0 * lines + 4 if lines > 1 else None


def _fit_row(ws: Worksheet, row: int, text: str, width: float) -> None:
    """Give a row of wrapped text the height it needs (programs do not grow it themselves)."""
    height = wrapped_height([(text, width)])
    if height:
        ws.set_row(row, height)


def _write_guide(book: Workbook, fmt: _Formats, org: str) -> None:
    ws = book.add_worksheet(schema.GUIDE_SHEET)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 8)
    ws.set_column(4, 4, 40)
    ws.set_column(5, 5, 12)
    ws.write_string(0, 0, f"{org + ' ' if org else ''}履约管理台账 · 使用说明", fmt.title)
    steps = [
        "本工作簿是按 Q/QJC 002—2025《履约能力管理体系 要求》设计的履约管理记录台账（8.1.3.2：小型组织可用现有工具实现合同管理、款项统计、预警和查询统计）。",
        "1. 先填「基本信息」和「设置」；再在各记录表第 3 行起逐行录入，每行一条记录，不要改动第 2 行的列名。",
        "2. 下拉列表列请从列表中选择；日期填真正的日期（如 2025-07-20），金额填数字（元）。",
        "3. 「实时指标」表用 Excel 原生公式实时计算合同履约率、按时交付率、质量达标率、回款率和逾期应收金额，无需任何插件。",
        "4. 安装了“履约管理”功能区或程序后：“校验数据”列出所有录入问题；“刷新指标与预警”生成「指标看板」「预警清单」「体系自评」并写入供应商评分、风险等级和目标达成情况。",
        "5. 所有数据只保存在本机，程序不联网、不上传。每次写回前自动在 .lyue-backup 文件夹保留旧版本。",
    ]
    for offset, line in enumerate(steps):
        ws.merge_range(1 + offset, 0, 1 + offset, 5, line, fmt.wrap)
        _fit_row(ws, 1 + offset, line, 16 + 22 + 12 + 8 + 40 + 12)
    row = 2 + len(steps)
    ws.write_string(row, 0, "工作表与条款", fmt.title)
    row += 1
    ws.write_string(row, 0, "工作表", fmt.header)
    ws.write_string(row, 1, "条款", fmt.header)
    ws.merge_range(row, 2, row, 5, "用途", fmt.header)
    row += 1
    purposes = [(s.name, s.clause, s.purpose) for s in schema.SHEETS] + [
        (schema.LIVE_SHEET, "10.2", "原生公式计算的实时指标（无需 Python）"),
        (schema.DASHBOARD_SHEET, "10.2 10.4", "程序生成：全部指标、目标对比和趋势图"),
        (schema.ALERTS_SHEET, "9.4 10.1", "程序生成：逾期、临近和缺失等预警"),
        (schema.ASSESSMENT_SHEET, "附录A", "程序生成：逐条款体系自评"),
    ]
    for name, clause, purpose in purposes:
        ws.write_string(row, 0, name, fmt.label)
        ws.write_string(row, 1, clause, fmt.cell)
        ws.merge_range(row, 2, row, 5, purpose, fmt.cell)
        _fit_row(ws, row, purpose, 12 + 8 + 40 + 12)
        row += 1
    row += 1
    ws.write_string(row, 0, "字段说明", fmt.title)
    row += 1
    for index, label in enumerate(("工作表", "列名", "类型", "必填", "下拉选项 / 说明", "条款")):
        ws.write_string(row, index, label, fmt.header)
    row += 1
    for sheet in schema.SHEETS:
        entries: list[tuple[str, str, str, str, str]] = []
        if sheet.is_keyvalue:
            entries = [
                (item.label, schema.TYPE_LABELS[item.type], "", item.hint, sheet.clause)
                for item in sheet.items
            ]
        else:
            for col in sheet.columns:
                note = "、".join(col.choices) if col.choices else col.hint
                if col.engine:
                    note = "程序写入。" + note
                entries.append(
                    (
                        col.label,
                        col.type_label,
                        "是" if col.required else "",
                        note,
                        col.clause or sheet.clause,
                    )
                )
        for label, type_label, required, note, clause in entries:
            ws.write_string(row, 0, sheet.name, fmt.cell)
            ws.write_string(row, 1, label, fmt.cell)
            ws.write_string(row, 2, type_label, fmt.cell)
            ws.write_string(row, 3, required, fmt.cell)
            ws.write_string(row, 4, note, fmt.cell)
            ws.write_string(row, 5, clause, fmt.cell)
            _fit_row(ws, row, note, 40)
            row += 1
    print_setup(ws, (0, 1 - 1), landscape=False)


def write_template(path: Path, org: str = "") -> None:
    """Write the blank record workbook to ``path`` (which must not be open elsewhere)."""
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    book.set_properties(
        {
            "title": "履约管理台账",
            "subject": "Q/QJC 002—2025 履约能力管理体系记录",
            "company": org,
            "created": FIXED_CREATED,
            "comments": "由 lyue-xl 生成",
        }
    )
    book.set_size(1600, 1000)
    fmt = _Formats(book)
    _write_guide(book, fmt, org)
    for sheet in schema.SHEETS:
        if sheet.is_keyvalue:
            _write_items_sheet(book, fmt, sheet, org)
        else:
            _write_record_sheet(book, fmt, sheet, org)
    _write_live_sheet(book, fmt)
    _write_placeholder(book, fmt, schema.DASHBOARD_SHEET, "全部履约指标、目标达成和趋势图")
    _write_placeholder(book, fmt, schema.ALERTS_SHEET, "所有预警（按级别和日期排序）")
    _write_placeholder(book, fmt, schema.ASSESSMENT_SHEET, "逐条款的体系自评结论")
    book.close()


def new_workbook(path: Path, org: str = "", force: bool = False, backups: int = 5) -> Path:
    """`lyue-xl new`: write the blank workbook; an existing file needs ``force`` (and is backed up)."""
    from lyue_xl.errors import LyueError
    from lyue_xl.workbook.safe_write import atomic_write

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise LyueError(f"新建的台账应以 .xlsx 结尾（收到“{path.name}”）；请换一个文件名。")
    if path.is_dir():
        raise LyueError(f"“{path}”是一个文件夹；请给出要新建的 .xlsx 文件名。")
    if path.exists() and not force:
        raise LyueError(
            f"“{path}”已存在；如需覆盖请加 --force（旧文件会备份到 .lyue-backup），或换一个文件名。"
        )
    if not path.parent.is_dir():
        raise LyueError(f"文件夹“{path.parent}”不存在；请先创建它。")
    atomic_write(path, lambda temp: write_template(temp, org), backups=backups)
    return path
