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
    """``value`` for an XML element: characters XML cannot hold removed, ``&<>`` escaped.
    (Not ``xml.sax.saxutils.escape``: importing it costs a refresh 30 ms of urllib, ssl, email.)"""
    return _text(_NOT_XML.sub("", value))


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


def _piece(letter: str, kind: type, xf: int, value: object) -> tuple[str, bool]:
    """The markup of one cell of a row template, with ``{0}`` for the row number and ``{}`` for
    the value when ``takes`` (the second item) is true."""
    s = f' s="{xf}"' if xf else ""
    ref = f'<c r="{letter}{{0}}"{s}'
    if kind is type(None):
        return f"{ref}/>", False
    if kind is bool:
        return f'{ref} t="inlineStr"><is><t xml:space="preserve">{{}}</t></is></c>', True
    if kind is str:
        return f'{ref} t="inlineStr"><is><t xml:space="preserve">{{}}</t></is></c>', True
    if kind in (int, float, date, datetime):
        return f"{ref}><v>{{}}</v></c>", True
    return "{}", True  # anything else: the whole cell, through _cell


def _arg(kind: type, value: object, ref: str, xf: int) -> str:
    """A value as its row template expects it (see :func:`_piece`)."""
    if kind is str:
        return _text(value)  # type: ignore[arg-type]
    if kind is bool:
        return "是" if value else "否"
    if kind is int or kind is float:
        return repr(value)
    if kind is date:
        return str(value.toordinal() - _EXCEL_EPOCH)  # type: ignore[attr-defined]
    if kind is datetime:
        return str(value.date().toordinal() - _EXCEL_EPOCH)  # type: ignore[attr-defined]
    return _cell(ref, value, xf)


def _template(
    letters: Sequence[str], kinds: tuple[type, ...], xfs: Sequence[int], height: float | None
) -> tuple[str, list[int]]:
    """The markup of a row of this shape, ``{0}`` its number and ``{1}``… its values; and the
    columns whose values fill those placeholders, in order."""
    attrs = f' ht="{height}" customHeight="1"' if height else ""
    parts = [f'<row r="{{0}}"{attrs}>']
    taking: list[int] = []
    for i, (letter, kind, xf) in enumerate(zip(letters, kinds, xfs, strict=False)):
        piece, takes = _piece(letter, kind, xf, None)
        if takes:
            taking.append(i)
            piece = piece.replace("{}", f"{{{len(taking)}}}")
        parts.append(piece)
    parts.append("</row>")
    return "".join(parts), taking


def write_cells(
    rows: Sequence[Sequence[object]],
    styles: Sequence[Sequence[int]],
    links: Mapping[tuple[int, int], tuple[str, str]],
    heights: Mapping[int, float],
) -> Written:
    """``rows[r][c]`` values with ``styles[r][c]`` xf indexes; ``links[(r, c)]`` = (target, text).

    In bulk: rows of one shape (the types of their values and their styles — a 预警清单 of
    30,000 rows has a dozen shapes) share one template string, filled with ``str.format`` once
    per row, rather than each cell's markup being assembled in Python. Text is escaped once per
    value; characters XML cannot hold are removed from the whole sheet at the end.
    """
    width = max((len(r) for r in rows), default=1)
    letters = [column_letter(c) for c in range(max(width, 1))]
    templates: dict[tuple[object, ...], tuple[str, list[int]]] = {}
    out: list[str] = ["<sheetData>"]
    last_col = 0
    for r, (values, xfs) in enumerate(zip(rows, styles, strict=True)):
        height = heights.get(r)
        if not values and not height:
            continue
        if len(values) != len(xfs):
            raise ValueError(f"row {r}: {len(values)} values but {len(xfs)} styles")
        number = r + 1
        if "" in values:
            values = [None if type(v) is str and not v else v for v in values]
        kinds = tuple(map(type, values))
        key = (kinds, *xfs, height)
        found = templates.get(key)
        if found is None:
            found = templates[key] = _template(letters, kinds, xfs, height)
        template, taking = found
        args = [
            (v if "&" not in v and "<" not in v and ">" not in v else _text(v))
            if type(v := values[i]) is str
            else _arg(kinds[i], v, f"{letters[i]}{number}", xfs[i])
            for i in taking
        ]
        out.append(template.format(number, *args))
        last_col = max(last_col, len(values))
    out.append("</sheetData>")
    dimension = f"A1:{letters[max(last_col, 1) - 1]}{max(len(rows), 1)}"
    hyperlinks = ""
    if links:
        items = "".join(
            f'<hyperlink ref="{letters[c]}{r + 1}" location={_quoted(target)} '
            f"display={_quoted(text)}/>"
            for (r, c), (target, text) in sorted(links.items())
        )
        hyperlinks = f"<hyperlinks>{items}</hyperlinks>"
    return Written(_xml_bytes("".join(out)), dimension, _xml_bytes(hyperlinks))


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _xml_bytes(markup: str) -> bytes:
    """``markup`` as UTF-8 without the characters XML 1.0 cannot hold (``_NOT_XML``), in three
    passes over the bytes rather than a regular expression over 20 MB of text: lone surrogates
    cannot be encoded and are dropped, control characters are single bytes in UTF-8 (never part
    of a longer sequence), U+FFFE and U+FFFF have one encoding each."""
    data = markup.encode("utf-8", "ignore").translate(None, _CONTROL_BYTES)
    if b"\xef\xbf" in data:
        data = data.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    return data


_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def _quoted(value: str) -> str:
    """``value`` as a double-quoted attribute value (characters XML cannot hold are removed
    from the whole part afterwards, see :func:`_xml_bytes`)."""
    if _ATTR_SPECIAL.search(value) is None:
        return f'"{value}"'
    value = _text(value)
    for char, entity in _ATTR_ESCAPES:
        if char in value:
            value = value.replace(char, entity)
    return f'"{value}"'


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
