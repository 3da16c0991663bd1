"""证据文件: the scans and PDFs records link to (schema.EVIDENCE_FILE, on every record sheet).

A cell holds one or more paths or links separated by ";" (or "；", or new lines), or a hyperlink
made in Excel (插入 → 链接), whose target is taken instead of the text shown. Relative paths are
resolved from the workbook's folder; ``file:`` URLs are read as paths; ``http(s):`` links are kept
as links and not checked (the product never goes online).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
from lxml import etree

from lyue_xl import schema
from lyue_xl.workbook.opc import rels_name, resolve
from lyue_xl.workbook.reader import Records

KEY = schema.EVIDENCE_FILE.key
_SPLIT = re.compile(r"[;；\n]+")


@dataclass(frozen=True)
class Link:
    sheet_key: str
    row: int  # the Excel row
    record: str  # the record's id as users see it ("第3行" when the sheet has no id column)
    text: str  # as typed
    path: Path | None  # the file it names; None for a web link
    exists: bool

    @property
    def is_web(self) -> bool:
        return self.path is None


_WEB = re.compile(r"^https?://", re.IGNORECASE)


def _resolve(text: str, folder: Path) -> Path | None:
    if _WEB.match(text):
        return None
    if text.lower().startswith("file:"):
        parsed = urlparse(text)
        text = unquote(parsed.path)
        if re.match(r"^/[A-Za-z]:", text):  # file:///C:/… on Windows
            text = text[1:]
    path = Path(text.replace("\\", "/")) if not re.match(r"^[A-Za-z]:", text) else Path(text)
    return path if path.is_absolute() else folder / path


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


@lru_cache(maxsize=32)
def _hyperlinks(path: str, stamp: int, sheet: str) -> dict[tuple[int, int], str]:
    """(Excel row, 0-based column) -> target of the external hyperlinks on ``sheet`` (``stamp``
    is the file's mtime, so an edited workbook is read again); {} when there are none or the
    package cannot be read this way (the reader reports damaged files itself)."""
    # imported here: openpyxl.utils loads all of openpyxl (~0.1 s), and most runs never get here
    from openpyxl.utils.cell import range_boundaries

    try:
        with zipfile.ZipFile(path) as z:
            book = _xml(z.read("xl/workbook.xml"))
            rid = next(
                (e.get(_REL_ID) for e in book.iter(f"{_MAIN}sheet") if e.get("name") == sheet), None
            )
            rels = _xml(z.read(rels_name("xl/workbook.xml")))
            target = next(e.get("Target") for e in rels.iter(_RELATIONSHIP) if e.get("Id") == rid)
            part = resolve("xl/workbook.xml", str(target))
            if rels_name(part) not in z.namelist():
                return {}
            external = {
                e.get("Id"): str(e.get("Target"))
                for e in _xml(z.read(rels_name(part))).iter(_RELATIONSHIP)
                if e.get("TargetMode") == "External" and e.get("Target")
            }
            if not external:
                return {}
            out: dict[tuple[int, int], str] = {}
            with z.open(part) as stream:
                for _, el in etree.iterparse(
                    stream, tag=f"{_MAIN}hyperlink", resolve_entities=False, no_network=True
                ):
                    link = external.get(el.get(_REL_ID))
                    if link and el.get("ref"):
                        c1, r1, c2, r2 = range_boundaries(str(el.get("ref")))
                        for r in range(int(r1 or 0), int(r2 or 0) + 1):
                            for c in range(int(c1 or 0), int(c2 or 0) + 1):
                                out[(r, c - 1)] = link
            return out
    except (OSError, KeyError, ValueError, StopIteration, zipfile.BadZipFile, etree.LxmlError):
        return {}


def record_id(key: str, row: pd.Series) -> str:
    id_column = schema.BY_KEY[key].id_column
    value = str(row.get(id_column, "") or "").strip() if id_column else ""
    return value or f"第{int(row['row'])}行"


def links_of(records: Records, key: str) -> list[Link]:
    """The evidence links of one record sheet, in sheet order."""
    table = records.tables.get(key)
    if table is None or not table.present or KEY not in table.indexes:
        return []
    folder = Path(records.path).resolve().parent
    frame = table.frame
    filled = frame[frame[KEY].astype(str).str.strip() != ""]
    targets: dict[tuple[int, int], str] = {}
    if len(filled):
        try:
            stamp = Path(records.path).stat().st_mtime_ns
        except OSError:
            stamp = 0
        targets = _hyperlinks(str(records.path), stamp, table.sheet.name)
    column = table.indexes[KEY]
    out: list[Link] = []
    for _, row in filled.iterrows():
        target = targets.get((int(row["row"]), column))
        typed = unquote(target) if target and not _WEB.match(target) else target
        for part in [typed] if typed else _SPLIT.split(str(row[KEY])):
            text = part.strip().strip('"“”')
            if not text:
                continue
            path = _resolve(text, folder)
            exists = path is None or path.is_file()
            out.append(Link(key, int(row["row"]), record_id(key, row), text, path, exists))
    return out


def all_links(records: Records) -> list[Link]:
    return [
        link
        for sheet in schema.SHEETS
        if not sheet.is_keyvalue
        for link in links_of(records, sheet.key)
    ]


def has_file(records: Records, key: str, frame: pd.DataFrame, *, local: bool = False) -> pd.Series:
    """Per row of ``frame`` (rows of sheet ``key``): True when it links at least one file that
    exists. A web link counts (it cannot be checked offline) unless ``local``."""
    rows = {
        link.row
        for link in links_of(records, key)
        if link.exists and not (local and link.path is None)
    }
    return frame["row"].isin(rows) if len(frame) else pd.Series(False, index=frame.index)
