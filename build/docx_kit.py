"""Building blocks for the Word templates of ``docx_templates/`` (python-docx + lxml).

Used only by ``build/make_docx_templates.py``; the product renders the saved templates with docxtpl
and never imports this. Everything here writes real Word structures: styles with the East Asian
font set (宋体 body, 黑体 headings, no theme fonts), A4 pages, a cover, a TOC field whose result is
pre-filled with the headings (rewritten with page numbers when the product renders),
headers and footers with PAGE/NUMPAGES fields, and tables with fixed column widths, a smaller font
and a header row repeated on every page (``w:tblHeader``). Table rows are docxtpl row loops
(``{%tr for r in rows %}``), so rendering never addresses cells one by one.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

BODY_FONT = "宋体"
HEAD_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TEXT_WIDTH_CM = 16.0  # A4 21 cm minus 2.5 cm margins
FIXED_TIME = datetime(2025, 7, 20, 8, 0, 0)
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

TABLE_TEXT = "表格文字"
TABLE_HEAD = "表格标题"
BODY = "履约正文"
COVER_TITLE = "封面标题"
COVER_TEXT = "封面文字"
NOTE = "说明文字"


@dataclass(frozen=True)
class Col:
    """One table column: the header text, the cell content (a Jinja expression or literal text)
    and the width in centimetres."""

    head: str
    cell: str
    width: float


# --- fonts and styles --------------------------------------------------------------------------


def set_fonts(rpr: OxmlElement, latin: str, east: str) -> None:
    """Name the Latin and East Asian fonts of ``rpr``, dropping theme-font overrides."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:hint"), "eastAsia")


def _style_font(style, east: str, size: float, bold: bool | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, LATIN_FONT, east)
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)
    style.font.color.rgb = RGBColor(0, 0, 0)


STYLE_IDS = {
    BODY: "LyueBody",
    TABLE_TEXT: "LyueTableText",
    TABLE_HEAD: "LyueTableHead",
    COVER_TITLE: "LyueCoverTitle",
    COVER_TEXT: "LyueCoverText",
    NOTE: "LyueNote",
    "toc 1": "TOC1",
    "toc 2": "TOC2",
    "toc 3": "TOC3",
}


def _paragraph_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = STYLE_IDS.get(name, style.style_id)
        style.base_style = styles[base]
        style.quick_style = True
        return style


def _first_line_indent_chars(style, chars: int) -> None:
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * 210))


def setup_styles(doc, chapter_page_break: bool) -> None:
    styles = doc.styles
    root = styles.element
    # docDefaults: 宋体, 10.5 pt, Chinese language
    rpr_default = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, LATIN_FONT, BODY_FONT)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    # no theme font anywhere (they override the names in Word)
    for fonts in root.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
        if fonts.get(qn("w:eastAsia")) is None:
            fonts.set(qn("w:eastAsia"), BODY_FONT)
        if fonts.get(qn("w:ascii")) is None:
            fonts.set(qn("w:ascii"), LATIN_FONT)
            fonts.set(qn("w:hAnsi"), LATIN_FONT)

    normal = styles["Normal"]
    _style_font(normal, BODY_FONT, 10.5)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.25

    body = _paragraph_style(doc, BODY)
    _style_font(body, BODY_FONT, 10.5)
    _first_line_indent_chars(body, 2)
    body.paragraph_format.line_spacing = 1.5
    body.paragraph_format.space_after = Pt(2)

    sizes = {1: 16, 2: 14, 3: 12}
    for level, size in sizes.items():
        heading = styles[f"Heading {level}"]
        _style_font(heading, HEAD_FONT, size, bold=True)
        fmt = heading.paragraph_format
        fmt.space_before = Pt(12 if level == 1 else 8)
        fmt.space_after = Pt(6)
        fmt.keep_with_next = True
        fmt.line_spacing = 1.25
        if level == 1:
            fmt.page_break_before = chapter_page_break
    for name in ("Title", "Subtitle", "TOC Heading", "Caption", "Header", "Footer"):
        _style_font(styles[name], HEAD_FONT if name != "Caption" else BODY_FONT, 10.5)
    styles["Caption"].font.size = Pt(9)
    styles["Caption"].font.bold = False
    styles["Header"].font.size = Pt(9)
    styles["Footer"].font.size = Pt(9)

    for level in (1, 2, 3):
        toc = _paragraph_style(doc, f"toc {level}")
        _style_font(toc, HEAD_FONT if level == 1 else BODY_FONT, 10.5 if level == 1 else 10)
        toc.paragraph_format.left_indent = Cm(0.74 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
        toc.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), alignment=2, leader=1)

    cell = _paragraph_style(doc, TABLE_TEXT)
    _style_font(cell, BODY_FONT, 9)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.space_before = Pt(0)
    cell.paragraph_format.line_spacing = 1.0
    head = _paragraph_style(doc, TABLE_HEAD, TABLE_TEXT)
    _style_font(head, HEAD_FONT, 9, bold=True)
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    cover_title = _paragraph_style(doc, COVER_TITLE)
    _style_font(cover_title, HEAD_FONT, 26, bold=True)
    cover_title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover_title.paragraph_format.space_before = Pt(24)
    cover_title.paragraph_format.space_after = Pt(24)
    cover_text = _paragraph_style(doc, COVER_TEXT)
    _style_font(cover_text, HEAD_FONT, 16)
    cover_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover_text.paragraph_format.space_after = Pt(12)
    note = _paragraph_style(doc, NOTE)
    _style_font(note, BODY_FONT, 9)
    note.font.color.rgb = RGBColor(0x40, 0x40, 0x40)


