"""Tolerant cell parsers: what a 履约管理员 types, as the engine understands it (DESIGN §2).

Each parser returns the parsed value, ``None`` for an empty cell, or raises ``ValueError`` with a
short Chinese reason when the cell holds something it cannot understand.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

from lyue_xl import schema

_YES = frozenset(_f.upper() for _f in schema.YES_FORMS)
_NO = frozenset(_f.upper() for _f in schema.NO_FORMS)
_EXCEL_EPOCH = date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31

_DATE_TEXT = re.compile(
    r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}[:：]\d{1,2}(?:[:：]\d{1,2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_AMOUNT_TEXT = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(万|亿)?$")


def normalize_text(value: object) -> str:
    """Trimmed text of a cell; numbers typed into text columns lose a trailing ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def excel_serial_to_date(serial: float) -> date:
    if not (1 <= serial <= _MAX_SERIAL):
        raise ValueError("日期序号超出 Excel 的范围")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: object) -> date | None:
    """A date from an Excel date, a serial number or text like 2025/7/20 or 2025年7月20日."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("不是日期")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return excel_serial_to_date(float(value))
    text = _fold(str(value))
    if not text:
        return None
    match = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if match is None:
        # a serial typed as text (a CSV export): five digits, 1927-05-18 .. 2173-10-14; a short
        # number such as "2025" (a year alone) or "20.25" is a typo, not 1905-07-17
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return excel_serial_to_date(float(text))
        raise ValueError("无法识别为日期")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("不是真实存在的日期") from None


def parse_amount(value: object) -> float | None:
    """A number from a cell: 1234.5, '1,234.5', '1234.5元', '12万', '¥3,000', full-width digits."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("不是数字")
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise ValueError("不是有限的数字")
        return number
    text = _fold(str(value))
    for junk in (",", " ", "¥", "￥", "人民币", "RMB", "元整", "元"):
        text = text.replace(junk, "")
    if not text:
        return None
    match = _AMOUNT_TEXT.match(text)
    if match is None:
        raise ValueError("无法识别为数字")
    sign, digits, unit = match.groups()
    number = float(digits) * {None: 1, "万": 10_000, "亿": 100_000_000}[unit]
    return -number if sign == "-" else number


def parse_percent_or_number(value: object) -> tuple[float | None, bool]:
    """A number that may carry a % sign: returns (number, had_percent_sign)."""
    if isinstance(value, str):
        text = _fold(value)
        if text.endswith("%"):
            number = parse_amount(text[:-1])
            return (None if number is None else number / 100.0), True
    return parse_amount(value), False


def parse_integer(value: object) -> int | None:
    number = parse_amount(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise ValueError("应为整数")
    return int(number)


def parse_yes_no(value: object) -> bool:
    """是/否; blank reads 否 (DESIGN §2). Raises for anything else."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    text = _fold(str(value)).upper()
    if text == "":
        return False
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("应填“是”或“否”")


def display_width(text: str) -> int:
    """Width in Excel character units: a CJK (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
