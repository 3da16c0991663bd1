"""Refuse files that are not a readable .xlsx before anything opens them (DESIGN §6).

Every refusal is a LyueError with one Chinese line naming the file and what to do. Nothing here
writes to the file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import BinaryIO

from lyue_xl.errors import LyueError

# A real workbook of 10,000 contracts unpacks to a few tens of MB; anything near these bounds is
# a zip bomb or not a record workbook.
MAX_UNPACKED_BYTES = 1_500_000_000
MAX_MEMBER_RATIO = 1_000
MAX_MEMBERS = 20_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


def check_workbook_file(path: Path) -> None:
    """Raise LyueError unless ``path`` looks like a safe, unencrypted .xlsx/.xlsm package."""
    name = f"“{path}”"
    if not path.exists():
        raise LyueError(f"找不到文件 {name}，请检查路径和文件名是否正确。")
    if path.is_dir():
        raise LyueError(f"{name} 是一个文件夹，不是 Excel 工作簿；请指定 .xlsx 文件。")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            encrypted = head == _OLE_MAGIC and _has_encryption_stream(handle)
    except OSError as exc:
        raise LyueError(f"无法读取 {name}（{exc.strerror or exc}）；请检查文件权限。") from None
    if head == _OLE_MAGIC:
        if encrypted:
            raise LyueError(
                f"{name} 设置了打开密码，程序无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后再试。"
            )
        raise LyueError(
            f"{name} 是旧版 Excel（.xls）格式；请在 Excel 或 WPS 中“另存为” .xlsx 后再试。"
        )
    if head[:4] != _ZIP_MAGIC:
        hint = "（看起来是 CSV 或文本文件）" if _looks_like_text(path) else ""
        raise LyueError(
            f"{name} 不是有效的 Excel 工作簿{hint}；请用 Excel 或 WPS 打开并另存为 .xlsx。"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise LyueError(
            f"{name} 已损坏，无法作为 Excel 工作簿读取；请用备份或重新保存的文件。"
        ) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise LyueError(
            f"{name} 是压缩包，但不是 Excel 工作簿；请指定用 Excel/WPS 保存的 .xlsx 文件。"
        )
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise LyueError(f"{name} 解压后过大，疑似异常文件（压缩炸弹），已拒绝读取。")
    for info in infos:
        if info.file_size > 50_000_000 and info.file_size > MAX_MEMBER_RATIO * max(
            info.compress_size, 1
        ):
            raise LyueError(f"{name} 含有压缩比异常的内容，疑似异常文件（压缩炸弹），已拒绝读取。")


def _has_encryption_stream(handle: BinaryIO) -> bool:
    """True when an OLE file's directory names an ``EncryptionInfo`` stream (a password-protected
    .xlsx). Office writes the directory sector after the encrypted package, so a large encrypted
    workbook has it far from the start: scan the whole file, in chunks that overlap by a name.
    """
    handle.seek(0)
    overlap = len(_ENCRYPTED_MARK) - 1
    tail = b""
    while chunk := handle.read(1 << 22):
        if _ENCRYPTED_MARK in tail + chunk:
            return True
        tail = chunk[-overlap:]
    return False


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(2048)
    if not sample or b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False
