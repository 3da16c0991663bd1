"""Replace a workbook on disk safely: refuse when it is open, write beside it, keep a backup.

Every writer of a user's workbook goes through :func:`atomic_write`, so that (DESIGN §6)
a failed run leaves the file byte-for-byte unchanged and no temporary file behind, a file
open in Excel/WPS/LibreOffice is refused with a message the user can act on, and the
previous version is kept in ``.lyue-backup/`` beside the workbook (a bounded number of them).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from lyue_xl.errors import LyueError

BACKUP_DIR = ".lyue-backup"


def lock_files(target: Path) -> list[Path]:
    """The lock files beside ``target`` that say it is open: Excel/WPS ``~$NAME``, LibreOffice
    ``.~lock.NAME#``."""
    candidates = [target.with_name("~$" + target.name), target.with_name(f".~lock.{target.name}#")]
    return [path for path in candidates if path.exists()]


def check_writable(target: Path) -> None:
    """Raise :class:`LyueError` when ``target`` must not be written now (open, read-only)."""
    target = Path(target)
    locks = lock_files(target)
    if locks:
        names = "、".join(f"“{lock.name}”" for lock in locks)
        raise LyueError(
            f"工作簿“{target}”正在被打开（发现锁定文件 {names}）。请先在 Excel/WPS 中关闭该工作簿；"
            f"如果它并未打开，请删除旁边的锁定文件 {names} 后重试。"
        )
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise LyueError(f"找不到工作簿所在的文件夹“{folder}”，请检查路径。")
    if target.exists():
        if not target.is_file():
            raise LyueError(f"“{target}”不是一个文件，请检查路径。")
        if not target.stat().st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
            raise LyueError(
                f"工作簿“{target}”是只读的，无法写入结果。请在文件属性中取消“只读”，"
                "或把它复制到可写的文件夹后重试。"
            )
    if not os.access(folder, os.W_OK):
        raise LyueError(_folder_message(folder))


def _folder_message(folder: Path) -> str:
    return (
        f"文件夹“{folder}”不可写，无法安全地保存工作簿（需要在旁边写临时文件和备份）。"
        "请把工作簿复制到可写的文件夹（例如“文档”）后重试。"
    )


def atomic_write(target: Path, write_fn: Callable[[Path], None], *, backups: int = 5) -> None:
    """Write ``target`` by calling ``write_fn(temp_path)`` and then replacing it atomically.

    ``write_fn`` receives a path beside ``target`` (same folder, so ``os.replace`` is atomic) and
    must write the complete new file there.  On any exception the temporary file is removed and
    ``target`` is left untouched.  When ``target`` existed, its previous version is copied to
    ``.lyue-backup/<stem>-<YYYYmmdd-HHMMSS><suffix>`` first; at most ``backups`` such copies of
    this workbook are kept (the oldest are removed); ``backups=0`` keeps none.
    """
    target = Path(target)
    check_writable(target)
    folder = target.parent
    existed = target.exists()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".lyue-tmp", dir=folder)
    except PermissionError as exc:
        raise LyueError(_folder_message(folder)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    backup: Path | None = None
    try:
        write_fn(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if existed:
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
            if backups > 0:
                backup = make_backup(target)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.replace(tmp, target)
        except PermissionError as exc:  # Windows: the file is open in Excel without a lock file
            raise LyueError(
                f"无法替换工作簿“{target}”，它可能正在被 Excel/WPS 打开。"
                "请先在 Excel/WPS 中关闭该工作簿后重试。"
            ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
        raise
    _fsync_dir(folder)
    if existed and backups > 0:
        prune_backups(target, backups)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _backup_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(target.stem) + r"-(\d{8}-\d{6})(?:-(\d+))?" + re.escape(target.suffix) + "$"
    )


def make_backup(target: Path) -> Path:
    folder = target.parent / BACKUP_DIR
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise LyueError(_folder_message(target.parent)) from exc
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    pattern = _backup_pattern(target)
    same_second = [pattern.match(p.name) for p in folder.iterdir()]
    counters = [int(found.group(2) or 0) for found in same_second if found and found[1] == stamp]
    # Later backups of the same second get a higher counter, so sorting stays chronological
    # even after older ones of that second were pruned.
    suffix = f"-{max(counters) + 1}" if counters else ""
    path = folder / f"{target.stem}-{stamp}{suffix}{target.suffix}"
    shutil.copy2(target, path)
    return path


def list_backups(target: Path) -> list[Path]:
    """This workbook's backups, oldest first."""
    folder = Path(target).parent / BACKUP_DIR
    if not folder.is_dir():
        return []
    pattern = _backup_pattern(Path(target))
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 0)), path))
    return [path for _, path in sorted(found)]


def prune_backups(target: Path, keep: int) -> None:
    """Remove all but the ``keep`` newest backups of ``target``."""
    existing = list_backups(target)
    for path in existing[: max(0, len(existing) - keep)]:
        with contextlib.suppress(OSError):
            path.unlink()
