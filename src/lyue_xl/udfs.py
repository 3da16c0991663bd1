"""Worksheet functions for Excel users with Python (xlwings UDFs): thin wrappers over the engine.

Enable them with xlwings' own add-in and the setting "UDF Modules" = ``lyue_xl.udfs`` (see
docs/excel.md). Every function
- takes what it depends on as arguments (a UDF that read the workbook by itself would never be
  recalculated when the data changes, DESIGN §7), and is never volatile;
- accepts a single value or a range and returns the same shape (a range spills in Excel 365);
- answers in Chinese text for input it cannot use, never with an error dialog;
- is cached: the same inputs are not computed twice.

On Linux xlwings' decorators do nothing, so the functions are tested here by calling them.
Parameter names are ASCII because xlwings copies them into generated VBA; the Chinese names
and explanations Excel shows come from the docstrings and ``doc=`` texts.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import xlwings as xw

from lyue_xl import grading, indicators, parsing, schema
from lyue_xl.definitions import INDICATORS, risk_band
from lyue_xl.errors import LyueError
from lyue_xl.excel.plan import grid_from_values
from lyue_xl.period import resolve_period
from lyue_xl.schema import Sheet, fold
from lyue_xl.workbook.reader import HEADER_SEARCH_ROWS, NO_DEADLINE, records_from_grids

CATEGORY = "履约管理"
NO_DATA = "无数据"
UNREADABLE = "无法识别"

# --- shapes: a value or a range in, the same shape out -------------------------------------------


def _as_grid(value: object) -> list[list[object]] | None:
    """A range as rows (a 1-D list is one row); ``None`` for a single value."""
    if isinstance(value, list | tuple):
        if value and all(isinstance(row, list | tuple) for row in value):
            return [list(row) for row in value]
        return [list(value)]
    return None


def elementwise(func: Callable[..., object], *args: object) -> object:
    """Apply ``func`` cell by cell, like an Excel array formula.

    Single values combine with every cell of a range; ranges must have the same size (a cell
    outside a smaller range gives a Chinese message). A 1×1 result is returned as a value.
    """
    grids = [_as_grid(arg) for arg in args]
    if all(grid is None for grid in grids):
        return func(*args)
    shapes = [(len(g), max((len(r) for r in g), default=0)) for g in grids if g is not None]
    rows = max(r for r, _ in shapes)
    cols = max(c for _, c in shapes)

    def pick(arg: object, grid: list[list[object]] | None, r: int, c: int) -> object:
        if grid is None:
            return arg
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if r < len(grid) and c < len(grid[r]):
            return grid[r][c]
        raise IndexError

    out: list[list[object]] = []
    for r in range(rows):
        row: list[object] = []
        for c in range(cols):
            try:
                values = [pick(a, g, r, c) for a, g in zip(args, grids, strict=True)]
            except IndexError:
                row.append("区域大小不一致")
                continue
            row.append(func(*values))
        out.append(row)
    if rows == 1 and cols == 1:
        return out[0][0]
    return out


_CJK = re.compile("[\u4e00-\u9fff]")
CELL_ERROR = "计算出错：所选区域的数据无法计算，请检查区域是否含表头、日期和数字是否填写正确。"


def cell_error(exc: BaseException) -> str:
    """A failure as a cell shows it: our own Chinese message, never a library's English text."""
    message = str(exc).strip()
    if message and _CJK.search(message):
        return f"计算出错：{message}"
    return CELL_ERROR


def _safe(func: Callable[..., object]) -> Callable[..., object]:
    """Cached; an unexpected failure becomes a Chinese text in the cell, not an error dialog."""
    cached = functools.lru_cache(maxsize=4096)(func)

    @functools.wraps(func)
    def run(*args: object) -> object:
        try:
            return cached(*(_hashable(a) for a in args))
        except Exception as exc:  # a cell must show a message, not raise
            return cell_error(exc)

    run.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return run


def _hashable(value: object) -> object:
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: object) -> str:
    return parsing.normalize_text(value)


