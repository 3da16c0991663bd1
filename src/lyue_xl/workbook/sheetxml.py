"""Cell data of a generated sheet as SpreadsheetML, written directly (fast for large sheets).

xlsxwriter lays out the sheet (columns, panes, filter, charts, print setup, styles); the rows of
cells are written here in one pass and put in place of its empty ``<sheetData/>``. Text is always
an inline string (never a formula), numbers are ``<v>`` values, dates are Excel serial numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from lyue_xl.workbook.reader import column_letter

_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Written:
    sheet_data: bytes  # <sheetData>…</sheetData>
    dimension: str  # e.g. "A1:H120"
    hyperlinks: bytes  # <hyperlinks>…</hyperlinks> or b""


def xml_text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _cell(ref: str, value: object, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        return f'<c r="{ref}"{s}><v>{day.toordinal() - _EXCEL_EPOCH}</v></c>'
    text = xml_text(str(value))
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _text(value: str) -> str:
    """Escape text for an element (characters XML cannot hold are removed from the whole sheet
    afterwards: the markup written here contains none)."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


_ATTR_ESCAPES = (('"', "&quot;"), ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def _attr(value: str) -> str:
    """``value`` as a double-quoted attribute value."""
    value = _text(_NOT_XML.sub("", value))
    for char, entity in _ATTR_ESCAPES:
        if char in value:
            value = value.replace(char, entity)
    return f'"{value}"'


def write_cells(
    rows: Sequence[Sequence[object]],
    styles: Sequence[Sequence[int]],
    links: Mapping[tuple[int, int], tuple[str, str]],
    heights: Mapping[int, float],
) -> Written:
    """``rows[r][c]`` values with ``styles[r][c]`` xf indexes; ``links[(r, c)]`` = (target, text).

    Text and blank cells (nearly all of a 预警清单) are written inline here; other values go
    through :func:`_cell`.
    """
    width = max((len(r) for r in rows), default=1)
    letters = [column_letter(c) for c in range(max(width, 1))]
    out: list[str] = ["<sheetData>"]
    last_col = 0
    for r, (values, xfs) in enumerate(zip(rows, styles, strict=True)):
        height = heights.get(r)
        if not values and not height:
            continue
        if len(values) != len(xfs):
            raise ValueError(f"row {r}: {len(values)} values but {len(xfs)} styles")
        number = r + 1
        attrs = f' ht="{height}" customHeight="1"' if height else ""
        out.append(f'<row r="{number}"{attrs}>')
        for letter, value, xf in zip(letters, values, xfs, strict=False):
            ref = f"{letter}{number}"
            if type(value) is str:
                head = f'<c r="{ref}" s="{xf}"' if xf else f'<c r="{ref}"'
                if value:
                    out.append(
                        f'{head} t="inlineStr"><is><t xml:space="preserve">'
                        f"{_text(value)}</t></is></c>"
                    )
                else:
                    out.append(f"{head}/>")
            else:
                out.append(_cell(ref, value, xf))
        out.append("</row>")
        last_col = max(last_col, len(values))
    out.append("</sheetData>")
    dimension = f"A1:{letters[max(last_col, 1) - 1]}{max(len(rows), 1)}"
    hyperlinks = ""
    if links:
        items = "".join(
            f'<hyperlink ref="{letters[c]}{r + 1}" location={_attr(target)} display={_attr(text)}/>'
            for (r, c), (target, text) in sorted(links.items())
        )
        hyperlinks = f"<hyperlinks>{items}</hyperlinks>"
    sheet_data = _NOT_XML.sub("", "".join(out))
    return Written(sheet_data.encode("utf-8"), dimension, hyperlinks.encode("utf-8"))


def put_cells(sheet_xml: bytes, written: Written) -> bytes:
    """Put the cells into a sheet xlsxwriter wrote with no cells."""
    if b"<sheetData/>" not in sheet_xml:
        raise ValueError("generated sheet already has cells")
    out = sheet_xml.replace(b"<sheetData/>", written.sheet_data, 1)
    out = re.sub(
        rb'<dimension ref="[^"]*"/>',
        f'<dimension ref="{written.dimension}"/>'.encode(),
        out,
        count=1,
    )
    if written.hyperlinks:
        for anchor in (b"<printOptions", b"<pageMargins", b"</worksheet>"):
            if anchor in out:
                out = out.replace(anchor, written.hyperlinks + anchor, 1)
                break
    return out
