"""Write the engine's results into a user's .xlsx by replacing only the parts the engine owns.

The user's workbook is never loaded and saved by a spreadsheet library (that loses charts'
formatting, text boxes, form controls, pivot caches …, DESIGN §6).  Instead its zip package is
edited part by part:

- each engine-owned sheet (指标看板, 预警清单, 体系自评) is transplanted from a small workbook
  written by xlsxwriter, with its drawings and charts; shared strings become inline strings
  and cell formats are merged into the target's styles.xml (reusing identical entries);
- engine-owned columns of user sheets (供应商 等级 …) are set cell by cell in the sheet XML;
- every other zip member is copied with its original compressed bytes.

:func:`write_results` does all of this through :func:`~lyue_xl.workbook.safe_write.atomic_write`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from lyue_xl.errors import LyueError
from lyue_xl.workbook.opc import (
    DOC_REL_NS,
    PKG_REL_NS,
    REL_CALC_CHAIN,
    REL_SHARED_STRINGS,
    REL_STYLES,
    REL_WORKSHEET,
    Package,
    clone,
    m,
    relative,
    rels_name,
    resolve,
    serialize_xml,
)
from lyue_xl.workbook.safe_write import atomic_write
from lyue_xl.workbook.sheetcells import SheetCells, rich_text
from lyue_xl.workbook.sheetxml import Written, put_cells
from lyue_xl.workbook.stylesheet import StyleImporter, StyleSheet

__all__ = ["CellWriter", "ColumnUpdate", "write_results", "build_package"]

# The cells of a transplanted sheet, written once its styles are known in the target: given the
# function that maps the generated workbook's xf index to the target's, the sheet's <sheetData>.
CellWriter = Callable[[Callable[[int], int]], Written]

_Element = Any
_R_ID = f"{{{DOC_REL_NS}}}id"
_CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A sheet view that is selected (Excel writes "1", LibreOffice "true"; "0"/"false" is not).
_TAB_IS_SELECTED = re.compile(rb"""\stabSelected\s*=\s*["'](?:1|true)["']""")
# Children of <workbook> that may precede <definedNames> (CT_Workbook).
_BEFORE_NAMES = {
    "fileVersion",
    "fileSharing",
    "workbookPr",
    "workbookProtection",
    "bookViews",
    "sheets",
    "functionGroups",
    "externalReferences",
}

_CELL_STYLE = re.compile(rb'(<(?:c|row)\b[^>]*?\ss=")(\d+)(")')
_COL_STYLE = re.compile(rb'(<col\b[^>]*?\sstyle=")(\d+)(")')
_DXF = re.compile(rb'(<cfRule\b[^>]*?\sdxfId=")(\d+)(")')
# Any tabSelected attribute of the generated sheet (removed, then set when the old one was).
_TAB_SELECTED_ATTR = re.compile(rb'\stabSelected="[^"]*"')


@dataclass(frozen=True)
class ColumnUpdate:
    """Values for one engine-owned column of a user sheet, found by its header label."""

    sheet: str
    header_row: int
    label: str
    values: Mapping[int, object] = field(default_factory=dict)
    number_format: str | None = None
    rename: str | None = (
        None  # a new header text for the column (fix-types: 金额（万元） → …（元）)
    )


def write_results(
    target: Path,
    generated: Path,
    owned_sheets: Sequence[str],
    updates: Sequence[ColumnUpdate],
    *,
    backups: int = 5,
    cells: Mapping[str, CellWriter] | None = None,
    read_sheets: Sequence[str] = (),
) -> None:
    """Put the sheets ``owned_sheets`` of ``generated`` and the column ``updates`` into ``target``.

    ``cells[name]``, when given, writes the cells of the owned sheet ``name`` (its sheet in
    ``generated`` is then the layout only, with an empty ``<sheetData/>``). ``read_sheets`` are
    sheets the caller has just read whole (so intact); every other member copied as it is is
    verified first, and a damaged one stops the write.

    Everything else in ``target`` is kept byte for byte.  Raises :class:`LyueError` when the
    workbook is open, read-only or not an .xlsx; on any failure ``target`` is unchanged.
    """
    target = Path(target)
    if not target.is_file():
        raise LyueError(f"找不到工作簿“{target}”，请检查路径。")
    atomic_write(
        target,
        lambda out: build_package(
            target, Path(generated), owned_sheets, updates, out, cells, read_sheets
        ),
        backups=backups,
    )


def build_package(
    target: Path,
    generated: Path,
    owned_sheets: Sequence[str],
    updates: Sequence[ColumnUpdate],
    out: Path,
    cells: Mapping[str, CellWriter] | None = None,
    read_sheets: Sequence[str] = (),
) -> None:
    """Write to ``out`` the package of ``target`` with the results put in (no safety checks)."""
    try:
        package = Package(target)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LyueError(
            f"“{target}”不是有效的 Excel 工作簿（.xlsx），无法写入结果。"
            "如果它是 .xls 或 CSV，请先在 Excel/WPS 中另存为 .xlsx。"
        ) from exc
    with package, Package(generated) as source:
        editor = _Editor(package, source, cells or {})
        updated = {update.sheet.casefold() for update in updates}
        for name in owned_sheets:
            if name.casefold() in updated:
                raise ValueError(f"sheet {name!r} is both owned and updated")
            editor.transplant(name)
        for update in updates:
            editor.update(update)
        editor.finish()
        package.type_new_rels()
        untyped = package.untyped_changes()
        if untyped:
            raise ValueError(f"parts written without a content type: {untyped}")
        checked = {editor.sheet_part(name) for name in read_sheets}
        package.save(out, checked={part for part in checked if part})


def _child(parent: _Element, tag: str) -> _Element:
    found = parent.find(m(tag))
    if found is None:
        raise LyueError(f"工作簿结构不完整（缺少 {tag}），请在 Excel/WPS 中打开后另存一次再试。")
    return found


def _rel_element(rels_root: _Element, rel_id: str) -> _Element | None:
    for el in rels_root:
        if el.get("Id") == rel_id:
            return el
    return None


class _Editor:
    """The edits of one write: transplanted sheets, cell updates, styles, calcChain."""

    def __init__(self, package: Package, source: Package, cells: Mapping[str, CellWriter]) -> None:
        self.package = package
        self.source = source
        self.cells = cells
        self.workbook_part = package.main_part()
        self.workbook = package.xml(self.workbook_part)
        styles = [r.target for r in package.rels(self.workbook_part) if r.type == REL_STYLES]
        if not styles or not package.exists(styles[0]):
            raise LyueError("工作簿缺少样式表（styles.xml），请在 Excel/WPS 中打开后另存一次再试。")
        self.styles_part = styles[0]
        self.styles = StyleSheet(package.xml(self.styles_part))
        self.source_workbook_part = source.main_part()
        self.source_workbook = source.xml(self.source_workbook_part)
        self._importer: StyleImporter | None = None
        self._source_strings: list[_Element] | None = None
        self._shared: list[_Element] | None = None
        self._sheets: dict[str, SheetCells] = {}
        self.drop_calc_chain = False

    # ---- helpers -----------------------------------------------------------------------
    def importer(self) -> StyleImporter:
        if self._importer is None:
            parts = [
                r.target
                for r in self.source.rels(self.source_workbook_part)
                if r.type == REL_STYLES
            ]
            root = self.source.xml(parts[0]) if parts else etree.Element(m("styleSheet"))
            self._importer = StyleImporter(self.styles, root)
        return self._importer

    def source_strings(self) -> list[_Element]:
        if self._source_strings is None:
            parts = [
                r.target
                for r in self.source.rels(self.source_workbook_part)
                if r.type == REL_SHARED_STRINGS
            ]
            self._source_strings = list(self.source.xml(parts[0]).iter(m("si"))) if parts else []
        return self._source_strings

    def shared_text(self, index: int) -> str:
        if self._shared is None:
            parts = [
                r.target
                for r in self.package.rels(self.workbook_part)
                if r.type == REL_SHARED_STRINGS
            ]
            self._shared = []
            if parts and self.package.exists(parts[0]):
                # the items only: their text is taken when asked for (the header labels)
                self._shared = list(self.package.xml(parts[0]).iter(m("si")))
        return rich_text(self._shared[index]) if 0 <= index < len(self._shared) else ""

    def _sheet_entry(self, workbook: _Element, name: str) -> tuple[int, _Element] | None:
        for position, el in enumerate(_child(workbook, "sheets")):
            if el.get("name", "").casefold() == name.casefold():
                return position, el
        return None

    # ---- engine-owned sheets -----------------------------------------------------------
    def transplant(self, name: str) -> None:
        found = self._sheet_entry(self.source_workbook, name)
        if found is None:
            raise ValueError(f"the generated workbook has no sheet {name!r}")
        source_index, source_entry = found
        source_rels = self.source.rels_root(self.source_workbook_part)
        source_rel = _rel_element(source_rels, source_entry.get(_R_ID, ""))
        if source_rel is None:
            raise ValueError(f"sheet {name!r} has no part in the generated workbook")
        source_part = resolve(self.source_workbook_part, source_rel.get("Target", ""))

        package = self.package
        rels_root = package.rels_root(self.workbook_part)
        existing = self._sheet_entry(self.workbook, name)
        tab_selected = False
        if existing is not None:
            index, entry = existing
            rel = _rel_element(rels_root, entry.get(_R_ID, ""))
            if rel is None:
                raise LyueError(
                    f"工作簿中工作表「{name}」的结构不完整，请在 Excel/WPS 中另存一次再试。"
                )
            old_part = resolve(self.workbook_part, rel.get("Target", ""))
            new_part = old_part
            if package.exists(old_part):
                old = package.read(old_part)
                tab_selected = _TAB_IS_SELECTED.search(old) is not None
                if _FORMULA.search(old):
                    self.drop_calc_chain = True
                keep = package.reachable("", avoid=old_part)
                for part in ({old_part} | package.reachable(old_part)) - keep:
                    package.drop_part(part)
            if not old_part.startswith("xl/worksheets/") or rel.get("Type") != REL_WORKSHEET:
                new_part = package.free_name("xl/worksheets/sheet1.xml", set())
            moved = resolve(self.workbook_part, rel.get("Target", "")) != new_part
            if moved or rel.get("Type") != REL_WORKSHEET:
                rel.set("Type", REL_WORKSHEET)
                rel.set("Target", relative(self.workbook_part, new_part))
                package.touch(rels_name(self.workbook_part))
        else:
            new_part = package.free_name("xl/worksheets/sheet1.xml", set())
            rel_id = package.add_rel(self.workbook_part, REL_WORKSHEET, new_part)
            sheets = _child(self.workbook, "sheets")
            sheet_id = max([0, *(int(el.get("sheetId", "0")) for el in sheets)]) + 1
            etree.SubElement(
                sheets, m("sheet"), {"name": name, "sheetId": str(sheet_id), _R_ID: rel_id}
            )
            index = len(sheets) - 1
            package.touch(self.workbook_part)

        mapping = {source_part: new_part}
        for part in self._reachable_in_order(source_part):
            mapping[part] = package.free_name(part, set(mapping.values()))
        for src, dst in mapping.items():
            content_type = self.source.content_type(src)
            if src == source_part:
                sheet_xml = self._sheet_xml(source_part, tab_selected)
                if name in self.cells:
                    sheet_xml = put_cells(sheet_xml, self.cells[name](self.importer().xf))
                package.put(dst, sheet_xml)
            elif content_type == _CT_TABLE:
                package.put(dst, self._table_xml(src))
            else:
                package.put(dst, self.source.read(src))
            if content_type:
                package.set_content_type(dst, content_type)
            if self.source.exists(rels_name(src)):
                rels = clone(self.source.xml(rels_name(src)))
                for rel_el in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
                    if rel_el.get("TargetMode") == "External":
                        continue
                    resolved = resolve(src, rel_el.get("Target", ""))
                    if resolved in mapping:
                        rel_el.set("Target", relative(dst, mapping[resolved]))
                package.put_xml(rels_name(dst), rels)
            elif package.exists(rels_name(dst)):
                package.remove(rels_name(dst))
        self._copy_builtin_names(source_index, index)

    def _reachable_in_order(self, start: str) -> list[str]:
        order: list[str] = []
        queue = [start]
        while queue:
            part = queue.pop(0)
            for rel in self.source.rels(part):
                if rel.external or rel.target == start or rel.target in order:
                    continue
                if self.source.exists(rel.target):
                    order.append(rel.target)
                    queue.append(rel.target)
        return order

    def _sheet_xml(self, part: str, tab_selected: bool) -> bytes:
        raw = self.source.read(part)
        if b't="s"' not in raw and b"<x:" not in raw:
            return self._sheet_xml_fast(raw, tab_selected)
        root = clone(self.source.xml(part))
        importer = self.importer()
        for cell in root.iter(m("c")):
            style = cell.get("s")
            if style is not None:
                new = importer.xf(int(style))
                if new:
                    cell.set("s", str(new))
                else:
                    del cell.attrib["s"]
            if cell.get("t") == "s":
                value = cell.find(m("v"))
                strings = self.source_strings()
                item = strings[int(value.text)] if value is not None and value.text else None
                if value is not None:
                    cell.remove(value)
                cell.set("t", "inlineStr")
                inline = etree.SubElement(cell, m("is"))
                if item is None:
                    etree.SubElement(inline, m("t"))
                else:
                    for child in item:
                        inline.append(clone(child))
        for row in root.iter(m("row")):
            if row.get("s") is not None:
                row.set("s", str(importer.xf(int(row.get("s")))))
        for col in root.iter(m("col")):
            if col.get("style") is not None:
                col.set("style", str(importer.xf(int(col.get("style")))))
        for rule in root.iter(m("cfRule")):
            if rule.get("dxfId") is not None:
                rule.set("dxfId", str(importer.dxf(int(rule.get("dxfId")))))
        for view in root.iter(m("sheetView")):
            if tab_selected:
                view.set("tabSelected", "1")
            else:
                view.attrib.pop("tabSelected", None)
        return serialize_xml(root)

    def _sheet_xml_fast(self, raw: bytes, tab_selected: bool) -> bytes:
        """The same remapping as the tree walk, as byte substitutions (large generated sheets).

        Used when the generated sheet has no shared strings (xlsxwriter's constant_memory mode
        writes inline strings) and unprefixed markup, which is what xlsxwriter always writes.
        """
        importer = self.importer()
        xfs: dict[bytes, bytes] = {}

        def xf(match: re.Match[bytes]) -> bytes:
            number = match.group(2)
            if number not in xfs:
                xfs[number] = str(importer.xf(int(number))).encode()
            return match.group(1) + xfs[number] + match.group(3)

        def dxf(match: re.Match[bytes]) -> bytes:
            return match.group(1) + str(importer.dxf(int(match.group(2)))).encode() + match.group(3)

        out = _CELL_STYLE.sub(xf, raw)
        out = _COL_STYLE.sub(xf, out)
        out = _DXF.sub(dxf, out)
        out = _TAB_SELECTED_ATTR.sub(b"", out)
        if tab_selected:
            out = out.replace(b"<sheetView ", b'<sheetView tabSelected="1" ', 1)
        return out

    def _table_xml(self, part: str) -> bytes:
        root = clone(self.source.xml(part))
        ids, names = set(), set()
        for name in self.package.names():
            if name.startswith("xl/tables/") and name.endswith(".xml"):
                table = self.package.xml(name)
                ids.add(int(table.get("id", "0")))
                names.add(table.get("name", "").casefold())
                names.add(table.get("displayName", "").casefold())
        if int(root.get("id", "0")) in ids:
            root.set("id", str(max(ids) + 1))
        base = root.get("displayName", "Table")
        label, counter = base, 1
        while label.casefold() in names:
            counter += 1
            label = f"{base}_{counter}"
        root.set("name", label)
        root.set("displayName", label)
        return serialize_xml(root)

    def _copy_builtin_names(self, source_index: int, index: int) -> None:
        """Carry the sheet's own ``_xlnm.*`` names (print area, filter) over, replacing old ones."""

        def builtin(names: _Element | None, position: int) -> list[_Element]:
            if names is None:
                return []
            return [
                el
                for el in names
                if el.get("localSheetId") == str(position)
                and el.get("name", "").startswith("_xlnm.")
            ]

        wanted = [
            clone(el) for el in builtin(self.source_workbook.find(m("definedNames")), source_index)
        ]
        for el in wanted:
            el.set("localSheetId", str(index))
        names = self.workbook.find(m("definedNames"))
        stale = builtin(names, index)
        if [etree.tostring(el) for el in stale] == [etree.tostring(el) for el in wanted]:
            return
        if names is None:
            names = etree.Element(m("definedNames"))
            position = 0
            for number, child in enumerate(self.workbook):
                if isinstance(child.tag, str) and etree.QName(child).localname in _BEFORE_NAMES:
                    position = number + 1
            self.workbook.insert(position, names)
        for el in stale:
            names.remove(el)
        for el in wanted:
            el.tail = None
            names.append(el)
        if len(names) == 0:
            self.workbook.remove(names)
        self.package.touch(self.workbook_part)

    # ---- engine-owned columns of user sheets -------------------------------------------
    def sheet_part(self, name: str) -> str | None:
        """The worksheet part of sheet ``name`` of the target, if it has one."""
        found = self._sheet_entry(self.workbook, name)
        if found is None:
            return None
        rel = _rel_element(self.package.rels_root(self.workbook_part), found[1].get(_R_ID, ""))
        if rel is None or rel.get("Type") != REL_WORKSHEET:
            return None
        part = resolve(self.workbook_part, rel.get("Target", ""))
        return part if self.package.exists(part) else None

    def update(self, update: ColumnUpdate) -> None:
        part = self.sheet_part(update.sheet)
        if part is None:
            raise LyueError(
                f"工作簿“{self.package.path}”中找不到工作表「{update.sheet}」，无法写入"
                f"「{update.label}」。请按模板恢复该工作表后重试。"
            )
        cells = self._sheets.get(part)
        if cells is None:
            cells = SheetCells(self.package.xml(part), self.styles, self.shared_text)
            self._sheets[part] = cells
        column = cells.find_column(update.header_row, update.label)
        if update.rename is not None:
            cells.set(update.header_row, column, update.rename, None)
        for row, value in sorted(update.values.items()):
            if row == update.header_row:
                raise ValueError(f"update of {update.label!r} would overwrite its header")
            cells.set(row, column, value, update.number_format)
        self.package.touch(part)

    def finish(self) -> None:
        for cells in self._sheets.values():
            cells.finish()
            self.drop_calc_chain = self.drop_calc_chain or cells.removed_formula
        if self.drop_calc_chain:
            for part in self.package.remove_rels_of_type(self.workbook_part, REL_CALC_CHAIN):
                self.package.drop_part(part)
        if self.styles.dirty:
            self.package.touch(self.styles_part)