def setup_settings(doc) -> None:
    """Chinese theme language. No ``w:updateFields``: Word would ask to update fields on every
    open; the product writes the 目录 with its page numbers when it renders (documents/toc.py)."""
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


# --- fields ------------------------------------------------------------------------------------


def _fld_char(kind: str) -> OxmlElement:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instr(text: str) -> OxmlElement:
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {text} "
    run.append(instr)
    return run


def _text_run(text: str) -> OxmlElement:
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def add_simple_field(paragraph: Paragraph, code: str, shown: str) -> None:
    """A complex field (``PAGE``, ``NUMPAGES``) with a cached result."""
    p = paragraph._p
    p.append(_fld_char("begin"))
    p.append(_instr(code))
    p.append(_fld_char("separate"))
    p.append(_text_run(shown))
    p.append(_fld_char("end"))


# --- the document ------------------------------------------------------------------------------


class TemplateDoc:
    """A Word template under construction."""

    def __init__(self, title: str, chapter_page_break: bool = False) -> None:
        self.doc = Document()
        self.title = title
        self.chapter_page_break = chapter_page_break
        self.headings: list[tuple[int, str]] = []
        self._toc_anchor: Paragraph | None = None
        setup_styles(self.doc, chapter_page_break)
        setup_settings(self.doc)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.4)
        section.header_distance, section.footer_distance = Cm(1.4), Cm(1.3)
        section.different_first_page_header_footer = True  # the cover has none
        header = section.header.paragraphs[0]
        header.style = self.doc.styles["Header"]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run("{{ org_name }}　" + title)
        _bottom_border(header)
        footer = section.footer.paragraphs[0]
        footer.style = self.doc.styles["Footer"]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("第 ")
        add_simple_field(footer, "PAGE", "1")
        footer.add_run(" 页　共 ")
        add_simple_field(footer, "NUMPAGES", "1")
        footer.add_run(" 页")
        # python-docx starts with one empty paragraph: drop it
        body = self.doc.element.body
        for p in body.findall(qn("w:p")):
            body.remove(p)

    # text
    def p(self, text: str = "", style: str = BODY, align: str | None = None) -> Paragraph:
        para = self.doc.add_paragraph(text, style=self.doc.styles[style])
        if align == "center":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return para

    def plain(self, text: str) -> Paragraph:
        """A paragraph without first-line indent (labels, figure lines)."""
        return self.p(text, style="Normal")

    def note(self, text: str) -> Paragraph:
        return self.p(text, style=NOTE)

    def tag(self, text: str) -> Paragraph:
        """A paragraph holding only a docxtpl paragraph tag such as ``{%p if x %}``."""
        return self.p(text, style="Normal")

    def bullets(self, loop: str, item: str, var: str = "x") -> None:
        """One bullet paragraph per element of ``loop``: ``item`` is the Jinja expression shown."""
        self.tag(f"{{%p for {var} in {loop} %}}")
        self.p(item, style="List Bullet")
        self.tag("{%p endfor %}")

    def bullet(self, text: str) -> Paragraph:
        return self.p(text, style="List Bullet")

    def h(self, level: int, text: str) -> Paragraph:
        self.headings.append((level, text))
        return self.doc.add_heading(text, level=level)

    def page_break(self) -> None:
        para = self.doc.add_paragraph(style=self.doc.styles["Normal"])
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        run = OxmlElement("w:r")
        run.append(br)
        para._p.append(run)

    def image(self, var: str, caption: str) -> None:
        self.p("{{ " + var + " }}", style="Normal", align="center")
        self.p(caption, style="Caption", align="center")

    # cover and contents
    def cover(self, doc_title: str, rows: list[tuple[str, str]], subtitle: str = "") -> None:
        for _ in range(3):
            self.p("", style=COVER_TEXT)
        self.p("{{ org_name }}", style=COVER_TEXT)
        self.p(doc_title, style=COVER_TITLE)
        if subtitle:
            self.p(subtitle, style=COVER_TEXT)
        for _ in range(2):
            self.p("", style=COVER_TEXT)
        table = self.static_table(
            [Col("", "", 4.0), Col("", "", 7.0)], rows, header=False, borders=False, center=True
        )
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    para.style = self.doc.styles[COVER_TEXT]
                    para.paragraph_format.space_after = Pt(6)
                    para.alignment = WD_ALIGN_PARAGRAPH.LEFT
        self.page_break()

    def toc(self) -> None:
        """The 目录 page: a TOC field filled in at :meth:`save` with the headings written."""
        heading = self.p("目　录", style=COVER_TEXT)
        heading.paragraph_format.space_after = Pt(18)
        self._toc_anchor = self.p("", style="Normal")
        if not self.chapter_page_break:  # else the next heading starts a page (no blank page)
            self.page_break()

    def _fill_toc(self) -> None:
        if self._toc_anchor is None:
            return
        anchor = self._toc_anchor._p
        entries = [(lvl, text) for lvl, text in self.headings if lvl <= 3]
        paragraphs = []
        for i, (level, text) in enumerate(entries):
            p = OxmlElement("w:p")
            ppr = OxmlElement("w:pPr")
            style = OxmlElement("w:pStyle")
            style.set(qn("w:val"), self.doc.styles[f"toc {level}"].style_id)
            ppr.append(style)
            p.append(ppr)
            if i == 0:
                p.append(_fld_char("begin"))
                p.append(_instr('TOC \\o "1-3" \\h \\z \\u'))
                p.append(_fld_char("separate"))
            p.append(_text_run(text))
            if i == len(entries) - 1:
                p.append(_fld_char("end"))
            paragraphs.append(p)
        for p in paragraphs:
            anchor.addprevious(p)
        anchor.getparent().remove(anchor)
        self._toc_anchor = None

    # tables
    def _table(self, cols: list[Col], nrows: int, borders: bool = True):
        table = self.doc.add_table(rows=nrows, cols=len(cols))
        if borders:
            table.style = self.doc.styles["Table Grid"]
        tbl = table._tbl
        tblpr = tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tblpr.append(layout)
        width = tblpr.find(qn("w:tblW"))
        if width is None:
            width = OxmlElement("w:tblW")
            tblpr.append(width)
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(sum(int(c.width * 567) for c in cols)))
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), "57")  # 0.1 cm: narrow columns keep their text on one line
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        tblpr.append(margins)
        look = tblpr.find(qn("w:tblLook"))
        if look is not None:
            tblpr.remove(look)
        for grid_col, col in zip(tbl.tblGrid.findall(qn("w:gridCol")), cols, strict=True):
            grid_col.set(qn("w:w"), str(int(col.width * 567)))
        for row in table.rows:
            for cell, col in zip(row.cells, cols, strict=True):
                cell.width = Cm(col.width)
                cell.paragraphs[0].style = self.doc.styles[TABLE_TEXT]
        return table

    def static_table(
        self,
        cols: list[Col],
        rows: list[tuple[str, ...]] | list[list[str]],
        header: bool = True,
        borders: bool = True,
        center: bool = False,
    ):
        """A table of literal (or Jinja) text, written cell by cell (template build time only)."""
        extra = 1 if header else 0
        table = self._table(cols, len(rows) + extra, borders)
        if header:
            self._header_row(table, cols)
        for r, values in enumerate(rows, start=extra):
            for c, value in enumerate(values):
                table.rows[r].cells[c].paragraphs[0].text = value
        if center:
            jc = OxmlElement("w:jc")
            jc.set(qn("w:val"), "center")
            table._tbl.tblPr.append(jc)
        self.p("", style=NOTE)  # breathing space after a table
        return table

    def _header_row(self, table, cols: list[Col]) -> None:
        row = table.rows[0]
        trpr = row._tr.get_or_add_trPr()
        head = OxmlElement("w:tblHeader")
        trpr.append(head)
        cant = OxmlElement("w:cantSplit")
        trpr.insert(0, cant)
        for cell, col in zip(row.cells, cols, strict=True):
            para = cell.paragraphs[0]
            para.style = self.doc.styles[TABLE_HEAD]
            para.text = col.head
            shade = OxmlElement("w:shd")
            shade.set(qn("w:val"), "clear")
            shade.set(qn("w:color"), "auto")
            shade.set(qn("w:fill"), "D9E2F3")
            cell._tc.get_or_add_tcPr().append(shade)

    def loop_table(self, cols: list[Col], loop: str, var: str = "r", empty: str = "无记录") -> None:
        """A table with a header row repeated on every page and one row per element of ``loop``
        (docxtpl ``{%tr %}`` row loop); when ``loop`` is empty, one merged row says ``empty``."""
        table = self._table(cols, 7)
        self._header_row(table, cols)
        rows = table.rows
        rows[1].cells[0].paragraphs[0].text = f"{{%tr for {var} in {loop} %}}"
        for cell, col in zip(rows[2].cells, cols, strict=True):
            cell.paragraphs[0].text = col.cell
        rows[2]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
        rows[4].cells[0].paragraphs[0].text = f"{{%tr if not {loop} %}}"
        merged = rows[5].cells[0].merge(rows[5].cells[-1])
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        merged.paragraphs[0].text = empty
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        rows[6].cells[0].paragraphs[0].text = "{%tr endif %}"
        self.p("", style=NOTE)

    def new_landscape_section(self) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)

    # saving
    def save(self, path: Path) -> None:
        self._fill_toc()
        reorder_properties(self.doc.element)
        reorder_properties(self.doc.styles.element)
        for section in self.doc.sections:
            for part in (
                section.header,
                section.footer,
                section.first_page_header,
                section.first_page_footer,
            ):
                reorder_properties(part._element)
        core = self.doc.core_properties
        core.author = "lyue_xl"
        core.last_modified_by = "lyue_xl"
        core.title = self.title
        core.created = FIXED_TIME
        core.modified = FIXED_TIME
        core.last_printed = FIXED_TIME
        core.revision = 1
        buffer = io.BytesIO()
        self.doc.save(buffer)
        write_reproducible_zip(buffer.getvalue(), path)


# Schema order of the property elements we touch (Word rejects out-of-order children).
_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
}


def reorder_properties(root) -> None:
    """Put the children of every pPr/tblPr/tcPr under ``root`` in schema order."""
    for local, names in _ORDER.items():
        rank = {qn(f"w:{n}"): i for i, n in enumerate(names.split())}
        for props in root.iter(qn(f"w:{local}")):
            children = list(props)
            children.sort(key=lambda el: rank.get(el.tag, len(rank)))
            for child in children:
                props.append(child)


def _bottom_border(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "4")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "808080")
    borders.append(bottom)
    ppr.append(borders)


def write_reproducible_zip(data: bytes, path: Path) -> None:
    """Rewrite a .docx with fixed timestamps (and without the thumbnail) so builds are identical."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            if info.filename in ("_rels/.rels", "[Content_Types].xml"):
                blob = _drop_thumbnail(blob)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, blob)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _drop_thumbnail(blob: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(blob)
    for el in list(root):
        target = el.get("Target") or el.get("PartName") or ""
        if "thumbnail" in target:
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
