"""A stand-in for the few xlwings objects ExcelBook uses, holding cells in dicts.

It behaves like Excel where that matters for our code: a string assigned to a cell is parsed as
typed (``'…`` stays text without the apostrophe, ``=…`` becomes a formula, anything else counts
as "parsed" and is recorded so tests can require every string to be protected); reads return
what xlwings returns on Windows (floats for numbers, datetimes for dates, None for blanks).
It does not prove anything about Excel itself — only that ExcelBook carries out its plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from lyue_xl.schema import fold


def _index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _parse_area(area: str) -> tuple[int, int, int, int]:
    parts = area.replace("$", "").split(":")
    coords = []
    for part in parts:
        m = re.fullmatch(r"([A-Z]+)(\d+)", part)
        assert m, part
        coords.append((int(m.group(2)), _index(m.group(1))))
    (r0, c0), (r1, c1) = coords[0], coords[-1]
    return r0, c0, r1, c1


@dataclass
class Formula:
    text: str


class Obj:
    """Attribute bag that records what was set."""

    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


class FakeRange:
    def __init__(self, sheet: FakeSheet, areas: list[tuple[int, int, int, int]]) -> None:
        self.sheet = sheet
        self.areas = areas
        self.font = Obj()
        self.api = Obj(
            Font=Obj(),
            Borders=Obj(),
            AutoFilter=lambda: sheet.filters.append(self.address),
            Copy=lambda dest: sheet.copies.append((self.address, dest.address)),
            address=self.address,
            areas=areas,
        )

    @property
    def address(self) -> str:
        return ",".join(f"{r0},{c0}:{r1},{c1}" for r0, c0, r1, c1 in self.areas)

    def cells(self) -> list[tuple[int, int]]:
        return [
            (r, c)
            for r0, c0, r1, c1 in self.areas
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
        ]

    def options(self, **kw: Any) -> FakeRange:
        return self

    @property
    def value(self) -> Any:
        r0, c0, r1, c1 = self.areas[0]
        return [[self.sheet.read(r, c) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]

    @value.setter
    def value(self, data: Any) -> None:
        r0, c0, _, _ = self.areas[0]
        rows = data if isinstance(data, list) else [[data]]
        self.sheet.writes.append((r0, c0, len(rows), max(len(r) for r in rows)))
        for dr, row in enumerate(rows):
            for dc, v in enumerate(row):
                self.sheet.assign(r0 + dr, c0 + dc, v)

    def _set_all(self, store: dict[tuple[int, int], Any], value: Any) -> None:
        for cell in self.cells():
            store[cell] = value

    number_format = property(
        lambda self: None, lambda self, v: self._set_all(self.sheet.formats, v)
    )
    color = property(lambda self: None, lambda self, v: self._set_all(self.sheet.fills, v))
    column_width = property(
        lambda self: None,
        lambda self, v: self.sheet.widths.__setitem__(self.areas[0][1], v),
    )
    row_height = property(
        lambda self: None,
        lambda self, v: self.sheet.heights.__setitem__(self.areas[0][0], v),
    )

    def select(self) -> None:
        self.sheet.book.selected = (self.sheet.name, self.areas[0][:2])


class FakeChart:
    def __init__(self, **kw: Any) -> None:
        self.kw = kw
        self.title: str | None = None
        self.categories: Any = None
        axis = Obj(TickLabels=Obj())
        self.api = (Obj(), Obj(Axes=lambda which: axis))
        self.axis = axis
        self.deleted = False

    def set_x_axis_values(self, rng: FakeRange) -> None:
        self.categories = rng.areas[0]

    def delete(self) -> None:
        self.deleted = True


class FakeCharts(list[FakeChart]):
    def add(self, **kw: Any) -> FakeChart:
        chart = FakeChart(**kw)
        self.append(chart)
        return chart


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book = book
        self.name = name
        self.store: dict[tuple[int, int], Any] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.fills: dict[tuple[int, int], str] = {}
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.writes: list[tuple[int, int, int, int]] = []
        self.links: list[tuple[tuple[int, int], str]] = []
        self.filters: list[str] = []
        self.copies: list[tuple[str, str]] = []
        self.unprotected: list[str] = []
        self.charts = FakeCharts()
        self.cleared = 0
        sheet = self

        def find(**kw: Any) -> Any:
            filled = [k for k, v in sheet.store.items() if v not in (None, "")]
            if not filled:
                return None
            if kw["SearchOrder"] == 1:
                return Obj(Row=max(r for r, _ in filled))
            return Obj(Column=max(c for _, c in filled))

        def add_link(Anchor: Any, Address: str, SubAddress: str) -> None:  # noqa: N803
            sheet.links.append((Anchor.areas[0][:2], SubAddress))

        self.api = Obj(
            Cells=Obj(Find=find),
            Hyperlinks=Obj(Add=add_link),
            AutoFilterMode=False,
            PageSetup=Obj(),
        )

    # Excel's handling of a value assigned through COM
    def assign(self, r: int, c: int, v: Any) -> None:
        if isinstance(v, str) and v.startswith("'"):
            self.store[(r, c)] = v[1:]
        elif isinstance(v, str) and v.startswith("="):
            self.store[(r, c)] = Formula(v)
        elif isinstance(v, str) and v:
            self.unprotected.append(v)
            self.store[(r, c)] = v
        elif v in (None, ""):
            self.store.pop((r, c), None)
        else:
            self.store[(r, c)] = v

    # what xlwings reads back on Windows
    def read(self, r: int, c: int) -> Any:
        v = self.store.get((r, c))
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, int):
            return float(v)
        if isinstance(v, date) and not isinstance(v, datetime):
            return datetime(v.year, v.month, v.day)
        return v

    def range(self, a: Any, b: Any = None) -> FakeRange:
        if isinstance(a, tuple):
            end = b if b is not None else a
            return FakeRange(self, [(a[0], a[1], end[0], end[1])])
        return FakeRange(self, [_parse_area(part) for part in a.split(",")])

    def clear(self) -> None:
        self.cleared += 1
        self.store.clear()
        self.formats.clear()
        self.fills.clear()
        self.links.clear()

    def activate(self) -> None:
        self.book.sheets.active = self

    @property
    def used_range(self) -> Any:
        rows = max((r for r, _ in self.store), default=1)
        cols = max((c for _, c in self.store), default=1)
        return Obj(last_cell=Obj(row=rows, column=cols))


class FakeSheets(list[FakeSheet]):
    active: FakeSheet

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            for sheet in self:
                if sheet.name == key:
                    return sheet
            raise KeyError(key)
        return list.__getitem__(self, key)

    def add(self, name: str, after: FakeSheet | None = None) -> FakeSheet:
        sheet = FakeSheet(self[0].book, name)
        self.append(sheet)
        return sheet


@dataclass
class FakeApp:
    screen_updating: bool = True
    status_bar: Any = False
    api: Any = field(default_factory=lambda: Obj(ActiveWindow=Obj()))
    alerts: list[tuple[str, str, str]] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)

    def alert(self, prompt: str, title: str = "", mode: str = "") -> str:
        self.alerts.append((prompt, title, mode))
        return "ok"

    @property
    def books(self) -> Any:
        return Obj(open=self.opened.append)


class FakeBook:
    def __init__(self, name: str, fullname: str) -> None:
        self.name = name
        self.fullname = fullname
        self.app = FakeApp()
        self.sheets = FakeSheets()
        self.selected: Any = None

    @classmethod
    def from_file(cls, path: Path) -> FakeBook:
        """The workbook's values as Excel holds them (openpyxl values: ints, datetimes, None)."""
        wb = openpyxl.load_workbook(path)
        book = cls(path.name, str(path))
        for ws in wb.worksheets:
            sheet = FakeSheet(book, ws.title)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None and cell.data_type != "f":  # no cached values
                        sheet.store[(cell.row, cell.column)] = cell.value
            book.sheets.append(sheet)
        book.sheets.active = book.sheets[0]
        return book

    def sheet_by_label(self, name: str) -> FakeSheet:
        for sheet in self.sheets:
            if fold(sheet.name) == fold(name):
                return sheet
        raise KeyError(name)
