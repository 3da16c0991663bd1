"""Files that are not what they claim are refused with a Chinese message, and left untouched."""

from __future__ import annotations

import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import olefile
import pytest

from helpers import make_book, sha256
from lyue_xl.errors import LyueError
from lyue_xl.workbook.guard import check_workbook_file
from lyue_xl.workbook.reader import read_records

# --- building bad files byte by byte -----------------------------------------------------------

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A valid OLE compound file (MS-CFB v3) holding ``streams`` in its root storage.

    Like Office, it writes the stream data first and the directory after it, so the stream names
    of a large file sit far from its start. Streams are padded to 4096 bytes so that none lives in
    the mini stream (which keeps this builder short); olefile reads the result.
    """
    datas = [data.ljust(4096, b"\0") for data in streams.values()]
    names = list(streams)
    data_sectors = [(len(d) + SECTOR - 1) // SECTOR for d in datas]
    entries = 1 + len(names)
    dir_sectors = (entries * 128 + SECTOR - 1) // SECTOR
    used = sum(data_sectors) + dir_sectors
    fat_sectors = 1
    while (used + fat_sectors) > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    assert fat_sectors <= 109
    fat: list[int] = []
    starts = []
    for count in data_sectors:
        starts.append(len(fat))
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(END)
    dir_start = len(fat)
    fat.extend(range(len(fat) + 1, len(fat) + dir_sectors))
    fat.append(END)
    fat_start = len(fat)
    fat.extend([FATSECT] * fat_sectors)
    fat.extend([FREE] * (fat_sectors * (SECTOR // 4) - len(fat)))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, NOSTREAM, right, child)
            + bytes(16 + 4 + 8 + 8)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, NOSTREAM, 1 if names else NOSTREAM, END, 0)
    for i, (data, start) in enumerate(zip(datas, starts, strict=True)):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        directory += entry(names[i], 2, right, NOSTREAM, start, len(data))
    directory = directory.ljust(dir_sectors * SECTOR, b"\0")
    difat = list(range(fat_start, fat_start + fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = (
        OLE_MAGIC
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, fat_sectors, dir_start, 0, 4096, END, 0, END, 0)
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR
    body = b"".join(d.ljust(n * SECTOR, b"\0") for d, n in zip(datas, data_sectors, strict=True))
    return header + body + directory + struct.pack(f"<{len(fat)}I", *fat)


def zip_with_raw_members(members: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip archive from (name, method, stored bytes, crc32, uncompressed size) members."""
    out = bytearray()
    central = bytearray()
    for name, method, data, crc, size in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x5A21, crc, len(data), size, len(raw), 0
        )
        out += raw + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            method,
            0,
            0x5A21,
            crc,
            len(data),
            size,
            len(raw),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
    )
    return bytes(out)


