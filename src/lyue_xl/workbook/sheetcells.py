"""Set values of single cells inside an existing worksheet XML, leaving everything else as is."""

from __future__ import annotations

import bisect
import functools
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from lyue_xl.workbook.opc import m
from lyue_xl.workbook.reader import column_letter
from lyue_xl.workbook.stylesheet import StyleSheet

_Element = Any
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    """1-based column number -> Excel letters (1 -> A, 28 -> AB)."""
    return column_letter(number - 1)


def split_ref(ref: str) -> tuple[int, int]:
    """``"AB12"`` -> (row 12, column 28)."""
    match = _REF.fullmatch(ref)
    if not match:
        raise ValueError(f"bad cell reference {ref!r}")
    return int(match.group(2)), column_number(match.group(1))


@functools.lru_cache(maxsize=4096)
def _column_of_letters(letters: str) -> int:
    return column_number(letters)


def _column_of(ref: str) -> int:
    """The column of a cell's own ``r`` attribute ("AB12" -> 28), the hot path of
    :meth:`SheetCells.cells`."""
    letters = ref.rstrip("0123456789")
    if not letters.isalpha() or not letters.isascii() or len(letters) > 3:
        return split_ref(ref)[1]  # raises on a malformed reference
    return _column_of_letters(letters)


def normalize_label(text: str) -> str:
    """Labels match after trimming and folding full-/half-width forms (DESIGN §2)."""
    return unicodedata.normalize("NFKC", text).strip()


def rich_text(el: _Element) -> str:
    """The text of an ``<si>`` or ``<is>`` element (runs joined, phonetic hints skipped)."""
    parts = []
    for node in el.iter(m("t")):
        parent = node.getparent()
        if parent is not None and parent.tag == m("rPh"):
            continue
        parts.append(node.text or "")
    return "".join(parts)


