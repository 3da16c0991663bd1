"""Build lyue_xl.xlam, the Excel add-in with the ribbon tab 「履约管理」, from text in the repo.

Parts:
- the VBA project (``vba.project``): ThisWorkbook and Sheet1 document modules, the xlwings module
  of the pinned, installed xlwings package (its custom add-in module, BSD licence header kept)
  with ``PROJECT_NAME`` set to ``lyue_xl``, and our dispatcher ``ribbon/LyueRibbon.bas``;
- a workbook shell written by xlsxwriter (one hidden-by-Excel add-in sheet, fixed properties);
- at zip level: the add-in content type, ``customUI/customUI14.xml`` and its root relationship.
Zip entries have a fixed order, timestamp and compression, so two builds are byte-identical.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import xlsxwriter
from lxml import etree

from lyue_xl import __version__
from lyue_xl.excel.ribbon import CUSTOM_UI, DISPATCHER
from lyue_xl.excel.vba.project import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    build_vba_project,
    document_module,
)

ADDIN_NAME = "lyue_xl.xlam"
PROJECT_NAME = "lyue_xl"  # VBA project name and xlwings PROJECT_NAME (config: lyue_xl.conf)
XLWINGS_VERSION = "0.37.8"  # the add-in's VBA must match the xlwings the Python side runs
XLWINGS_ADDIN_BAS = "xlwings_custom_addin.bas"
SHEET_CODE_NAME = "Sheet1"

ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
UI_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
UI_PART = "customUI/customUI14.xml"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CREATED = datetime(2025, 1, 1, 0, 0, 0)

_PROJECT_NAME_LINE = re.compile(r'^Public Const PROJECT_NAME As String = "[^"]*"$', re.MULTILINE)
_VERSION_LINE = re.compile(r'^Public Const XLWINGS_VERSION As String = "([^"]*)"$', re.MULTILINE)
_STRING = re.compile(r'"(?:[^"\r\n]|"")*"')
_MAX_LINE = 1023  # VBA's limit on a physical source line


class AddinBuildError(RuntimeError):
    """The add-in cannot be built from what is installed (wrong xlwings, bad VBA text)."""


def build_addin(out_dir: Path) -> Path:
    """Write ``out_dir/lyue_xl.xlam`` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_NAME
    vba = build_vba_project(PROJECT_NAME, addin_modules())
    shell = _workbook_shell(vba)
    target.write_bytes(_add_ribbon(shell, CUSTOM_UI.read_bytes()))
    return target


def addin_modules() -> list[Module]:
    """The add-in's VBA modules, in project order, with their source as stored."""
    return [
        document_module("ThisWorkbook", WORKBOOK_BASE),
        document_module(SHEET_CODE_NAME, WORKSHEET_BASE),
        Module("xlwings", xlwings_module_source()),
        Module("LyueRibbon", dispatcher_source()),
    ]


# ---------------------------------------------------------------------------------------------
# VBA sources


def xlwings_addin_bas() -> Path:
    """The custom add-in VBA module shipped in the installed xlwings package."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise AddinBuildError("xlwings is not installed")
    return Path(spec.origin).parent / XLWINGS_ADDIN_BAS


def xlwings_module_source() -> str:
    """xlwings' add-in module with ``PROJECT_NAME`` set to ours (config lookups use it)."""
    installed = importlib.metadata.version("xlwings")
    if installed != XLWINGS_VERSION:
        raise AddinBuildError(f"xlwings {XLWINGS_VERSION} is pinned, {installed} is installed")
    text = xlwings_addin_bas().read_text(encoding="utf-8")
    if "xlwings is distributed under a BSD 3-clause license." not in text:
        raise AddinBuildError("xlwings' VBA module lost its licence header")
    version = _VERSION_LINE.search(text)
    if version is None or version.group(1) != XLWINGS_VERSION:
        raise AddinBuildError("xlwings' VBA module is not the pinned version")
    text, count = _PROJECT_NAME_LINE.subn(
        f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"', text
    )
    if count != 1:
        raise AddinBuildError("xlwings' VBA module has no single PROJECT_NAME constant")
    return _crlf(text)


def dispatcher_source() -> str:
    """Our ``LyueRibbon.bas`` as stored: CRLF, Chinese string literals as ChrW() calls."""
    return code_page_safe(DISPATCHER.read_text(encoding="utf-8"))


