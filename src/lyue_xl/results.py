"""What refresh writes, as plain data: the engine-owned sheets and the engine columns.

Both writers render this same model: the file writer (xlsxwriter + zip-level transplant, see
`lyue_xl.refresh`) and the Excel writer (xlwings, see `lyue_xl.excel`). No I/O here.
Text that came from the user is always a plain value here; the writers store it as a string.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from lyue_xl import schema
from lyue_xl.alerts import TITLES
from lyue_xl.definitions import INDICATORS
from lyue_xl.engine import Analysis
from lyue_xl.indicators import NAME_OF, RATE, SCORE, TREND_KEYS, YUAN

# Number formats by unit; the writers map style names to real formats.
PERCENT_FMT = "0.0%"
SCORE_FMT = "0.00"
AMOUNT_FMT = "#,##0.00"
INT_FMT = "0"

LEVEL_STYLE = {"高": "level_high", "中": "level_mid", "低": "level_low"}
STATUS_STYLE = {
    "符合": "ok",
    "部分符合": "partial",
    "不符合": "bad",
    "不适用": "muted",
    "需人工确认": "partial",
}


@dataclass(slots=True)  # many thousands per refresh: slots, not frozen, keeps them cheap
class Cell:
    value: object
    style: str = "cell"  # a name from STYLES below
    link: str | None = None  # internal target, e.g. "'合同台账'!A12"


@dataclass(frozen=True)
class Chart:
    kind: str  # "line" or "column"
    title: str
    categories: tuple[int, int, int]  # (first row, last row, column), 0-based, on the same sheet
    series: tuple[tuple[str, int], ...]  # (name, column), rows as categories
    anchor: tuple[int, int]  # (row, column) of the top-left corner
    percent: bool = False
    size: tuple[int, int] = (520, 300)
    count_step: int | None = None  # a count axis: whole numbers, this far apart (no 0.5, 1.5)


@dataclass
class ResultSheet:
    name: str
    rows: list[list[Cell | None]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    freeze: tuple[int, int] | None = None
    print_titles: int | None = None  # 0-based header row repeated on every printed page
    autofilter: tuple[int, int, int, int] | None = None  # first row, first col, last row, last col
    heights: dict[int, float] = field(default_factory=dict)  # row -> points, for wrapped text

    def add(self, *cells: Cell | None) -> int:
        self.rows.append(list(cells))
        return len(self.rows) - 1

    def blank(self) -> None:
        self.rows.append([])


# style name -> xlsxwriter-style properties (the Excel writer maps the same names)
BASE = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
STYLES: dict[str, dict[str, object]] = {
    "title": {**BASE, "bold": True, "font_size": 14, "font_name": "黑体"},
    "subtitle": {**BASE, "bold": True, "font_size": 11, "font_name": "黑体"},
    "note": {**BASE, "font_color": "#595959", "italic": True},
    "header": {
        **BASE,
        "bold": True,
        "bg_color": "#DDEBF7",
        "border": 1,
        "align": "center",
        "text_wrap": True,
    },
    "cell": {**BASE, "border": 1},
    "wrap": {**BASE, "border": 1, "text_wrap": True, "valign": "top"},
    "pct": {**BASE, "border": 1, "num_format": PERCENT_FMT},
    "score": {**BASE, "border": 1, "num_format": SCORE_FMT},
    "amount": {**BASE, "border": 1, "num_format": AMOUNT_FMT},
    "int": {**BASE, "border": 1, "num_format": INT_FMT},
    "date": {**BASE, "border": 1, "num_format": "yyyy-mm-dd"},
    "link": {**BASE, "border": 1, "font_color": "#0563C1", "underline": 1},
    # 高 red, 中 amber, 低 blue: apart in colour and on a grey print (bold, weight of fill)
    "level_high": {
        **BASE,
        "border": 1,
        "bold": True,
        "bg_color": "#FFC7CE",
        "font_color": "#9C0006",
        "align": "center",
    },
    "level_mid": {
        **BASE,
        "border": 1,
        "bg_color": "#FFEB9C",
        "font_color": "#9C5700",
        "align": "center",
    },
    "level_low": {
        **BASE,
        "border": 1,
        "bg_color": "#DDEBF7",
        "font_color": "#1F4E79",
        "align": "center",
    },
    "ok": {**BASE, "border": 1, "bg_color": "#C6EFCE", "font_color": "#006100", "align": "center"},
    "partial": {
        **BASE,
        "border": 1,
        "bg_color": "#FFEB9C",
        "font_color": "#9C5700",
        "align": "center",
    },
    "bad": {**BASE, "border": 1, "bg_color": "#FFC7CE", "font_color": "#9C0006", "align": "center"},
    "muted": {**BASE, "border": 1, "font_color": "#7F7F7F", "align": "center"},
    "big": {**BASE, "border": 1, "bold": True, "font_size": 12, "num_format": PERCENT_FMT},
}


def _value_cell(value: float | None, unit: str) -> Cell:
    if value is None or pd.isna(value):
        return Cell("无数据", "muted")
    style = {RATE: "pct", SCORE: "score", YUAN: "amount"}.get(unit, "int")
    return Cell(float(value), style)


AMOUNT_KEYS = tuple(i.key for i in INDICATORS if i.in_yuan)


def _count_cell(value: float | None, key: str) -> Cell:
    """A numerator or denominator: amounts in 元 for money indicators, else counts or sums."""
    if value is None:
        return Cell("")
    if key in AMOUNT_KEYS:
        return Cell(float(value), "amount")
    return Cell(float(value), "score" if key == "customer_satisfaction" else "int")


def _text(value: object) -> Cell:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return Cell("")
    return Cell(str(value))


def missing(value: object) -> bool:
    """None, NaN or NaT: a value that is not there."""
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _date(value: object) -> Cell:
    if missing(value) or not isinstance(value, date | pd.Timestamp):
        return Cell("")
    return Cell(value.date() if isinstance(value, datetime) else value, "date")


def _header(sheet: ResultSheet, *labels: str) -> int:
    return sheet.add(*(Cell(label, "header") for label in labels))


def _heading(sheet: ResultSheet, analysis: Analysis, title: str) -> None:
    org = analysis.records.org_name
    sheet.add(Cell(f"{org + ' · ' if org else ''}{title}", "title"))
    sheet.add(
        Cell(
            f"统计期间 {analysis.period.start.isoformat()} 至 {analysis.period.end.isoformat()}，"
            f"基准日期 {analysis.period.as_of.isoformat()}。本表由“刷新指标与预警”生成，"
            "请勿在此录入；再次刷新会整体重写。",
            "note",
        )
    )
    sheet.blank()


def dashboard(analysis: Analysis) -> ResultSheet:
    sheet = ResultSheet(schema.DASHBOARD_SHEET, widths=[22, 14, 15, 15, 8, 12, 16, 10, 4, 12, 12])
    _heading(sheet, analysis, "指标看板")
    targets: dict[str, pd.Series] = {}
    for _, row in analysis.objectives.iterrows():
        if row["achieved"] != "非本期":
            targets.setdefault(row["indicator"], row)
    _header(sheet, "指标", "实际值", "分子", "分母", "单位", "目标值", "比较方式", "达成情况")
    for item in analysis.indicators:
        target = targets.get(item.name)
        goal = (
            [
                _value_cell(target["target_value"], item.unit),
                _text(target["comparison"]),
                Cell(
                    target["achieved"],
                    {"达成": "ok", "未达成": "bad"}.get(target["achieved"], "muted"),
                ),
            ]
            if target is not None
            else [Cell("未设目标", "muted"), Cell(""), Cell("")]
        )
        sheet.add(
            Cell(item.name, "cell"),
            _value_cell(item.value, item.unit),
            _count_cell(item.numerator, item.key),
            _count_cell(item.denominator, item.key),
            Cell(item.unit),
            *goal,
        )
    sheet.blank()

    sheet.add(Cell("到期未履行合同（收入性）按原因", "subtitle"))
    _header(sheet, "原因", "份数")
    for reason, count in analysis.unfulfilled.items():
        sheet.add(Cell(reason), Cell(count, "int"))
    sheet.blank()

    sheet.add(Cell("月度趋势（空白 = 该月无数据）", "subtitle"))
    first = _header(sheet, "月份", *(NAME_OF[k] for k in TREND_KEYS), "到期合同数")
    for _, row in analysis.monthly.iterrows():
        sheet.add(
            Cell(row["month"]),
            *(
                Cell(None, "pct") if missing(row[k]) else Cell(float(row[k]), "pct")
                for k in TREND_KEYS
            ),
            Cell(int(row["due_contracts"]), "int"),
        )
    last = len(sheet.rows) - 1
    if last > first:
        sheet.charts.append(
            Chart(
                "line",
                "合同履约率与按时交付率（月度）",
                (first + 1, last, 0),
                ((NAME_OF["fulfillment_rate"], 1), (NAME_OF["on_time_delivery_rate"], 2)),
                (4, 9),
                percent=True,
            )
        )
    sheet.blank()

    sheet.add(Cell("供应商等级分布", "subtitle"))
    first = _header(sheet, "等级", "供应商数")
    grades = analysis.suppliers["grade"].value_counts()
    for grade in ("A", "B", "C", "D", "未评"):
        sheet.add(Cell(grade), Cell(int(grades.get(grade, 0)), "int"))
    most = max((int(grades.get(g, 0)) for g in ("A", "B", "C", "D", "未评")), default=0)
    sheet.charts.append(
        Chart(
            "column",
            "供应商等级分布",
            (first + 1, first + 5, 0),
            (("供应商数", 1),),
            (20, 9),
            count_step=max(1, -(-most // 8)),
        )
    )
    sheet.blank()

    for title, table in analysis.breakdowns.items():
        sheet.add(Cell(f"到期合同按{title}", "subtitle"))
        _header(
            sheet,
            title,
            "到期份数",
            "已履行",
            "按时交付",
            "合同履约率",
            "按时交付率",
            "合同金额（元）",
        )
        for _, row in table.iterrows():
            sheet.add(
                Cell(str(row["group"])),
                Cell(int(row["due"]), "int"),
                Cell(int(row["fulfilled"]), "int"),
                Cell(int(row["on_time"]), "int"),
                _value_cell(row["fulfillment_rate"], RATE),
                _value_cell(row["on_time_delivery_rate"], RATE),
                Cell(float(row["amount"]), "amount"),
            )
        sheet.blank()
    # no frozen panes: the tables below the first have columns of their own, and a frozen header
    # of the first table would label them wrongly
    return sheet


def alerts_sheet(analysis: Analysis) -> ResultSheet:
    sheet = ResultSheet(schema.ALERTS_SHEET, widths=[6, 20, 8, 10, 6, 20, 12, 60, 28])
    _heading(sheet, analysis, "预警清单")
    counts = {level: sum(1 for a in analysis.alerts if a.level == level) for level in "高中低"}
    sheet.rows[2] = [
        Cell(
            f"共 {len(analysis.alerts)} 条：高 {counts['高']}、中 {counts['中']}、低 {counts['低']}。"
            "点击“记录”可跳到原始记录。",
            "note",
        )
    ]
    # 预警类型 in words for people; the stable code (DESIGN §4) last, to match the CLI and JSON
    first = _header(
        sheet,
        "级别",
        "预警类型",
        "条款",
        "工作表",
        "行",
        "记录",
        "日期",
        "说明",
        "代码（供程序使用）",
    )
    for alert in analysis.alerts:
        link = f"'{alert.sheet}'!A{alert.row}" if alert.row else f"'{alert.sheet}'!A1"
        sheet.add(
            Cell(alert.level, LEVEL_STYLE.get(alert.level, "cell")),
            Cell(TITLES.get(alert.code, alert.code)),
            Cell(alert.clause),
            Cell(alert.sheet),
            Cell(alert.row, "int") if alert.row else Cell(""),
            Cell(alert.record, "link", link),
            _date(alert.date),
            Cell(alert.message, "wrap"),
            Cell(alert.code),
        )
    fit_heights(sheet)
    sheet.freeze = (first + 1, 0)
    sheet.autofilter = (first, 0, max(first, len(sheet.rows) - 1), 8)
    sheet.print_titles = first
    return sheet


def assessment_sheet(analysis: Analysis) -> ResultSheet:
    result = analysis.assessment
    sheet = ResultSheet(schema.ASSESSMENT_SHEET, widths=[8, 18, 36, 10, 44, 30, 30])
    _heading(sheet, analysis, "体系自评（逐条款）")
    counts = "，".join(f"{k} {v}" for k, v in result.counts.items())
    sheet.rows[2] = [
        Cell(
            f"就绪度 {result.readiness_text}（{counts}）。符合 = 1，部分符合 = 0.5，不符合 = 0，"
            "不适用不计；需人工确认（只能由文件或面谈证明）另计，不计入就绪度。",
            "subtitle",
        )
    ]
    first = _header(sheet, "条款", "标题", "要求", "自评结论", "证据", "差距", "建议")
    for item in result.results:
        sheet.add(
            Cell(item.number),
            Cell(item.title, "wrap"),
            Cell(item.requirement, "wrap"),
            Cell(item.status, STATUS_STYLE.get(item.status, "cell")),
            Cell(item.evidence, "wrap"),
            Cell(item.gap, "wrap"),
            Cell(item.suggestion, "wrap"),
        )
    fit_heights(sheet)
    sheet.freeze = (first + 1, 2)
    sheet.print_titles = first
    sheet.autofilter = (first, 0, max(first, len(sheet.rows) - 1), 6)
    return sheet


def _text_width(text: str) -> int:
    """:func:`display_width`, estimated from the UTF-8 length (a 预警清单 has thousands of
    messages): ASCII counts 1, CJK characters 2, but also “”…, which are narrow, 2. A row a line
    taller than it needs is harmless; one too short hides text."""
    if text.isascii():
        return len(text)
    return (len(text) + len(text.encode("utf-8")) + 1) // 2


def fit_heights(sheet: ResultSheet, line_points: float = 13.5) -> None:
    """Row heights for wrapped cells (spreadsheet programs do not grow rows they did not lay out)."""
    for r, cells in enumerate(sheet.rows):
        lines = 1
        for c, cell in enumerate(cells):
            if cell is None or cell.style != "wrap" or c >= len(sheet.widths):
                continue
            width = max(sheet.widths[c] - 1, 1)
            lines = max(lines, -(-_text_width(str(cell.value)) // int(width)))
        if lines > 1:
            sheet.heights[r] = lines * line_points + 3


def result_sheets(analysis: Analysis) -> list[ResultSheet]:
    return [dashboard(analysis), alerts_sheet(analysis), assessment_sheet(analysis)]


# --- engine columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineColumn:
    sheet: str
    header_row: int
    label: str
    values: dict[int, object]  # Excel row -> number, text or None
    number_format: str | None = None


def _by_row(rows: pd.Series, values: pd.Series, blank: object = None) -> dict[int, object]:
    """Excel row -> value for an engine column: numbers as floats, text as is, a missing value as
    ``blank`` (None clears the cell; 无数据 for rates)."""
    return {
        int(row): blank
        if missing(value) or value == ""
        else (float(value) if isinstance(value, int | float) else value)
        for row, value in zip(rows.tolist(), values.tolist(), strict=True)
    }


def engine_columns(analysis: Analysis) -> list[EngineColumn]:
    """The engine-written columns of 供应商, 风险机遇 and 履约目标 (DESIGN §2)."""
    out: list[EngineColumn] = []
    tables = analysis.records.tables
    s, r, o = analysis.suppliers, analysis.risks, analysis.objectives
    if tables["suppliers"].present:
        t = tables["suppliers"]
        out += [
            EngineColumn(
                t.sheet.name,
                t.header_row,
                "按时交付率",
                _by_row(s["row"], s["on_time_rate"], "无数据"),
                PERCENT_FMT,
            ),
            EngineColumn(
                t.sheet.name,
                t.header_row,
                "质量合格率",
                _by_row(s["row"], s["quality_rate"], "无数据"),
                PERCENT_FMT,
            ),
            EngineColumn(
                t.sheet.name, t.header_row, "综合评分", _by_row(s["row"], s["score"]), SCORE_FMT
            ),
            EngineColumn(t.sheet.name, t.header_row, "等级", _by_row(s["row"], s["grade"])),
            EngineColumn(
                t.sheet.name, t.header_row, "评级说明", _by_row(s["row"], s["grade_note"])
            ),
        ]
    if tables["risks"].present:
        t = tables["risks"]
        out += [
            EngineColumn(
                t.sheet.name, t.header_row, "风险值", _by_row(r["row"], r["value"]), INT_FMT
            ),
            EngineColumn(t.sheet.name, t.header_row, "等级", _by_row(r["row"], r["level"])),
        ]
    if tables["objectives"].present:
        t = tables["objectives"]
        # 实际值 takes the number format of its indicator's unit, one update per format
        formats = (
            o["unit"].map({RATE: PERCENT_FMT, YUAN: AMOUNT_FMT, SCORE: SCORE_FMT}).fillna(INT_FMT)
        )
        for fmt in sorted(set(formats)):
            mine = formats == fmt
            out.append(
                EngineColumn(
                    t.sheet.name,
                    t.header_row,
                    "实际值",
                    _by_row(o["row"][mine], o["actual"][mine], "无数据"),
                    fmt,
                )
            )
        out.append(
            EngineColumn(t.sheet.name, t.header_row, "达成情况", _by_row(o["row"], o["achieved"]))
        )
    return out