# --- one cell --------------------------------------------------------------------------------------


_LIKELIHOOD = schema.RISKS.column("likelihood")
_IMPACT = schema.RISKS.column("impact")


def _score(value: object, column: schema.Column) -> int:
    try:
        number = parsing.parse_integer(value)
    except ValueError:
        number = None
    if number is None or not ((column.minimum or 0) <= number <= (column.maximum or float("inf"))):
        raise ValueError(
            f"{column.label}应为 {column.range_text} 的整数（填写的是“{_shown(value)}”）"
        )
    return number


@_safe
def risk_level_of(likelihood: object, impact: object) -> object:
    if _blank(likelihood) and _blank(impact):
        return ""
    try:
        value = _score(likelihood, _LIKELIHOOD) * _score(impact, _IMPACT)
    except ValueError as exc:
        return str(exc)
    return risk_band(float(value))


_CREDIT = schema.SUPPLIERS.column("credit_result")


def _rate(value: object, label: str) -> float | None:
    if _blank(value) or (isinstance(value, str) and fold(value) == NO_DATA):
        return None
    try:
        number, _ = parsing.parse_percent_or_number(value)
    except ValueError:
        number = None
    rate = grading.normalise_target(number, indicators.RATE) if number is not None else None
    if rate is None or not 0 <= round(rate, 6) <= 1:
        raise ValueError(f"{label}应为 0–100% 的比例（填写的是“{_shown(value)}”）")
    return rate


@_safe
def supplier_grade_of(on_time: object, quality: object, credit: object) -> object:
    credit_text = parsing.normalize_text(credit)
    if credit_text and credit_text not in _CREDIT.choices:
        allowed = "、".join(_CREDIT.choices)
        return f"信用核查结论应为 {allowed} 之一（填写的是“{credit_text}”）"
    try:
        a = _rate(on_time, "按时交付率")
        b = _rate(quality, "质量合格率")
    except ValueError as exc:
        return str(exc)
    return grading.grade_for(grading.supplier_score(a, b), credit_text)


def _date_or_message(value: object, label: str) -> date | str | None:
    try:
        return parsing.parse_date(value)
    except ValueError:
        return f"{label}{UNREADABLE}（填写的是“{_shown(value)}”）"


@_safe
def days_left_of(due: object, done: object, as_of: object, today: date) -> object:
    if _blank(due):
        return ""
    if isinstance(due, str) and fold(due) in NO_DEADLINE:
        return "长期"
    parsed = [
        _date_or_message(v, label)
        for v, label in ((due, "到期日"), (done, "完成日"), (as_of, "基准日"))
    ]
    for item in parsed:
        if isinstance(item, str):
            return item
    due_d, done_d, as_of_d = parsed
    t = as_of_d or today
    assert isinstance(due_d, date) and isinstance(t, date)
    if isinstance(done_d, date) and done_d <= t:
        return "已完成"
    return float((due_d - t).days)


@_safe
def date_of(value: object) -> object:
    if _blank(value):
        return ""
    try:
        parsed = parsing.parse_date(value)
    except ValueError:
        return UNREADABLE
    return "" if parsed is None else parsed


@_safe
def amount_of(value: object) -> object:
    if _blank(value):
        return ""
    try:
        number = parsing.parse_amount(value)
    except ValueError:
        return UNREADABLE
    return "" if number is None else number


# --- indicators over record ranges ---------------------------------------------------------------

# The record sheets each indicator reads (DESIGN §3).
INDICATOR_SHEETS: dict[str, tuple[str, ...]] = {i.key: i.sheets for i in INDICATORS}
SUPPLIED_NAME = Path("工作表函数")
_CACHE_SIZE = 16
_indicator_cache: OrderedDict[bytes, dict[str, object]] = OrderedDict()


def indicator_key(name: object) -> str | None:
    """An indicator key from its key or Chinese name (folded: 合同履约率(金额) works too)."""
    text = fold(parsing.normalize_text(name))
    for key, label, _ in indicators.DEFINITIONS:
        if text in (fold(key), fold(label)):
            return key
    return None