def code_page_safe(source: str) -> str:
    """VBA source made ASCII: each non-ASCII string literal becomes a ChrW() expression.

    ``"未知：" & x`` becomes ``ChrW(&H672A) & ChrW(&H77E5) & ChrW(&HFF1A) & x`` (``&`` binds
    tighter than comparisons, so the meaning is kept where a literal may appear). Non-ASCII
    text anywhere else (comments, names, Const values) is refused: VBA would store it in the
    project's code page and show it garbled elsewhere.
    """
    lines = []
    for number, line in enumerate(source.replace("\r\n", "\n").split("\n"), start=1):
        if not line.isascii():
            line = _escape_line(line, number)
        if len(line) > _MAX_LINE:
            raise AddinBuildError(f"LyueRibbon.bas line {number} is longer than {_MAX_LINE}")
        lines.append(line)
    return "\r\n".join(lines)


def _escape_line(line: str, number: int) -> str:
    if re.match(r"\s*((Public|Private|Global)\s+)?Const\b", line, re.IGNORECASE):
        raise AddinBuildError(f"LyueRibbon.bas line {number}: no Chinese text in a Const")
    pieces, position = [], 0
    for match in _STRING.finditer(line):
        pieces.append(line[position : match.start()])
        pieces.append(_chrw_literal(match.group()[1:-1], number))
        position = match.end()
    pieces.append(line[position:])
    escaped = "".join(pieces)
    if not escaped.isascii():
        raise AddinBuildError(f"LyueRibbon.bas line {number}: Chinese text outside a string")
    return escaped


def _chrw_literal(content: str, number: int) -> str:
    if content.isascii():
        return f'"{content}"'
    parts: list[str] = []
    run = ""
    for char in content:
        if char.isascii():
            run += char
            continue
        if ord(char) > 0xFFFF:
            raise AddinBuildError(f"LyueRibbon.bas line {number}: {char!r} is outside ChrW")
        if run:
            parts.append(f'"{run}"')
            run = ""
        parts.append(f"ChrW(&H{ord(char):04X})")
    if run:
        parts.append(f'"{run}"')
    return " & ".join(parts)


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# ---------------------------------------------------------------------------------------------
# Workbook shell and zip-level parts


def _workbook_shell(vba_project: bytes) -> bytes:
    """An .xlsm package from xlsxwriter holding ``vba_project`` (fixed properties)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": "lyue_xl 履约管理加载项",
            "subject": "Q/QJC 002—2025 履约能力管理体系",
            "author": "lyue_xl",
            "comments": f"lyue_xl {__version__}, xlwings {XLWINGS_VERSION}",
            "created": _CREATED,
        }
    )
    workbook.set_vba_name("ThisWorkbook")
    sheet = workbook.add_worksheet("lyue_xl")
    sheet.set_vba_name(SHEET_CODE_NAME)
    sheet.write("A1", f"lyue_xl {__version__} 履约管理加载项（Excel 功能区「履约管理」）")
    workbook.add_vba_project(io.BytesIO(vba_project), is_stream=True)
    workbook.close()
    return buffer.getvalue()


def _add_ribbon(package: bytes, custom_ui: bytes) -> bytes:
    """Rewrite ``package`` as an add-in with the ribbon part, entries in a fixed form."""
    etree.fromstring(custom_ui)  # refuse to ship XML that does not parse
    source = zipfile.ZipFile(io.BytesIO(package))
    parts = {name: source.read(name) for name in source.namelist()}
    parts["[Content_Types].xml"] = _addin_content_types(parts["[Content_Types].xml"])
    parts["_rels/.rels"] = _with_ui_relationship(parts["_rels/.rels"])
    parts[UI_PART] = custom_ui
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist() + [UI_PART]:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()


def _addin_content_types(xml: bytes) -> bytes:
    """Declare /xl/workbook.xml as a macro-enabled add-in workbook part."""
    root = etree.fromstring(xml)
    found = root.findall(f"{{{_CT_NS}}}Override[@PartName='/xl/workbook.xml']")
    if len(found) != 1:
        raise AddinBuildError("xlsxwriter's [Content_Types].xml has no workbook part")
    found[0].set("ContentType", ADDIN_CONTENT_TYPE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_ui_relationship(xml: bytes) -> bytes:
    """Add the package relationship that points Office to the customUI14 part."""
    root = etree.fromstring(xml)
    used = {rel.get("Id") for rel in root}
    rel_id = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
    etree.SubElement(
        root, f"{{{_REL_NS}}}Relationship", Id=rel_id, Type=UI_RELATIONSHIP, Target=UI_PART
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
