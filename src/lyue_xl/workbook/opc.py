"""The parts of an .xlsx zip package: read lazily, change a few, write the rest back raw.

Part names are zip member names without a leading slash (``xl/workbook.xml``).  Only parts
that are explicitly changed are re-serialised; every other member is copied with its
original compressed bytes by :class:`~lyue_xl.workbook.zipcopy.RawZipWriter`.
"""

from __future__ import annotations

import copy
import posixpath
import re
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from lyue_xl.errors import LyueError
from lyue_xl.workbook.zipcopy import FIXED_TIME, RawZipWriter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_OFFICE_DOCUMENT = DOC_REL_NS + "/officeDocument"
REL_WORKSHEET = DOC_REL_NS + "/worksheet"
REL_STYLES = DOC_REL_NS + "/styles"
REL_SHARED_STRINGS = DOC_REL_NS + "/sharedStrings"
REL_CALC_CHAIN = DOC_REL_NS + "/calcChain"
# ISO/IEC 29500 Strict names the same relationships under purl.oclc.org.
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
# The one parser of every part a refresh reads: no entity expansion, no DTD loading, no network,
# libxml2's default limits (huge_tree off: a text node over 10 MB is refused, not allocated).
_PARSER = etree.XMLParser(
    huge_tree=False, resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
)
_Element = Any  # lxml's _Element; typed loosely so mypy needs no stubs


def m(tag: str) -> str:
    """A SpreadsheetML main-namespace tag in Clark notation."""
    return f"{{{MAIN_NS}}}{tag}"


class XmlDamaged(ValueError):
    """A part that is not one well-formed XML document without a DTD."""


