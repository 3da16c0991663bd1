"""Read a workbook that holds Excel 4.0 (XLM) macro sheets or dialog sheets.

python-calamine refuses the whole file when the workbook lists an ``xl/macrosheets/`` sheet
("Unrecognized sheet:type"). Such sheets are the user's and no record sheet: the values are read
from a copy of the package whose workbook part does not list them (every member's compressed bytes
copied as they are), and a refresh writes back into the original package, where they stay
byte-identical.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lyue_xl.workbook.opc import (
    DOC_REL_NS,
    MAIN_NS,
    PKG_REL_NS,
    XmlDamaged,
    parse_xml,
    serialize_xml,
)
from lyue_xl.workbook.safe_write import work_folder
from lyue_xl.workbook.zipcopy import RawZipWriter

# Sheet relationships python-calamine does not read (Excel 4.0 macro and dialog sheets).
UNREADABLE_SHEET_TYPES = frozenset(
    {
        "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
        "http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet",
        DOC_REL_NS + "/dialogsheet",
    }
)
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_R_ID = f"{{{DOC_REL_NS}}}id"


def _unreadable_ids(archive: zipfile.ZipFile) -> set[str]:
    try:
        rels = parse_xml(archive.read(_WORKBOOK_RELS))
    except KeyError:
        return set()
    return {
        el.get("Id", "")
        for el in rels.iter(f"{{{PKG_REL_NS}}}Relationship")
        if el.get("Type") in UNREADABLE_SHEET_TYPES
    }


@contextlib.contextmanager
def readable_copy(path: Path) -> Iterator[Path]:
    """``path`` itself, or (when its workbook lists macro or dialog sheets) a temporary copy whose
    workbook part leaves them out, removed when the block ends."""
    with zipfile.ZipFile(path) as archive:
        try:
            unreadable = _unreadable_ids(archive)
            workbook = parse_xml(archive.read(_WORKBOOK)) if unreadable else None
        except (XmlDamaged, KeyError):  # calamine then fails, and the damage is named
            workbook = None
        if workbook is None:
            yield path
            return
        sheets = workbook.find(f"{{{MAIN_NS}}}sheets")
        if sheets is not None:
            for el in list(sheets):
                if el.get(_R_ID) in unreadable:
                    sheets.remove(el)
        with work_folder() as folder:
            copy = Path(folder) / "readable.xlsx"
            with open(path, "rb") as source, open(copy, "wb") as handle:
                writer = RawZipWriter(handle)
                for info in archive.infolist():
                    if info.filename == _WORKBOOK:
                        writer.write(info.filename, serialize_xml(workbook), info.date_time)
                    else:
                        writer.copy(source, info)
                writer.close()
            yield copy
