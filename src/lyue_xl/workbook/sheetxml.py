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
from xml.sax.saxutils import escape, quoteattr

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


def write_cells(
    rows: Sequence[Sequence[object]],
    styles: Sequence[Sequence[int]],
    links: Mapping[tuple[int, int], tuple[str, str]],
    heights: Mapping[int, float],
) -> Written:
    """``rows[r][c]`` values with ``styles[r][c]`` xf indexes; ``links[(r, c)]`` = (target, text)."""
    letters = [column_letter(c) for c in range(max((len(r) for r in rows), default=1))]
    out: list[str] = ["<sheetData>"]
    last_col = 0
    for r, (values, xfs) in enumerate(zip(rows, styles, strict=True)):
        height = heights.get(r)
        attrs = f' ht="{height}" customHeight="1"' if height else ""
        if not values and not height:
            continue
        number = r + 1
        cells = "".join(
            _cell(f"{letters[c]}{number}", value, xf)
            for c, (value, xf) in enumerate(zip(values, xfs, strict=True))
        )
        last_col = max(last_col, len(values))
        out.append(f'<row r="{number}"{attrs}>{cells}</row>')
    out.append("</sheetData>")
    dimension = f"A1:{letters[max(last_col, 1) - 1]}{max(len(rows), 1)}"
    hyperlinks = ""
    if links:
        items = "".join(
            f'<hyperlink ref="{letters[c]}{r + 1}" location={quoteattr(target)}'
            f" display={quoteattr(_NOT_XML.sub('', text))}/>"
            for (r, c), (target, text) in sorted(links.items())
        )
        hyperlinks = f"<hyperlinks>{items}</hyperlinks>"
    return Written("".join(out).encode("utf-8"), dimension, hyperlinks.encode("utf-8"))


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