def identify_region(grid: list[list[object]]) -> Sheet | None:
    """The record sheet a range comes from, recognised by its labels (header row or 项目 column)."""
    best: tuple[int, Sheet | None] = (0, None)
    head = grid[:HEADER_SEARCH_ROWS]
    item_cells = {fold(c) for row in grid[:60] for c in row if isinstance(c, str) and c}
    for sheet in schema.SHEETS:
        if sheet.is_keyvalue:
            score = len({fold(item.label) for item in sheet.items} & item_cells)
        else:
            wanted = {fold(c.label) for c in sheet.columns}
            score = max(
                (len(wanted & {fold(c) for c in row if isinstance(c, str) and c}) for row in head),
                default=0,
            )
        if score > best[0]:
            best = (score, sheet)
    return best[1] if best[0] >= 2 else None


def _digest(*parts: object) -> bytes:
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).digest()


def _indicator_values(
    regions: Sequence[object], start: object, end: object, as_of: object, today: date
) -> dict[str, object]:
    """Every indicator the supplied ranges allow, computed once per distinct input (cached)."""
    grids = [grid_from_values(region) for region in regions]
    key = _digest(grids, start, end, as_of, today)
    cached = _indicator_cache.get(key)
    if cached is not None:
        _indicator_cache.move_to_end(key)
        return cached
    values = _compute_indicators(grids, start, end, as_of, today)
    _indicator_cache[key] = values
    while len(_indicator_cache) > _CACHE_SIZE:
        _indicator_cache.popitem(last=False)
    return values


def _compute_indicators(
    regions: Sequence[list[list[object]]], start: object, end: object, as_of: object, today: date
) -> dict[str, object]:
    grids: dict[str, list[list[object]]] = {}
    for number, grid in enumerate(regions, start=1):
        if not grid:
            continue
        sheet = identify_region(grid)
        if sheet is None:
            return {
                "*": f"区域{number}无法识别：请选中记录表含表头行的整个区域（如 合同台账!A2:P500）"
            }
        if sheet.name in grids:
            return {"*": f"区域{number}与前面的区域都是「{sheet.name}」，请只给一次"}
        grids[sheet.name] = grid
    dates = []
    for value, label in ((start, "开始"), (end, "结束"), (as_of, "基准日")):
        parsed = _date_or_message(value, label)
        if isinstance(parsed, str):
            return {"*": parsed}
        dates.append(parsed)
    try:
        records = records_from_grids(SUPPLIED_NAME, list(grids), grids.__getitem__, need=())
        period = resolve_period(records.settings, dates[0], dates[1], dates[2], today)
    except LyueError as exc:
        return {"*": str(exc)}
    present = {key for key, table in records.tables.items() if table.present}
    out: dict[str, object] = {}
    for key, needed in INDICATOR_SHEETS.items():
        missing = [schema.BY_KEY[k].name for k in needed if k not in present]
        if missing:
            out[key] = "缺少" + "、".join(f"「{name}」" for name in missing) + "区域"
            continue
        value = indicators.COMPUTE[key](records, period)[0]
        out[key] = NO_DATA if value is None or pd.isna(value) else float(value)
    return out


def indicator_value(
    name: object,
    regions: Sequence[object],
    start: object = None,
    end: object = None,
    as_of: object = None,
    today: date | None = None,
) -> object:
    """The value LYUE_INDICATOR shows: a number (rates as fractions), 无数据, or a message."""
    key = indicator_key(name)
    if key is None:
        names = "、".join(label for _, label, _ in indicators.DEFINITIONS)
        return f"未知指标“{_shown(name)}”（可用：{names}）"
    try:
        values = _indicator_values(regions, start, end, as_of, today or date.today())
    except Exception as exc:  # a cell must show a message, not raise
        return cell_error(exc)
    return values.get("*", values.get(key))


# --- the worksheet functions -------------------------------------------------------------------------