class SheetCells:
    """Edits the cells of one worksheet XML tree in place."""

    def __init__(self, root: _Element, styles: StyleSheet, shared: Callable[[int], str]) -> None:
        self.root = root
        self.styles = styles
        self.shared = shared
        self.removed_formula = False
        self._sheet_data = root.find(m("sheetData"))
        if self._sheet_data is None:
            self._sheet_data = etree.SubElement(root, m("sheetData"))
        self._rows: dict[int, _Element] = {}
        previous = 0
        for row in self._sheet_data.iter(m("row")):
            number = int(row.get("r") or previous + 1)
            row.set("r", str(number))
            self._rows[number] = row
            previous = number
            column = 0
            for cell in row.iter(m("c")):
                if cell.get("r"):
                    column = split_ref(cell.get("r"))[1]
                else:
                    column += 1
                    cell.set("r", f"{column_letters(column)}{number}")
        self._row_numbers = sorted(self._rows)
        self._was_empty = not self._rows
        self._col_styles: list[tuple[int, int, int]] = []
        for col in root.iter(m("col")):
            if col.get("style"):
                self._col_styles.append(
                    (int(col.get("min")), int(col.get("max")), int(col.get("style")))
                )
        self._orphaned_masters: dict[str, tuple[str, str]] = {}
        self._cells_cache: dict[int, list[tuple[int, _Element]]] = {}
        self._touched: list[tuple[int, int]] = []

    # ---- reading -----------------------------------------------------------------------
    def cells(self, row_number: int) -> Iterable[tuple[int, _Element]]:
        """(column, cell) of a row, in document order."""
        return self._row_cells(row_number)

    def _row_cells(self, row_number: int) -> list[tuple[int, _Element]]:
        """:meth:`cells` as the cached list that :meth:`_cell` keeps in step."""
        cached = self._cells_cache.get(row_number)
        if cached is not None:
            return cached
        row = self._rows.get(row_number)
        if row is None:
            return []
        found = [(_column_of(cell.get("r")), cell) for cell in row.iter(m("c"))]
        self._cells_cache[row_number] = found
        return found

    def text(self, cell: _Element) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(m("is"))
            return "" if inline is None else rich_text(inline)
        value = cell.find(m("v"))
        if value is None or value.text is None:
            return ""
        if kind == "s":
            return self.shared(int(value.text))
        return value.text

    def find_column(self, header_row: int, label: str) -> int:
        """The column of header ``label`` in ``header_row``; appended after the last used one."""
        wanted = normalize_label(label)
        last = 0
        last_style: str | None = None
        for column, cell in self.cells(header_row):
            text = normalize_label(self.text(cell))
            if text == wanted:
                return column
            if text:
                last, last_style = column, cell.get("s")
        column = last + 1
        cell = self._cell(header_row, column)
        if last_style is not None and last_style != "0":
            cell.set("s", last_style)
        self._put_value(cell, label)
        return column

    # ---- writing -----------------------------------------------------------------------
    def set(self, row_number: int, column: int, value: object, number_format: str | None) -> None:
        if isinstance(value, float) and math.isnan(value):
            value = None
        existing = self._find(row_number, column)
        if existing is None and value is None:
            return
        cell = existing if existing is not None else self._cell(row_number, column)
        if number_format:
            style = int(cell.get("s", "0"))
            new_style = self.styles.xf_with_number_format(style, number_format)
            if new_style != style:
                cell.set("s", str(new_style))
        self._put_value(cell, value)

    def _put_value(self, cell: _Element, value: object) -> None:
        formula = cell.find(m("f"))
        if formula is not None:
            self.removed_formula = True
            if formula.get("t") == "shared" and formula.get("ref"):
                self._orphaned_masters[formula.get("si", "")] = (formula.text or "", cell.get("r"))
        for child in list(cell):
            cell.remove(child)
        for attr in ("t", "cm", "vm"):
            cell.attrib.pop(attr, None)
        if value is None:
            return
        if isinstance(value, bool):
            cell.set("t", "b")
            etree.SubElement(cell, m("v")).text = "1" if value else "0"
        elif isinstance(value, numbers.Real):
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(f"cannot write {value!r} into cell {cell.get('r')}")
            text = str(int(value)) if isinstance(value, numbers.Integral) else repr(number)
            etree.SubElement(cell, m("v")).text = text
        elif isinstance(value, str):
            text = _ILLEGAL_XML.sub("", value)
            cell.set("t", "inlineStr")
            node = etree.SubElement(etree.SubElement(cell, m("is")), m("t"))
            node.text = text
            if text != text.strip():
                node.set(_XML_SPACE, "preserve")
        else:
            raise TypeError(f"cannot write a {type(value).__name__} into cell {cell.get('r')}")

    def _find(self, row_number: int, column: int) -> _Element | None:
        for number, cell in self.cells(row_number):
            if number == column:
                return cell
        return None

    def _row(self, row_number: int) -> _Element:
        row = self._rows.get(row_number)
        if row is not None:
            return row
        row = etree.Element(m("row"), {"r": str(row_number)})
        position = bisect.bisect(self._row_numbers, row_number)
        if position < len(self._row_numbers):
            self._rows[self._row_numbers[position]].addprevious(row)
        else:
            self._sheet_data.append(row)
        self._row_numbers.insert(position, row_number)
        self._rows[row_number] = row
        return row

    def _cell(self, row_number: int, column: int) -> _Element:
        """The cell at (row, column), created in column order with the row/column style."""
        existing = self._find(row_number, column)
        if existing is not None:
            return existing
        row = self._row(row_number)
        cell = etree.Element(m("c"), {"r": f"{column_letters(column)}{row_number}"})
        style = row.get("s") if row.get("customFormat") in ("1", "true") else None
        if style is None:
            for low, high, col_style in self._col_styles:
                if low <= column <= high:
                    style = str(col_style)
        if style and style != "0":
            cell.set("s", style)
        known = self._row_cells(row_number)
        for position, (number, other) in enumerate(known):
            if number > column:
                other.addprevious(cell)
                known.insert(position, (column, cell))
                break
        else:
            row.append(cell)
            known.append((column, cell))
        spans = row.get("spans")
        if spans:
            bounds = re.fullmatch(r"(\d+):(\d+)", spans)
            if bounds:
                low, high = int(bounds.group(1)), int(bounds.group(2))
                row.set("spans", f"{min(low, column)}:{max(high, column)}")
            else:
                del row.attrib["spans"]
        self._touched.append((row_number, column))
        return cell

    def finish(self) -> None:
        """Widen ``<dimension>`` and repair shared formulas whose master cell was replaced."""
        dimension = self.root.find(m("dimension"))
        if dimension is not None and self._touched:
            refs = dimension.get("ref", "A1").split(":")
            (top, left), (bottom, right) = split_ref(refs[0]), split_ref(refs[-1])
            empty = len(refs) == 1 and self._was_empty
            rows = [r for r, _ in self._touched]
            cols = [c for _, c in self._touched]
            if not empty:
                rows += [top, bottom]
                cols += [left, right]
            new = f"{column_letters(min(cols))}{min(rows)}:{column_letters(max(cols))}{max(rows)}"
            if new != dimension.get("ref"):
                dimension.set("ref", new)
        for shared_index, (text, origin) in self._orphaned_masters.items():
            self._promote_shared(shared_index, text, origin)

    def _promote_shared(self, shared_index: str, text: str, origin: str) -> None:
        members = [
            f
            for f in self._sheet_data.iter(m("f"))
            if f.get("t") == "shared" and f.get("si") == shared_index
        ]
        if not members or any(f.get("ref") for f in members):
            return
        from openpyxl.formula.translate import Translator  # only needed in this rare case

        positions = [split_ref(f.getparent().get("r")) for f in members]
        first = members[0]
        first.text = Translator("=" + text, origin=origin).translate_formula(
            first.getparent().get("r")
        )[1:]
        top = min(r for r, _ in positions)
        bottom = max(r for r, _ in positions)
        left = min(c for _, c in positions)
        right = max(c for _, c in positions)
        first.set("ref", f"{column_letters(left)}{top}:{column_letters(right)}{bottom}")
