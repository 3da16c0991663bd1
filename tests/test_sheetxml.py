"""sheetxml.write_cells: the SpreadsheetML it writes parses and reads back as the values given."""

from __future__ import annotations

from datetime import date

from lxml import etree

from lyue_xl.workbook.sheetxml import write_cells

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def parse(fragment: bytes) -> etree._Element:
    return etree.fromstring(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + fragment
        + b"</worksheet>"
    )


def test_values_styles_and_links_read_back() -> None:
    rows = [
        ['甲&乙 <丙>\n"丁"\x07', 1.5, None, ""],
        [],
        [date(2025, 1, 2), True, 3, "  空格  "],
    ]
    styles = [[4, 0, 2, 0], [], [0, 0, 0, 1]]
    links = {(0, 0): ("'合同台账'!A3", 'K&<"1">\n\x01')}
    written = write_cells(rows, styles, links, {1: 30.0})
    assert written.dimension == "A1:D3"
    sheet = parse(written.sheet_data + written.hyperlinks)
    cells = {c.get("r"): c for c in sheet.iter(f"{NS}c")}
    assert list(cells) == ["A1", "B1", "C1", "D1", "A3", "B3", "C3", "D3"]
    text = "".join(cells["A1"].itertext())
    assert text == '甲&乙 <丙>\n"丁"' and cells["A1"].get("s") == "4"
    assert cells["B1"].findtext(f"{NS}v") == "1.5" and cells["B1"].get("s") is None
    assert cells["C1"].get("s") == "2" and len(cells["C1"]) == 0
    assert cells["A3"].findtext(f"{NS}v") == "45659"  # 2025-01-02 as an Excel serial
    assert "".join(cells["B3"].itertext()) == "是"
    assert "".join(cells["D3"].itertext()) == "  空格  " and cells["D3"].get("s") == "1"
    rows_el = {r.get("r"): r for r in sheet.iter(f"{NS}row")}
    assert rows_el["2"].get("ht") == "30.0" and len(rows_el["2"]) == 0
    (link,) = sheet.iter(f"{NS}hyperlink")
    assert link.get("ref") == "A1"
    assert link.get("location") == "'合同台账'!A3"
    assert link.get("display") == 'K&<"1">\n'