@xw.func(category=CATEGORY)
@xw.arg("likelihood", ndim=2, doc="可能性：1–5 的整数，可为单元格或区域")
@xw.arg("impact", ndim=2, doc="影响程度：1–5 的整数，可为单元格或区域")
def LYUE_RISK_LEVEL(likelihood: object, impact: object) -> object:  # noqa: N802
    """风险等级：可能性×影响程度 ≥15 为“高”，8–14 为“中”，≤7 为“低”；输入有误时返回说明文字。"""
    return elementwise(risk_level_of, likelihood, impact)


@xw.func(category=CATEGORY)
@xw.arg("on_time", ndim=2, doc="按时交付率：0.95、95 或 95%；空白或“无数据”表示没有数据")
@xw.arg("quality", ndim=2, doc="质量合格率：写法同上")
@xw.arg("credit", ndim=2, doc="信用核查结论：良好/一般/异常，可空白")
def LYUE_SUPPLIER_GRADE(on_time: object, quality: object, credit: object = None) -> object:  # noqa: N802
    """供应商等级：两项比例均值×100 为综合评分，A≥90、B≥75、C≥60、D<60；信用异常为 D；都无数据为“未评”。"""
    return elementwise(supplier_grade_of, on_time, quality, credit)


@xw.func(category=CATEGORY)
@xw.arg("due", ndim=2, doc="到期日（日期或 2025-07-20 这样的文本）")
@xw.arg("done", ndim=2, doc="完成日，可空白")
@xw.arg("as_of", ndim=2, doc="基准日，空白为今天")
def LYUE_DAYS_LEFT(due: object, done: object = None, as_of: object = None) -> object:  # noqa: N802
    """距到期日的天数（基准日起算，负数为已逾期天数）；完成日不晚于基准日时为“已完成”，长期为“长期”。"""
    today = date.today()
    return elementwise(lambda d, f, t: days_left_of(d, f, t, today), due, done, as_of)


@xw.func(category=CATEGORY)
@xw.arg("text", ndim=2, doc="日期文本，如 2025/7/20、2025.7.20、2025年7月20日")
def LYUE_DATE(text: object) -> object:  # noqa: N802
    """把文本日期转为 Excel 日期（单元格请设为日期格式）；无法识别时返回“无法识别”。"""
    return elementwise(date_of, text)


@xw.func(category=CATEGORY)
@xw.arg("text", ndim=2, doc="金额文本，如 1,234.5、1234.5元、12万")
def LYUE_AMOUNT(text: object) -> object:  # noqa: N802
    """把文本金额转为数字（元）：支持千分位、“元”和“万/亿”；无法识别时返回“无法识别”。"""
    return elementwise(amount_of, text)


@xw.func(category=CATEGORY, call_in_wizard=False)
@xw.arg("name", doc="指标名称或代码，如 合同履约率、回款率、fulfillment_rate")
@xw.arg("region1", ndim=2, doc="记录表区域（含表头行），如 合同台账!A2:P500")
@xw.arg("region2", ndim=2, doc="可选：另一记录表区域，如 款项、履约节点，或「设置」表的 A:B 两列")
@xw.arg("region3", ndim=2, doc="可选：第三个区域")
@xw.arg("start", doc="可选：统计开始日期；空白时用「设置」区域或当年 1 月 1 日")
@xw.arg("end", doc="可选：统计结束日期；空白时用「设置」区域或基准日")
@xw.arg("as_of", doc="可选：基准日期；空白时用「设置」区域或今天")
def LYUE_INDICATOR(  # noqa: N802
    name: object,
    region1: object,
    region2: object = None,
    region3: object = None,
    start: object = None,
    end: object = None,
    as_of: object = None,
) -> object:
    """履约指标（与“刷新指标与预警”同一算法）：比例为小数（设百分比格式），无数据时为“无数据”。区域按表头自动识别。"""
    regions = [r for r in (region1, region2, region3) if r is not None]
    return indicator_value(name, regions, start, end, as_of)