def parse_xml(data: bytes) -> _Element:
    """Parse one part with the guarded parser; :class:`XmlDamaged` when it is not well-formed
    or declares a DTD (Office never writes one; it could declare expanding entities)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise XmlDamaged(str(exc)) from None
    if root.getroottree().docinfo.doctype:
        raise XmlDamaged("DTD")
    return root


def serialize_xml(root: _Element) -> bytes:
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def rels_name(part: str) -> str:
    """The relationships part of ``part`` (``""`` is the package itself)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """The part name a relationship ``Target`` of ``source`` points to."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


_WORKBOOK_KINDS = {
    "[Content_Types].xml": "内容类型清单",
    "_rels/.rels": "文件关系清单",
    "docProps/core.xml": "文档属性",
    "docProps/app.xml": "文档属性",
    "docProps/custom.xml": "自定义文档属性",
}
_KINDS_BY_FOLDER = {
    "xl/theme/": "主题",
    "xl/externalLinks/": "外部链接",
    "xl/pivotCache/": "数据透视表缓存",
    "customXml/": "自定义 XML",
}
_KINDS_BY_NAME = {
    "styles.xml": "样式表",
    "sharedStrings.xml": "共享字符串表",
    "workbook.xml": "工作簿结构",
    "workbook.xml.rels": "工作簿关系清单",
    "calcChain.xml": "计算链",
}


def damaged_message(path: Path, part: str, sheet: str | None) -> str:
    if sheet:
        where = f"“{sheet}”（{part}）"
    else:
        kind = _kind(part)
        where = f"其中的“{part}”" + (f"（{kind}）" if kind else "")
    return (
        f"工作簿“{path.name}”已损坏：{where}无法读取，工作簿未被修改。"
        "请在 Excel 中打开并另存后再试，或使用 .lyue-backup 中的备份。"
    )


def _kind(part: str) -> str:
    if part in _WORKBOOK_KINDS:
        return _WORKBOOK_KINDS[part]
    for folder, kind in _KINDS_BY_FOLDER.items():
        if part.startswith(folder):
            return kind
    return _KINDS_BY_NAME.get(posixpath.basename(part), "")


def strict_refused(path: Path) -> LyueError:
    return LyueError(
        f"工作簿“{path.name}”是以“Strict Open XML 电子表格”格式保存的，程序可以读取、但不能写回这种格式，"
        "工作簿未被修改。请在 Excel 中“另存为”“Excel 工作簿 (*.xlsx)”后再刷新。"
    )


def damaged(path: Path, member: str) -> LyueError:
    return LyueError(
        f"工作簿“{path.name}”已损坏（其中的“{member}”无法完整读出），程序没有改动它。"
        "请在 Excel/WPS 中打开并另存一份，或用 .lyue-backup 中的备份，然后重试。"
    )


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str  # resolved part name, or the raw target when external
    external: bool


class Package:
    """An .xlsx opened for surgery; call :meth:`save` to write the result elsewhere."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._zip = zipfile.ZipFile(self.path)
        self._infos = {info.filename: info for info in self._zip.infolist()}
        self._order = list(self._infos)
        self._known = set(self._order)
        self._changed: dict[str, bytes] = {}
        self._removed: set[str] = set()
        self._xml: dict[str, _Element] = {}
        self._dirty_xml: set[str] = set()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- parts -------------------------------------------------------------------------
    def names(self) -> list[str]:
        return [name for name in self._order if name not in self._removed]

    def exists(self, name: str) -> bool:
        return name in self._known and name not in self._removed

    def read(self, name: str) -> bytes:
        if name in self._removed:
            raise KeyError(name)
        if name in self._dirty_xml:
            return serialize_xml(self._xml[name])
        if name in self._changed:
            return self._changed[name]
        try:
            return self._zip.read(self._infos[name])
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise damaged(self.path, name) from None

    def xml(self, name: str) -> _Element:
        """The parsed XML of part ``name`` (cached; call :meth:`touch` after changing it)."""
        if name not in self._xml:
            try:
                self._xml[name] = parse_xml(self.read(name))
            except XmlDamaged:
                raise LyueError(damaged_message(self.path, name, None)) from None
        return self._xml[name]

    def touch(self, name: str) -> None:
        """Mark the cached XML of ``name`` as changed so that it is written back."""
        self._dirty_xml.add(name)

    def put(self, name: str, data: bytes) -> None:
        if name not in self._known:
            self._order.append(name)
            self._known.add(name)
        self._removed.discard(name)
        self._dirty_xml.discard(name)
        self._xml.pop(name, None)
        self._changed[name] = data

    def put_xml(self, name: str, root: _Element) -> None:
        self.put(name, b"")
        self._xml[name] = root
        self._dirty_xml.add(name)

    def remove(self, name: str) -> None:
        self._removed.add(name)
        self._changed.pop(name, None)
        self._xml.pop(name, None)
        self._dirty_xml.discard(name)

    def changed(self) -> set[str]:
        """Members whose content is (possibly) different from the original file."""
        return (set(self._changed) | self._dirty_xml) - self._removed

    def save(
        self, out: Path, *, raw_copy: bool = True, checked: Collection[str] = frozenset()
    ) -> None:
        """Write the package to ``out``; untouched members keep their compressed bytes.

        Those bytes are verified (size and CRC-32) first, except for the members in ``checked``,
        which the caller has already read whole; a damaged member is a :class:`LyueError`.
        ``raw_copy=False`` re-deflates every member instead (only to measure what it saves).
        """
        with open(self.path, "rb") as source, open(out, "wb") as handle:
            writer = RawZipWriter(handle)
            for name in self.names():
                info = self._infos.get(name)
                untouched = name not in self._changed and name not in self._dirty_xml
                if info is not None and untouched and raw_copy:
                    try:
                        writer.copy(source, info, verify=name not in checked)
                    except zipfile.BadZipFile:
                        raise damaged(self.path, name) from None
                else:
                    when = info.date_time if info is not None else FIXED_TIME
                    writer.write(name, self.read(name), when)
            writer.close()

    # ---- relationships -----------------------------------------------------------------
    def rels(self, source: str) -> list[Rel]:
        name = rels_name(source)
        if not self.exists(name):
            return []
        found = []
        for el in self.xml(name):
            if el.tag != f"{{{PKG_REL_NS}}}Relationship":
                continue
            external = el.get("TargetMode") == "External"
            raw = el.get("Target", "")
            found.append(
                Rel(
                    el.get("Id", ""),
                    el.get("Type", ""),
                    raw if external else resolve(source, raw),
                    external,
                )
            )
        return found

    def rels_root(self, source: str) -> _Element:
        """The relationships XML of ``source``, created empty when missing."""
        name = rels_name(source)
        if not self.exists(name):
            empty = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
            self.put_xml(name, empty)
        return self.xml(name)

    def add_rel(self, source: str, rel_type: str, part: str) -> str:
        root = self.rels_root(source)
        used = {el.get("Id") for el in root}
        number = 1
        while f"rId{number}" in used:
            number += 1
        rel_id = f"rId{number}"
        etree.SubElement(
            root,
            f"{{{PKG_REL_NS}}}Relationship",
            {"Id": rel_id, "Type": rel_type, "Target": relative(source, part)},
        )
        self.touch(rels_name(source))
        return rel_id

    def remove_rels_of_type(self, source: str, rel_type: str) -> list[str]:
        """Remove ``source``'s relationships of ``rel_type``; returns the parts they named."""
        if not self.exists(rels_name(source)):
            return []
        root = self.xml(rels_name(source))
        gone = []
        for el in list(root):
            if el.get("Type") == rel_type:
                gone.append(resolve(source, el.get("Target", "")))
                root.remove(el)
        if gone:
            self.touch(rels_name(source))
        return gone

    def reachable(self, start: str, *, avoid: str | None = None) -> set[str]:
        """Parts reachable from ``start`` by internal relationships, not entering ``avoid``."""
        seen: set[str] = set()
        todo = [start]
        while todo:
            part = todo.pop()
            for rel in self.rels(part):
                if rel.external or rel.target in seen or rel.target == avoid:
                    continue
                if self.exists(rel.target):
                    seen.add(rel.target)
                    todo.append(rel.target)
        return seen

    def main_part(self) -> str:
        rels = self.rels("")
        for rel in rels:
            if rel.type == REL_OFFICE_DOCUMENT:
                return rel.target
        if any(rel.type == STRICT_OFFICE_DOCUMENT for rel in rels):
            raise strict_refused(self.path)
        raise LyueError(
            f"工作簿“{self.path.name}”已损坏（_rels/.rels 中找不到工作簿的主部件），程序没有改动它。"
            "请在 Excel/WPS 中打开并另存一份后重试。"
        )

    # ---- content types -----------------------------------------------------------------
    def _types(self) -> _Element:
        return self.xml("[Content_Types].xml")

    def content_type(self, name: str) -> str | None:
        types = self._types()
        for el in types.iter(f"{{{CT_NS}}}Override"):
            if el.get("PartName", "").lstrip("/") == name:
                return str(el.get("ContentType"))
        base = posixpath.basename(name)  # "_rels/.rels" has the extension "rels" (OPC)
        ext = base.rpartition(".")[2].lower() if "." in base else ""
        for el in types.iter(f"{{{CT_NS}}}Default"):
            if el.get("Extension", "").lower() == ext:
                return str(el.get("ContentType"))
        return None

    def set_content_type(self, name: str, content_type: str) -> None:
        """Make ``name``'s content type ``content_type`` (via its Default or an Override)."""
        types = self._types()
        for el in types.iter(f"{{{CT_NS}}}Override"):
            if el.get("PartName", "").lstrip("/") == name:
                if el.get("ContentType") != content_type:
                    el.set("ContentType", content_type)
                    self.touch("[Content_Types].xml")
                return
        if self.content_type(name) == content_type:
            return
        etree.SubElement(
            types, f"{{{CT_NS}}}Override", {"PartName": "/" + name, "ContentType": content_type}
        )
        self.touch("[Content_Types].xml")

    def type_new_rels(self) -> None:
        """Give every relationships part a content type: LibreOffice writes an Override per
        ``.rels`` part and no Default for the extension, so a ``.rels`` part we add would have
        none (Excel then calls the file damaged). A Default for ``rels`` covers them all."""
        untyped = [
            name
            for name in self.names()
            if name.endswith(".rels") and self.content_type(name) is None
        ]
        if untyped:
            self._types().insert(
                0,
                etree.Element(
                    f"{{{CT_NS}}}Default", {"Extension": "rels", "ContentType": CT_RELATIONSHIPS}
                ),
            )
            self.touch("[Content_Types].xml")

    def untyped_changes(self) -> list[str]:
        """Parts added or changed by us that have no content type (a bug if not empty)."""
        return sorted(
            name
            for name in self.changed()
            if name != "[Content_Types].xml" and self.content_type(name) is None
        )

    def remove_override(self, name: str) -> None:
        types = self._types()
        for el in list(types.iter(f"{{{CT_NS}}}Override")):
            if el.get("PartName", "").lstrip("/") == name:
                types.remove(el)
                self.touch("[Content_Types].xml")

    def drop_part(self, name: str) -> None:
        """Remove a part with its relationships part and its content-type override."""
        self.remove(name)
        if self.exists(rels_name(name)):
            self.remove(rels_name(name))
        self.remove_override(name)
        self.remove_override(rels_name(name))  # LibreOffice lists some rels parts too

    def free_name(self, like: str, taken: set[str]) -> str:
        """An unused part name in ``like``'s folder following its pattern (``chart7.xml``)."""
        folder, base = posixpath.split(like)
        match = re.fullmatch(r"(.*?)(\d*)(\.[^.]*)?", base)
        assert match is not None
        prefix, ext = match.group(1), match.group(3) or ""
        number = 1
        while True:
            name = posixpath.join(folder, f"{prefix}{number}{ext}")
            if not self.exists(name) and name not in taken:
                return name
            number += 1


def clone(el: _Element) -> _Element:
    return copy.deepcopy(el)