def deflated_zeros(mebibytes: int) -> bytes:
    """A raw deflate stream of ``mebibytes`` MiB of zeros, built in milliseconds.

    A fresh compressor's output for 1 MiB of zeros, ended by a full flush, refers to nothing
    before it, so copies of it decode one after another; an empty final block closes the stream.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * mebibytes + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def crc_of_zeros(mebibytes: int) -> int:
    crc, chunk = 0, bytes(1 << 20)
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return crc


WORKBOOK_XML = b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'


def bomb(path: Path, mebibytes: int) -> Path:
    sheet = "xl/worksheets/sheet1.xml"
    path.write_bytes(
        zip_with_raw_members(
            [
                ("xl/workbook.xml", 0, WORKBOOK_XML, zlib.crc32(WORKBOOK_XML), len(WORKBOOK_XML)),
                (sheet, 8, deflated_zeros(mebibytes), crc_of_zeros(mebibytes), mebibytes << 20),
            ]
        )
    )
    return path


# --- the bad files -----------------------------------------------------------------------------

Maker = Callable[[Path], Path]


def missing(tmp: Path) -> Path:
    return tmp / "不存在的台账.xlsx"


def folder(tmp: Path) -> Path:
    path = tmp / "台账文件夹.xlsx"
    path.mkdir()
    return path


def xls_magic_only(tmp: Path) -> Path:
    path = tmp / "旧格式.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504))
    return path


def real_xls(tmp: Path) -> Path:
    path = tmp / "旧台账.xls"
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
    path.write_bytes(compound_file({"Workbook": bof}))
    return path


def encrypted(tmp: Path) -> Path:
    """What Excel writes for 文件→信息→用密码进行加密: an OLE file, not a zip."""
    path = tmp / "加密台账.xlsx"
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"  # agile EncryptionInfo
    package = random.Random(1).randbytes(2 << 20)  # 2 MiB of ciphertext before the directory
    path.write_bytes(compound_file({"EncryptedPackage": package, "EncryptionInfo": info}))
    return path


def csv_renamed(tmp: Path) -> Path:
    path = tmp / "导出.xlsx"
    path.write_text("合同编号,合同名称,签订日期\nHT-1,维护,2025-07-20\n", encoding="utf-8")
    return path


def csv_gbk_renamed(tmp: Path) -> Path:
    path = tmp / "导出GBK.xlsx"
    path.write_bytes("合同编号,合同名称\nHT-1,维护\n".encode("gbk"))
    return path


def random_bytes(tmp: Path) -> Path:
    path = tmp / "乱码.xlsx"
    data = random.Random(7).randbytes(4096)
    assert not data.startswith((b"PK", OLE_MAGIC[:2]))
    path.write_bytes(b"\x00" + data)
    return path


def empty_file(tmp: Path) -> Path:
    path = tmp / "空文件.xlsx"
    path.write_bytes(b"")
    return path


def zip_not_workbook(tmp: Path) -> Path:
    path = tmp / "资料.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("说明.txt", "不是工作簿")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def truncated_workbook(tmp: Path) -> Path:
    good = make_book(tmp, "完整.xlsx")
    path = tmp / "截断.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return path


def zip_bomb(tmp: Path) -> Path:
    return bomb(tmp / "炸弹.xlsx", 2048)  # one member of 2 GiB of zeros


def ratio_bomb(tmp: Path) -> Path:
    return bomb(tmp / "高压缩比.xlsx", 256)  # under the total limit, but ~1000:1


BAD_FILES: dict[str, tuple[Maker, str]] = {
    "missing": (missing, "找不到文件"),
    "directory": (folder, "文件夹"),
    "xls-magic": (xls_magic_only, r"旧版 Excel（\.xls）"),
    "xls": (real_xls, r"旧版 Excel（\.xls）"),
    "encrypted": (encrypted, "密码"),
    "csv": (csv_renamed, "CSV"),
    "csv-gbk": (csv_gbk_renamed, "CSV"),
    "random": (random_bytes, "不是有效的 Excel 工作簿"),
    "empty": (empty_file, "不是有效的 Excel 工作簿"),
    "zip": (zip_not_workbook, "不是 Excel 工作簿"),
    "truncated": (truncated_workbook, "已损坏"),
    "zip-bomb": (zip_bomb, "压缩炸弹"),
    "ratio-bomb": (ratio_bomb, "压缩炸弹"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_is_refused_and_left_unchanged(kind: str, tmp_path: Path) -> None:
    make, expected = BAD_FILES[kind]
    path = make(tmp_path)
    before = sha256(path) if path.is_file() else None
    for call in (check_workbook_file, read_records):
        with pytest.raises(LyueError) as err:
            call(path)
        message = str(err.value)
        assert path.name in message
        assert re.search(expected, message), message
        assert re.search("[\u4e00-\u9fff]", message.replace(str(path), ""))
        assert "\n" not in message and "Traceback" not in message
    if before is not None:
        assert sha256(path) == before
    else:
        assert not path.is_file()


def test_the_crafted_files_are_genuine(tmp_path: Path) -> None:
    """The OLE files open in olefile, and the bomb really inflates to zeros."""
    xls = real_xls(tmp_path)
    assert olefile.isOleFile(str(xls))
    with olefile.OleFileIO(str(xls)) as ole:
        assert ole.exists("Workbook")
    locked = encrypted(tmp_path)
    with olefile.OleFileIO(str(locked)) as ole:
        assert sorted(ole.listdir()) == [["EncryptedPackage"], ["EncryptionInfo"]]
        assert ole.openstream("EncryptionInfo").read(4) == struct.pack("<HH", 4, 4)
    data = locked.read_bytes()
    assert data.index("EncryptionInfo".encode("utf-16-le")) > 1 << 20  # directory far from start
    path = zip_bomb(tmp_path)
    assert path.stat().st_size < 3 << 20
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size == 2 << 30
        with archive.open(info) as member:
            assert member.read(3 << 20) == bytes(3 << 20)


def test_bomb_is_refused_without_decompressing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = zip_bomb(tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the guard decompressed a member")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(zlib, "decompressobj", refuse)
    with pytest.raises(LyueError, match="压缩炸弹"):
        read_records(path)


def test_a_real_workbook_passes(tmp_path: Path) -> None:
    book = make_book(tmp_path)
    check_workbook_file(book)  # no exception
    assert read_records(book).org_name == "测试公司"
