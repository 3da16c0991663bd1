"""Where a document goes, and how it replaces what is already there (DESIGN §5, §6).

- Without ``-o`` a document goes beside the workbook as "组织名称-文档名-YYYYMMDD.ext": the
  组织名称 part is shortened when it is long, never the document name or the date, so two
  documents never get the same name.
- ``-o`` may name a file (with the document's extension) or an existing folder.
- Nothing the user has is lost: the workbook itself is never an output; an existing file that is
  not a document of the same kind (a workbook, a PDF someone saved under that name) is refused;
  an earlier document of the same kind, which the user may have edited in Word, is kept in
  ``.lyue-backup/`` before it is replaced; a document open in Word or WPS is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lyue_xl.errors import LyueError
from lyue_xl.workbook.safe_write import BACKUP_DIR, _folder_message, copy_atomically, write_failed

if TYPE_CHECKING:
    from lyue_xl.engine import Analysis

BACKUPS = 5
NAME_BYTES = 150  # a file name's length limit, in UTF-8 bytes, with room for the extension
KIND_NAMES = {".docx": "Word 文件（.docx）", ".zip": "压缩包（.zip）"}
# Characters Windows (and most file systems) refuse in a file name, controls, and what XML and
# UTF-8 cannot hold (lone surrogates, U+FFFE/U+FFFF).
_FILENAME_BAD = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\ud800-\udfff\ufffe\uffff]+')
_RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)
}


def safe_filename(text: str, fallback: str = "文档") -> str:
    """A file name made from user text that every file system accepts (no path, no controls)."""
    name = _FILENAME_BAD.sub("_", str(text))
    name = re.sub(r"\s+", " ", name).strip(" ._")
    name = re.sub(r"_+", "_", name)
    if not name:
        name = fallback
    stem = name.split(".")[0]
    if stem.upper() in _RESERVED_NAMES:
        name = "_" + name
    while len(name.encode("utf-8")) > NAME_BYTES:
        name = name[:-1]
    return name


def output_path(analysis: Analysis, label: str, suffix: str, out: Path | str | None) -> Path:
    """The file a document is written to: ``out`` (a file or a folder) or the default name."""
    workbook = Path(analysis.records.path).resolve()
    if out is None or str(out) == "":
        path = workbook.parent / default_name(analysis, label, suffix)
    else:
        path = Path(out)
        if path.is_dir() or str(out).endswith(("/", os.sep)):
            path = path / default_name(analysis, label, suffix)
    if path.resolve() == workbook:
        raise LyueError(
            f"输出文件“{path}”就是台账本身，写入会覆盖台账中的全部记录；请换一个文件名。"
        )
    if path.suffix.lower() != suffix:
        raise LyueError(
            f"输出文件“{path.name}”的扩展名应为 {suffix}（{label}是 {KIND_NAMES[suffix]}）；"
            f"请改用以 {suffix} 结尾的文件名，或只给出文件夹。"
        )
    return path


def default_name(analysis: Analysis, label: str, suffix: str) -> str:
    """The default file name, 组织名称-文档名-YYYYMMDD + ``suffix``, sanitised; a long
    组织名称 is shortened (the workbook's name stands in for a missing one)."""
    tail = f"-{label}-{analysis.period.as_of.strftime('%Y%m%d')}"
    room = NAME_BYTES - len(tail.encode("utf-8"))
    workbook = Path(analysis.records.path)
    org = safe_filename(analysis.records.org_name, fallback="")
    if not org:
        org = safe_filename(workbook.stem, fallback="台账")
    while len(org.encode("utf-8")) > room:
        org = org[:-1]
    return f"{org.rstrip(' ._') or '台账'}{tail}{suffix}"


def save_atomically(out: Path, save: Callable[[Path], object]) -> None:
    """Call ``save(temp_path)`` beside ``out``, then move the result onto ``out`` (the earlier
    document kept as a backup); on any failure ``out`` is left as it was."""
    out = Path(out)
    _check_replaceable(out)
    folder = out.parent if str(out.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".~lyue-", suffix=out.suffix, dir=folder)
    except OSError:
        raise LyueError(
            f"无法在文件夹“{folder}”中写入文件（没有写入权限或路径不可用）；"
            "请用 -o 指定一个可写的文件夹，例如“文档”。"
        ) from None
    os.close(fd)
    temp = Path(name)
    backup: Path | None = None
    try:
        save(temp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)  # mkstemp makes 0600; a document is an ordinary file
        if out.exists():
            backup = make_backup(out)
        os.replace(temp, out)
    except PermissionError:
        _discard(temp, backup)
        raise LyueError(
            f"无法写入“{out}”：文件可能正在 Word 或 WPS 中打开；请关闭后再试。"
        ) from None
    except OSError as exc:  # a full disk, a quota, a read-only medium …
        _discard(temp, backup)
        kept = f"“{out.name}”保持原样。" if out.exists() else f"没有生成“{out.name}”。"
        size = out.stat().st_size if out.exists() else 0
        raise write_failed(exc, out, size * 2 + (1 << 20), kept) from None
    except BaseException:
        _discard(temp, backup)
        raise
    if backup is not None:
        prune_backups(out, BACKUPS)


def make_backup(out: Path) -> Path:
    """Copy ``out`` to ``.lyue-backup/`` as NAME-HHMMSS when NAME already ends with today's date
    (no 「-20261203-20261203-072258」), else as NAME-YYYYMMDD-HHMMSS."""
    folder = out.parent / BACKUP_DIR
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise LyueError(_folder_message(out.parent)) from exc
    now = datetime.now()
    dated = out.stem.endswith("-" + now.strftime("%Y%m%d"))
    stamp = now.strftime("%H%M%S" if dated else "%Y%m%d-%H%M%S")
    path = folder / f"{out.stem}-{stamp}{out.suffix}"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"{out.stem}-{stamp}-{counter}{out.suffix}"
    copy_atomically(out, path, folder / f".{path.name}.lyue-tmp")  # complete or absent
    return path


def list_backups(out: Path) -> list[Path]:
    """The backups of document ``out``, oldest first (by when the copied version was saved)."""
    folder = out.parent / BACKUP_DIR
    if not folder.is_dir():
        return []
    pattern = re.compile(
        re.escape(out.stem) + r"-(?:\d{8}-)?\d{6}(?:-\d+)?" + re.escape(out.suffix) + "$"
    )
    found = [p for p in folder.iterdir() if pattern.match(p.name)]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def prune_backups(out: Path, keep: int) -> None:
    existing = list_backups(out)
    for path in existing[: max(0, len(existing) - keep)]:
        with contextlib.suppress(OSError):
            path.unlink()


def _discard(temp: Path, backup: Path | None) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()
    if backup is not None:
        with contextlib.suppress(OSError):
            backup.unlink()


def _check_replaceable(out: Path) -> None:
    """Refuse an ``out`` that is open in Word/WPS, is a folder, or holds something else."""
    locks = [
        out.with_name(name)
        for name in ("~$" + out.name, "~$" + out.name[2:], f".~lock.{out.name}#")
        if name not in ("~$", "~$" + out.suffix)
    ]
    found = sorted({lock.name for lock in locks if lock.exists()})
    if found:
        names = "、".join(f"“{name}”" for name in found)
        raise LyueError(
            f"“{out}”正在被打开（发现锁定文件 {names}）。请先在 Word/WPS 中关闭它；"
            f"如果它并未打开，请删除锁定文件 {names} 后重试。"
        )
    if not out.exists():
        return
    if not out.is_file():
        raise LyueError(f"“{out}”是一个文件夹，不能作为输出文件；请换一个文件名。")
    if not _same_kind(out):
        raise LyueError(
            f"“{out}”已存在，且看起来不是之前生成的{KIND_NAMES.get(out.suffix.lower(), '文件')}；"
            "为免覆盖其中的内容，请用 -o 换一个文件名，或先把它移走。"
        )


def _same_kind(path: Path) -> bool:
    """True when ``path`` is a document of the kind its extension says (so replacing it, with a
    backup, loses nothing): a .docx is a Word package, a .zip an archive that is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    if path.suffix.lower() == ".docx":
        return "word/document.xml" in names
    return "[Content_Types].xml" not in names
