"""Cell-level edits of a worksheet XML and style reuse, on hand-written XML like Excel's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from lyue_xl.workbook.sheetcells import SheetCells, column_letters, column_number
from lyue_xl.workbook.stylesheet import StyleSheet

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STYLES = f"""<styleSheet xmlns="{NS}"><fonts count="2"><font><sz val="11"/></font>
<font><b/><sz val="11"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>
</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/>
</borders><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
</styleSheet>"""


def sheet(rows: str, extra: str = "") -> SheetCells:
    root = etree.fromstring(
        f'<worksheet xmlns="{NS}"><dimension ref="A1:C4"/><sheetData>{rows}</sheetData>'
        f"{extra}</worksheet>"
    )
    return SheetCells(root, StyleSheet(etree.fromstring(STYLES)), lambda i: ["编号", "等级"][i])


def cell_xml(cells: SheetCells, ref: str) -> str:
    found = cells.root.xpath(f"//m:c[@r='{ref}']", namespaces={"m": NS})
    if not found:
        return ""
    return etree.tostring(found[0], encoding="unicode").replace(f' xmlns="{NS}"', "")


def test_replacing_the_master_of_a_shared_formula_moves_it_to_the_next_cell():
    cells = sheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2</f><v>2</v></c></row>'
        '<row r="3"><c r="B3"><f t="shared" si="0"/><v>4</v></c></row>'
        '<row r="4"><c r="B4"><f t="shared" si="0"/><v>6</v></c></row>'
    )
    column = cells.find_column(1, " 等级 ")
    assert column == 2
    cells.set(2, column, "A", None)
    cells.finish()
    assert cells.removed_formula
    assert cell_xml(cells, "B2") == '<c r="B2" t="inlineStr"><is><t>A</t></is></c>'
    promoted = '<c r="B3"><f t="shared" si="0" ref="B3:B4">A3*2</f><v>4</v></c>'
    assert cell_xml(cells, "B3") == promoted


def test_new_cells_go_in_column_order_with_row_and_column_styles():
    cells = sheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="3" spans="1:1" s="1" customFormat="1"><c r="A3"><v>1</v></c></row>',
        extra="",
    )
    column = cells.find_column(1, "风险值")
    assert column == 2
    cells.set(3, column, 0.25, "0.0%")
    cells.set(2, column, 7, None)
    cells.set(5, 1, "  padded ", None)
    cells.finish()
    assert cell_xml(cells, "B1") == '<c r="B1" t="inlineStr"><is><t>风险值</t></is></c>'
    # row 3 has a custom row style (bold): the new cell keeps it and gets the percent format
    assert cell_xml(cells, "B3") == '<c r="B3" s="2"><v>0.25</v></c>'
    xf = cells.styles.entries("cellXfs")[2]
    assert (xf.get("fontId"), xf.get("numFmtId"), xf.get("applyNumberFormat")) == ("1", "164", "1")
    rows = [r.get("r") for r in cells.root.iter(f"{{{NS}}}row")]
    assert rows == ["1", "2", "3", "5"]
    assert cells.root.find(f"{{{NS}}}sheetData")[2].get("spans") == "1:2"
    assert '<t xml:space="preserve">  padded </t>' in cell_xml(cells, "A5")
    assert cells.root.find(f"{{{NS}}}dimension").get("ref") == "A1:C5"


def test_same_number_format_twice_reuses_the_xf():
    styles = StyleSheet(etree.fromstring(STYLES))
    first = styles.xf_with_number_format(1, "0.0%")
    assert styles.xf_with_number_format(1, "0.0%") == first
    assert styles.xf_with_number_format(first, "0.0%") == first
    assert styles.xf_with_number_format(0, "0%") == 2 + 1  # built-in id 9, new xf
    assert styles.entries("cellXfs")[3].get("numFmtId") == "9"
    assert len(styles.entries("numFmts")) == 1


def test_text_that_looks_like_a_formula_or_has_control_characters_stays_text():
    cells = sheet('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>')
    cells.set(1, 1, "=SUM(A1)\x07", None)
    assert cell_xml(cells, "A1") == '<c r="A1" t="inlineStr"><is><t>=SUM(A1)</t></is></c>'


@given(st.integers(min_value=1, max_value=16384))
def test_column_letters_round_trip(number):
    assert column_number(column_letters(number)) == number
