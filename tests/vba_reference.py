"""Test helpers: xlwings' working add-in template, and an independent reader of dir streams.

The parser here follows MS-OVBA §2.3.4.2 on its own (it does not use lyue_xl's writer), so the
tests compare our records with xlwings' records through the same neutral reader.
"""

from __future__ import annotations

import importlib.util
import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile

from lyue_xl.excel.vba.compression import decompress

TEMPLATE = "quickstart_addin_ribbon.xlam"


def xlwings_dir() -> Path:
    spec = importlib.util.find_spec("xlwings")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


def vba_project_bin(package: Path) -> bytes:
    with zipfile.ZipFile(package) as z:
        return z.read("xl/vbaProject.bin")


def template_vba() -> bytes:
    return vba_project_bin(xlwings_dir() / TEMPLATE)


def open_ole(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data))


@dataclass(frozen=True)
class Record:
    rid: int
    data: bytes


def parse_dir(raw: bytes) -> list[Record]:
    """Records of a decompressed dir stream; PROJECTVERSION's size field is Reserved (4)."""
    records = []
    pos = 0
    while pos < len(raw):
        rid, size = struct.unpack_from("<HI", raw, pos)
        if rid == 0x0009:
            size = 6
        records.append(Record(rid, raw[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    return records


def dir_records(vba: bytes) -> list[Record]:
    ole = open_ole(vba)
    return parse_dir(decompress(ole.openstream("VBA/dir").read()))


def module_offsets(records: list[Record]) -> dict[str, int]:
    """Module stream name -> MODULEOFFSET, from the dir records."""
    offsets, stream = {}, ""
    for record in records:
        if record.rid == 0x001A:
            stream = record.data.decode("cp1252")
        elif record.rid == 0x0031:
            offsets[stream] = struct.unpack("<I", record.data)[0]
    return offsets


def split_dir(records: list[Record]) -> dict[str, object]:
    """The dir records in parts: information, references, modules header, each module, end."""
    ids = [r.rid for r in records]
    first_ref = next(i for i, r in enumerate(ids) if r in (0x0016, 0x000D, 0x000E, 0x002F, 0x0033))
    modules_at = ids.index(0x000F)
    modules: list[list[int]] = []
    for rid in ids[modules_at + 2 : -1]:
        if rid == 0x0019:
            modules.append([])
        modules[-1].append(rid)
    return {
        "information": ids[:first_ref],
        "references": ids[first_ref:modules_at],
        "modules_header": ids[modules_at : modules_at + 2],
        "modules": modules,
        "end": ids[-1:],
    }
