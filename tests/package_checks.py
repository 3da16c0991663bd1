"""Independent readers of an .xlsx zip for the package tests (no code from lyue_xl)."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from lyue_xl.workbook.package import ColumnUpdate

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def rels_of(files: dict[str, bytes], part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, resolved target) of ``part``'s internal relationships."""
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if name not in files:
        return []
    found = []
    for el in etree.fromstring(files[name]).iter(REL + "Relationship"):
        if el.get("TargetMode") == "External":
            continue
        target = el.get("Target")
        resolved = (
            target[1:]
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        found.append((el.get("Id"), el.get("Type").rsplit("/", 1)[-1], resolved))
    return found


def sheet_parts(files: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> part name, in workbook order."""
    workbook = etree.fromstring(files["xl/workbook.xml"])
    targets = {rid: target for rid, _, target in rels_of(files, "xl/workbook.xml")}
    return {el.get("name"): targets[el.get(RID)] for el in workbook.iter(MAIN + "sheet")}


def owned_parts(files: dict[str, bytes], part: str) -> set[str]:
    """``part`` and everything reachable from it (with the rels parts)."""
    seen = {part}
    todo = [part]
    while todo:
        for _, _, target in rels_of(files, todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    rels = {
        posixpath.join(posixpath.dirname(p), "_rels", posixpath.basename(p) + ".rels") for p in seen
    }
    return seen | {r for r in rels if r in files}


def check_integrity(path: Path) -> None:
    """Every relationship target exists, every part has a content type, no dangling override."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    files = members(path)
    types = etree.fromstring(files["[Content_Types].xml"])
    overrides = {el.get("PartName").lstrip("/") for el in types.iter(CT + "Override")}
    defaults = {el.get("Extension").lower() for el in types.iter(CT + "Default")}
    assert overrides <= set(files), overrides - set(files)
    for name in files:
        if name == "[Content_Types].xml":
            continue
        assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
        if name.endswith(".rels"):
            source = posixpath.join(
                posixpath.dirname(posixpath.dirname(name)),
                posixpath.basename(name)[: -len(".rels")],
            )
            for _, _, target in rels_of(files, source if source != ".rels" else ""):
                assert target in files, (name, target)


def strip_cells(xml: bytes, touched: set[str]) -> bytes:
    """Sheet XML without the cells ``touched``, the dimension and row spans (for comparison)."""
    root = etree.fromstring(xml)
    for cell in list(root.iter(MAIN + "c")):
        if cell.get("r") in touched:
            cell.getparent().remove(cell)
    for row in list(root.iter(MAIN + "row")):
        row.attrib.pop("spans", None)
        if len(row) == 0 and not row.get("customHeight") and not row.get("s"):
            row.getparent().remove(row)
    for dimension in root.iter(MAIN + "dimension"):
        dimension.getparent().remove(dimension)
    return etree.tostring(root, method="c14n")


def touched_cells(updates: list[ColumnUpdate], columns: dict[str, str]) -> set[str]:
    """Cell refs written by ``updates`` whose columns are ``columns[label]`` (header included)."""
    refs = set()
    for update in updates:
        letter = columns[update.label]
        refs.add(f"{letter}{update.header_row}")
        refs.update(f"{letter}{row}" for row in update.values)
    return refs


def defined_names(files: dict[str, bytes]) -> set[tuple[str, str | None, str]]:
    workbook = etree.fromstring(files["xl/workbook.xml"])
    return {
        (el.get("name"), el.get("localSheetId"), el.text)
        for el in workbook.iter(MAIN + "definedName")
    }


def chart_refs(files: dict[str, bytes]) -> dict[str, list[str]]:
    return {
        name: re.findall(r"<c:f>([^<]*)</c:f>", data.decode())
        for name, data in files.items()
        if re.fullmatch(r"xl/charts/chart\d+\.xml", name)
    }
