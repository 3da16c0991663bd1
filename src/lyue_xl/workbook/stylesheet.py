"""Add cell formats to a workbook's styles.xml, reusing identical entries.

Reuse is what makes a refresh idempotent: the second run finds every font, fill, border,
number format and xf it needs already present, so styles.xml does not grow.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from lyue_xl.workbook.opc import clone, m

_Element = Any

# Excel's built-in number formats that are the same in every locale (ECMA-376 18.8.30).
BUILTIN_FORMATS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "# ?/?": 12,
    "# ??/??": 13,
    "mm-dd-yy": 14,
    "d-mmm-yy": 15,
    "d-mmm": 16,
    "mmm-yy": 17,
    "h:mm AM/PM": 18,
    "h:mm:ss AM/PM": 19,
    "h:mm": 20,
    "h:mm:ss": 21,
    "m/d/yy h:mm": 22,
    "#,##0 ;(#,##0)": 37,
    "#,##0 ;[Red](#,##0)": 38,
    "#,##0.00;(#,##0.00)": 39,
    "#,##0.00;[Red](#,##0.00)": 40,
    "mm:ss": 45,
    "[h]:mm:ss": 46,
    "mmss.0": 47,
    "##0.0E+0": 48,
    "@": 49,
}

# Child order of <styleSheet> (CT_Stylesheet).
_ORDER = [
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
]


def _key(el: _Element) -> tuple[object, ...]:
    """A comparison key for a style element: tag, attributes (any order), text, children."""
    children = tuple(_key(child) for child in el if isinstance(child.tag, str))
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(), children)


class StyleSheet:
    """A target styles.xml being extended; ``dirty`` tells whether anything was appended."""

    def __init__(self, root: _Element) -> None:
        self.root = root
        self.dirty = False
        self._index: dict[str, dict[tuple[object, ...], int]] = {}
        self._with_format: dict[tuple[int, str], int] = {}

    def section(self, name: str) -> _Element:
        found = self.root.find(m(name))
        if found is not None:
            return found
        el = etree.Element(m(name))
        later = _ORDER[_ORDER.index(name) + 1 :]
        for position, child in enumerate(self.root):
            if isinstance(child.tag, str) and etree.QName(child).localname in later:
                self.root.insert(position, el)
                break
        else:
            self.root.append(el)
        return el

    def entries(self, name: str) -> list[_Element]:
        found = self.root.find(m(name))
        return [] if found is None else [c for c in found if isinstance(c.tag, str)]

    def add(self, name: str, element: _Element) -> int:
        """The index of an entry of section ``name`` equal to ``element``, appending it if new."""
        index = self._index.get(name)
        if index is None:
            index = {}
            for position, child in enumerate(self.entries(name)):
                index.setdefault(_key(child), position)
            self._index[name] = index
        key = _key(element)
        if key in index:
            return index[key]
        section = self.section(name)
        section.append(clone(element))
        position = len(self.entries(name)) - 1
        section.set("count", str(position + 1))
        index[key] = position
        self.dirty = True
        return position

    def format_codes(self) -> dict[int, str]:
        return {int(el.get("numFmtId")): el.get("formatCode", "") for el in self.entries("numFmts")}

    def number_format_id(self, code: str) -> int:
        """The id of number format ``code``: built-in, existing custom, or a new custom one."""
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        codes = self.format_codes()
        for number, existing in codes.items():
            if existing == code:
                return number
        number = max([163, *codes]) + 1
        section = self.section("numFmts")
        etree.SubElement(section, m("numFmt"), {"numFmtId": str(number), "formatCode": code})
        section.set("count", str(len(self.entries("numFmts"))))
        self.dirty = True
        return number

    def xf_with_number_format(self, xf: int, code: str) -> int:
        """An xf like cell format ``xf`` (font, fill, border, alignment kept) but with ``code``."""
        known = self._with_format.get((xf, code))
        if known is None:
            known = self._with_format[(xf, code)] = self._derive_xf(xf, code)
        return known

    def _derive_xf(self, xf: int, code: str) -> int:
        xfs = self.entries("cellXfs")
        number = self.number_format_id(code)
        if not xfs:
            base = etree.Element(
                m("xf"),
                {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0"},
            )
        else:
            base = clone(xfs[xf] if 0 <= xf < len(xfs) else xfs[0])
        if base.get("numFmtId", "0") == str(number) and 0 <= xf < len(xfs):
            return xf
        base.set("numFmtId", str(number))
        base.set("applyNumberFormat", "1")
        return self.add("cellXfs", base)


class StyleImporter:
    """Copies cell formats (xfs) and differential formats (dxfs) from another styles.xml."""

    def __init__(self, target: StyleSheet, source_root: _Element) -> None:
        self.target = target
        self.source = StyleSheet(source_root)
        self._codes = self.source.format_codes()
        self._xfs: dict[int, int] = {}
        self._dxfs: dict[int, int] = {}

    def xf(self, number: int) -> int:
        if number not in self._xfs:
            self._xfs[number] = self._import_xf(number)
        return self._xfs[number]

    def _import_xf(self, number: int) -> int:
        xfs = self.source.entries("cellXfs")
        if not 0 <= number < len(xfs):
            return 0
        xf = clone(xfs[number])
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in self._codes:
            xf.set("numFmtId", str(self.target.number_format_id(self._codes[fmt])))
        for attr, section in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            entries = self.source.entries(section)
            position = int(xf.get(attr, "0"))
            if 0 <= position < len(entries):
                xf.set(attr, str(self.target.add(section, entries[position])))
            else:
                xf.set(attr, "0")
        xf.set("xfId", "0")
        return self.target.add("cellXfs", xf)

    def dxf(self, number: int) -> int:
        if number not in self._dxfs:
            dxfs = self.source.entries("dxfs")
            if not 0 <= number < len(dxfs):
                raise ValueError(f"dxf {number} missing in the generated workbook")
            self._dxfs[number] = self.target.add("dxfs", dxfs[number])
        return self._dxfs[number]
