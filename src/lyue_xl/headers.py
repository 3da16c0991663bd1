"""Match a header row's cells to a record sheet's columns: labels, synonyms and units.

One job: given the cells of one header row, say which column each cell is (by the schema's
labels first, then by :data:`lyue_xl.schema.LABEL_SYNONYMS`), with the unit factor a money
header carries (金额（万元） → ×10 000), which cells two columns competed for, and which cells
matched nothing. Matching is exact after folding (NFKC, no spaces, markers such as ``*`` and a
trailing note in brackets removed), never by substring, so 合同 does not match 合同编号.

The lookup table is built once per sheet; a header row costs one dict look-up per cell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lyue_xl import schema
from lyue_xl.schema import Sheet, fold

# priorities: a sheet's own label beats a synonym; a bare form beats one with a note removed
LABEL, LABEL_STRIPPED, SYNONYM, SYNONYM_STRIPPED = 0, 1, 2, 3

_MARKERS = "*＊※★☆:：、.。"
_BRACKETED = re.compile(r"^(.+?)[(\[【〔{](.*?)[)\]】〕}]$")
_UNITS = sorted(schema.UNIT_FACTORS, key=len, reverse=True)


@dataclass(frozen=True)
class Match:
    key: str
    index: int  # 0-based column
    text: str  # the header as typed (stripped)
    factor: float  # unit factor (1 unless an amount header carried another unit)
    priority: int

    @property
    def exact(self) -> bool:
        return self.priority == LABEL and self.factor == 1.0


@dataclass
class HeaderMatch:
    columns: dict[str, Match] = field(default_factory=dict)  # column key -> match
    # cells that named a column already taken by a better or earlier cell: (index, text, key)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # (index, text)

    @property
    def indexes(self) -> dict[str, int]:
        return {key: m.index for key, m in self.columns.items()}


def clean(text: object) -> str:
    """Folded header text without required-markers and colons around it."""
    return fold(text).strip(_MARKERS)


def _unit(text: str) -> tuple[str, float] | None:
    """``合同金额(万元)`` / ``金额万元`` -> (``合同金额``, 10000.0); None without a unit."""
    bracketed = _BRACKETED.match(text)
    if bracketed and bracketed.group(2) in schema.UNIT_FACTORS:
        return bracketed.group(1), schema.UNIT_FACTORS[bracketed.group(2)]
    if (
        bracketed
        and bracketed.group(2).startswith("单位")
        and bracketed.group(2)[2:].strip(_MARKERS)
    ):
        unit = bracketed.group(2)[2:].strip(_MARKERS)
        if unit in schema.UNIT_FACTORS:
            return bracketed.group(1), schema.UNIT_FACTORS[unit]
    for unit in _UNITS:
        if text.endswith(unit) and len(text) > len(unit) and unit != "元":
            return text[: -len(unit)], schema.UNIT_FACTORS[unit]
    return None


def _strip_note(text: str) -> str | None:
    """``签订日期(年/月/日)`` -> ``签订日期``; None when there is no trailing note."""
    bracketed = _BRACKETED.match(text)
    return bracketed.group(1).strip(_MARKERS) if bracketed else None


@functools.lru_cache(maxsize=64)
def _table(sheet_key: str) -> dict[str, tuple[str, int, bool]]:
    """folded form -> (column key, priority, amount column) for one sheet."""
    sheet = schema.BY_KEY[sheet_key]
    found: dict[str, tuple[str, int, bool]] = {}

    def put(form: str, key: str, priority: int, amount: bool) -> None:
        if form and (form not in found or found[form][1] > priority):
            found[form] = (key, priority, amount)

    for col in sheet.columns:
        amount = col.type == "amount"
        label = clean(col.label)
        put(label, col.key, LABEL, amount)
        names = [label, *(clean(s) for s in schema.label_synonyms(sheet, col))]
        for offset, name in enumerate(names):
            priority = LABEL if offset == 0 else SYNONYM
            put(name, col.key, priority, amount)
            unit = _unit(name) if amount else None
            if unit is not None:  # the label's own unit: 合同金额（元） is also 合同金额
                put(unit[0], col.key, priority + 1, amount)
    return found


def match_cell(sheet: Sheet, cell: object) -> Match | None:
    """The column one header cell names, or None (index is 0 in the result)."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    table = _table(sheet.key)
    text = clean(cell)
    hit = table.get(text)
    if hit is not None:
        return Match(hit[0], 0, cell.strip(), 1.0, hit[1])
    unit = _unit(text)
    if unit is not None:
        hit = table.get(unit[0])
        if hit is not None and hit[2]:
            return Match(hit[0], 0, cell.strip(), unit[1], hit[1] | 1)
    base = _strip_note(text)
    if base:
        hit = table.get(base)
        if hit is not None:
            return Match(hit[0], 0, cell.strip(), 1.0, hit[1] | 1)
    return None


def match_row(sheet: Sheet, cells: Sequence[object]) -> HeaderMatch:
    """Every cell of one header row matched: the best cell per column, the rest reported."""
    result = HeaderMatch()
    losers: list[tuple[int, str, str]] = []
    for index, cell in enumerate(cells):
        found = match_cell(sheet, cell)
        if found is None:
            if isinstance(cell, str) and cell.strip():
                result.unplaced.append((index, cell.strip()))
            continue
        found = Match(found.key, index, found.text, found.factor, found.priority)
        held = result.columns.get(found.key)
        if held is None or found.priority < held.priority:
            if held is not None:
                losers.append((held.index, held.text, held.key))
            result.columns[found.key] = found
        else:
            losers.append((index, found.text, found.key))
    result.duplicates = sorted(losers)
    return result


def count_matches(sheet: Sheet, cells: Sequence[object]) -> int:
    """How many different columns a row names (header detection, cheap)."""
    keys = set()
    for cell in cells:
        found = match_cell(sheet, cell)
        if found is not None:
            keys.add(found.key)
    return len(keys)
