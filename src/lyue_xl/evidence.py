"""证据文件: the scans and PDFs records link to (schema.EVIDENCE_FILE, on every record sheet).

A cell holds one or more paths or links separated by ";" (or "；", or new lines). Relative paths
are resolved from the workbook's folder; ``file:`` URLs are read as paths; ``http(s):`` links are
kept as links and not checked (the product never goes online).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd

from lyue_xl import schema
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


def _resolve(text: str, folder: Path) -> Path | None:
    if re.match(r"^https?://", text, re.IGNORECASE):
        return None
    if text.lower().startswith("file:"):
        parsed = urlparse(text)
        text = unquote(parsed.path)
        if re.match(r"^/[A-Za-z]:", text):  # file:///C:/… on Windows
            text = text[1:]
    path = Path(text.replace("\\", "/")) if not re.match(r"^[A-Za-z]:", text) else Path(text)
    return path if path.is_absolute() else folder / path


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
    out: list[Link] = []
    for _, row in frame[frame[KEY].astype(str).str.strip() != ""].iterrows():
        for part in _SPLIT.split(str(row[KEY])):
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
