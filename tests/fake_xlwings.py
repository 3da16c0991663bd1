"""A stand-in for the few xlwings objects ExcelBook uses, holding cells in dicts.

It behaves like Excel where that matters for our code: a string assigned to a cell is parsed as
typed (``'…`` stays text without the apostrophe, ``=…`` becomes a formula, anything else counts
as "parsed" and is recorded so tests can require every string to be protected); reads return
what xlwings returns on Windows (floats for numbers, datetimes for dates, None for blanks).
It does not prove anything about Excel itself — only that ExcelBook carries out its plans.

:class:`Recording` wraps a fake (or anything) and counts what would be COM round trips against
real Excel: every property read that gives an object or value, every property set, every call.
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


HYPERLINK = re.compile(r'=HYPERLINK\("#((?:[^"]|"")*)",([A-Z]+\d+)\)')


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
            EntireRow=Obj(AutoFit=lambda: sheet.autofits.append(self.address)),
            EntireColumn=_HideColumns(sheet, areas),
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
        lambda self, v: self.sheet.widths.update(
            {c: v for _, c0, _, c1 in self.areas for c in range(c0, c1 + 1)}
        ),
    )
    row_height = property(
        lambda self: None,
        lambda self, v: self.sheet.heights.update(
            {r: v for r0, _, r1, _ in self.areas for r in range(r0, r1 + 1)}
        ),
    )

    def select(self) -> None:
        self.sheet.book.selected = (self.sheet.name, self.areas[0][:2])


class _HideColumns:
    def __init__(self, sheet: FakeSheet, areas: list[tuple[int, int, int, int]]) -> None:
        self._sheet, self._areas = sheet, areas

    @property
    def Hidden(self) -> bool:  # noqa: N802 (COM's name)
        return all(c in self._sheet.hidden for _, c0, _, c1 in self._areas for c in (c0, c1))

    @Hidden.setter
    def Hidden(self, value: bool) -> None:  # noqa: N802
        for _, c0, _, c1 in self._areas:
            for c in range(c0, c1 + 1):
                (self._sheet.hidden.add if value else self._sheet.hidden.discard)(c)


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
        self.autofits: list[str] = []
        self.hidden: set[int] = set()
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

    def shown(self) -> dict[tuple[int, int], Any]:
        """What Excel shows in each visible cell: a ``HYPERLINK`` formula shows the value of the
        cell its display text refers to; hidden columns are left out."""
        out = {}
        for (r, c), v in self.store.items():
            if c in self.hidden:
                continue
            if isinstance(v, Formula) and (m := HYPERLINK.fullmatch(v.text)):
                v = self.store.get(_parse_area(m.group(2))[:2])
            out[(r, c)] = v
        return out

    def formula_links(self) -> list[tuple[tuple[int, int], str]]:
        """((row, column), target) of every ``HYPERLINK`` formula, in row order."""
        found = []
        for (r, c), v in sorted(self.store.items()):
            if isinstance(v, Formula) and (m := HYPERLINK.fullmatch(v.text)):
                found.append(((r, c), m.group(1).replace('""', '"')))
        return found

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
        self.heights.clear()

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

    @classmethod
    def from_values(cls, path: Path) -> FakeBook:
        """Like :meth:`from_file`, read with calamine: fast enough for a 100k-row ledger."""
        from python_calamine import CalamineWorkbook

        book = cls(path.name, str(path))
        with CalamineWorkbook.from_path(str(path)) as wb:
            for name in wb.sheet_names:
                sheet = FakeSheet(book, name)
                rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for r, cells in enumerate(rows, start=1):
                    for c, v in enumerate(cells, start=1):
                        if v != "":
                            sheet.store[(r, c)] = v
                book.sheets.append(sheet)
        book.sheets.active = book.sheets[0]
        return book

    def sheet_by_label(self, name: str) -> FakeSheet:
        for sheet in self.sheets:
            if fold(sheet.name) == fold(name):
                return sheet
        raise KeyError(name)


# --- counting COM round trips ---------------------------------------------------------------------

_PLAIN = (str, int, float, bool, date, type(None))


class Calls:
    """The running count of a :class:`Recording` tree, and what the calls were."""

    def __init__(self) -> None:
        self.count = 0
        self.names: dict[str, int] = {}

    def add(self, what: str) -> None:
        self.count += 1
        self.names[what] = self.names.get(what, 0) + 1


def _unwrap(value: Any) -> Any:
    if isinstance(value, Recording):
        return object.__getattribute__(value, "_target")
    return value


class Recording:
    """A proxy counting what would cost a COM round trip in Excel.

    Counted: reading an attribute that is not a method (``sheet.name``, ``rng.api.Font``),
    setting one (``rng.row_height = 20``), calling anything (``sheet.range("A1")``,
    ``setup.PageSetup``…), indexing (``book.sheets["合同台账"]``) and iterating a collection.
    ``.api`` and ``.options(...)`` are free (xlwings hands over its COM object; options are
    kept in Python). Values assigned and returned are
    passed through unchanged (plain values unwrapped, objects wrapped again).
    """

    def __init__(self, target: Any, calls: Calls) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_calls", calls)

    def _wrap(self, value: Any) -> Any:
        if isinstance(value, _PLAIN) or (
            type(value) is list and all(isinstance(v, (*_PLAIN, list)) for v in value)
        ):
            return value
        return Recording(value, object.__getattribute__(self, "_calls"))

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_target")
        value = getattr(target, name)
        if name != "api" and not callable(value):
            object.__getattribute__(self, "_calls").add(f"get {name}")
        return self._wrap(value)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__getattribute__(self, "_calls").add(f"set {name}")
        setattr(object.__getattribute__(self, "_target"), name, _unwrap(value))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        target = object.__getattribute__(self, "_target")
        name = getattr(target, "__name__", "?")
        if name != "options":
            object.__getattribute__(self, "_calls").add(f"call {name}")
        result = target(*map(_unwrap, args), **{k: _unwrap(v) for k, v in kwargs.items()})
        return self._wrap(result)

    def __getitem__(self, key: Any) -> Any:
        object.__getattribute__(self, "_calls").add("getitem")
        return self._wrap(object.__getattribute__(self, "_target")[_unwrap(key)])

    def __iter__(self) -> Any:
        object.__getattribute__(self, "_calls").add("iter")
        return iter([self._wrap(v) for v in object.__getattribute__(self, "_target")])

    def __len__(self) -> int:
        object.__getattribute__(self, "_calls").add("len")
        return len(object.__getattribute__(self, "_target"))

    def __enter__(self) -> Any:
        return self._wrap(object.__getattribute__(self, "_target").__enter__())

    def __exit__(self, *exc: Any) -> Any:
        return object.__getattribute__(self, "_target").__exit__(*exc)
