"""Replace a workbook on disk safely: refuse when it is open, write beside it, keep a backup.

Every writer of a user's workbook goes through :func:`atomic_write`, so that (DESIGN §6)
a failed run leaves the file byte-for-byte unchanged and no temporary file behind, a file
open in Excel/WPS/LibreOffice is refused with a message the user can act on, and the
previous version is kept in ``.lyue-backup/`` beside the workbook (a bounded number of them).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
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


# Temporary files of a run carry its process id, so that a later run can tell a file left by a
# killed run (its process is gone) from one a live run is writing: ".NAME.lyue123-ab12cd.lyue-tmp".
TEMP_SUFFIX = ".lyue-tmp"
STALE_AFTER_S = 3600  # a temporary file older than this is stale whoever made it
_OWN_TEMP = re.compile(r"\.lyue(\d+)-[^.]*" + re.escape(TEMP_SUFFIX) + "$")
_MB = 1024 * 1024


def temp_prefix(stem: str) -> str:
    return f".{stem}.lyue{os.getpid()}-"


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no safe probe without a dependency: such files go by age only
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def is_stale(path: Path, pid: int | None) -> bool:
    """A temporary file of ours that no live run is writing."""
    try:
        age = datetime.now().timestamp() - path.stat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER_S:
        return True
    return pid is not None and not _process_alive(pid)


def remove_stale_temps(folder: Path, stem: str) -> None:
    """Remove the temporary files a killed run left beside workbook ``stem`` (or in its backup
    folder): ours by name, and not being written by a live run."""
    for place in (folder, folder / BACKUP_DIR):
        try:
            names = [p for p in place.iterdir() if p.name.endswith(TEMP_SUFFIX)]
        except OSError:
            continue
        for path in names:
            if not path.name.startswith((f".{stem}.", f".{stem}-")):
                continue
            own = _OWN_TEMP.search(path.name)
            if is_stale(path, int(own.group(1)) if own else None):
                with contextlib.suppress(OSError):
                    path.unlink()


_OWN_DIR = re.compile(r"lyue-(\d+)-[a-z0-9_]+$")


def work_folder() -> tempfile.TemporaryDirectory[str]:
    """A system-temp folder for this run's own files, named so a later run can remove it when
    this one is killed; folders that killed runs left are removed first."""
    remove_stale_temp_dirs()
    try:
        return tempfile.TemporaryDirectory(
            prefix=f"lyue-{os.getpid()}-", ignore_cleanup_errors=True
        )
    except OSError as exc:
        raise temp_failed(exc) from None


def temp_failed(exc: OSError) -> LyueError:
    where = tempfile.gettempdir()
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        what = f"系统临时文件夹“{where}”所在磁盘空间不足（只剩约 {_mb(_free(Path(where)))} MB）"
    else:
        what = f"无法在系统临时文件夹“{where}”中写入（{exc.strerror or type(exc).__name__}）"
    return LyueError(f"{what}，工作簿未被修改。请清理磁盘或检查 TEMP 文件夹后重试。")


def remove_stale_temp_dirs() -> None:
    """Remove the ``lyue-PID-…`` folders in the system temp folder whose run is gone."""
    root = Path(tempfile.gettempdir())
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith("lyue-")]
    except OSError:
        return
    for path in candidates:
        own = _OWN_DIR.match(path.name)
        stale = own and path.is_dir() and not path.is_symlink() and is_stale(path, int(own[1]))
        if stale:
            shutil.rmtree(path, ignore_errors=True)


def write_failed(
    exc: OSError, target: Path, needed: int, unchanged: str | None = None
) -> LyueError:
    """One Chinese line for a failed write beside ``target``: what happened, what to do.
    ``unchanged`` says what was left as it was (default: the workbook)."""
    where = target.parent if str(target.parent) else Path(".")
    unchanged = unchanged or f"工作簿“{target.name}”未被修改。"
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        quota = "（或超出磁盘配额）" if code != errno.ENOSPC else ""
        return LyueError(
            f"磁盘空间不足{quota}：需要约 {_mb(needed)} MB 可用空间（临时文件和备份），"
            f"“{where}”所在磁盘只剩约 {_mb(_free(where))} MB。{unchanged}"
            "请清理磁盘，或把工作簿复制到空间充足的文件夹后重试。"
        )
    if code == errno.EROFS:
        return LyueError(
            f"“{where}”位于只读的磁盘或共享上，无法写入。{unchanged}"
            "请把工作簿复制到可写的文件夹（例如“文档”）后重试。"
        )
    if code == errno.ENAMETOOLONG:
        return LyueError(
            f"路径“{target}”过长，无法在旁边写入临时文件和备份。{unchanged}"
            "请缩短文件名或把工作簿移到路径较短的文件夹后重试。"
        )
    if code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        return LyueError(_folder_message(where) + unchanged)
    return LyueError(
        f"写入“{where}”时出错（{exc.strerror or str(exc) or type(exc).__name__}）。{unchanged}"
        "请检查磁盘后重试。"
    )


def _mb(size: int) -> int:
    return max(1, -(-size // _MB))


def _free(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def check_free_space(target: Path, needed: int) -> None:
    """Refuse before writing when the disk plainly lacks ``needed`` bytes (a cheap check; the
    write itself still handles a full disk)."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < needed:
        raise write_failed(OSError(errno.ENOSPC, "No space left on device"), target, needed)


def atomic_write(target: Path, write_fn: Callable[[Path], None], *, backups: int = 5) -> None:
    """Write ``target`` by calling ``write_fn(temp_path)`` and then replacing it atomically.

    ``write_fn`` receives a path beside ``target`` (same folder, so ``os.replace`` is atomic) and
    must write the complete new file there.  On any exception the temporary file is removed and
    ``target`` is left untouched.  When ``target`` existed, its previous version is copied to
    ``.lyue-backup/<stem>-<YYYYmmdd-HHMMSS><suffix>`` first (atomically: a backup is complete or
    absent); at most ``backups`` such copies of this workbook are kept (the oldest are removed,
    never the last readable one); ``backups=0`` keeps none. A failure to write (full disk,
    quota, read-only medium, denied, name too long) is a :class:`LyueError` in Chinese.
    """
    target = Path(target)
    check_writable(target)
    folder = target.parent if str(target.parent) else Path(".")
    existed = target.exists()
    size = target.stat().st_size if existed else 0
    needed = size * (2 if backups > 0 else 1) + _MB
    remove_stale_temps(folder, target.stem)
    check_free_space(target, needed)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=temp_prefix(target.stem), suffix=TEMP_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise write_failed(exc, target, needed) from None
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
                check_free_space(target, size + _MB)
                backup = make_backup(target)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.replace(tmp, target)
        except PermissionError as exc:  # Windows: the file is open in Excel without a lock file
            if os.name != "nt":
                raise
            raise LyueError(
                f"无法替换工作簿“{target}”，它可能正在被 Excel/WPS 打开，工作簿未被修改。"
                "请先在 Excel/WPS 中关闭该工作簿后重试。"
            ) from exc
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
        if isinstance(exc, OSError):
            raise write_failed(exc, target, needed) from None
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
    """Copy ``target`` into ``.lyue-backup/`` atomically: written to a temporary file there,
    flushed to disk, then renamed, so that a backup is either complete or absent."""
    folder = target.parent / BACKUP_DIR
    created = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
    except FileExistsError:
        raise LyueError(_folder_message(target.parent)) from None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    pattern = _backup_pattern(target)
    same_second = [pattern.match(p.name) for p in folder.iterdir()]
    counters = [int(found.group(2) or 0) for found in same_second if found and found[1] == stamp]
    # Later backups of the same second get a higher counter, so sorting stays chronological
    # even after older ones of that second were pruned.
    suffix = f"-{max(counters) + 1}" if counters else ""
    path = folder / f"{target.stem}-{stamp}{suffix}{target.suffix}"
    tmp = folder / f"{temp_prefix(target.stem)}backup{TEMP_SUFFIX}"
    try:
        copy_atomically(target, path, tmp)
    except BaseException:
        if created:  # leave no empty backup folder behind a failed first backup
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    _fsync_dir(folder)
    return path


def copy_atomically(source: Path, path: Path, tmp: Path) -> None:
    """Copy ``source`` to ``path`` through ``tmp`` (flushed to disk, then renamed), so that
    ``path`` is either complete or absent; ``tmp`` is removed on any failure."""
    try:
        with open(source, "rb") as reader, open(tmp, "wb") as handle:
            shutil.copyfileobj(reader, handle, 1 << 20)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copystat(source, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


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


def readable(path: Path) -> bool:
    """True when ``path`` is a zip whose every member passes its CRC test."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return False


def prune_backups(target: Path, keep: int) -> None:
    """Remove all but the ``keep`` newest backups of ``target``, but never the newest readable
    one: when none of the kept backups is readable, the newest readable older one stays too."""
    existing = list_backups(target)
    if len(existing) <= keep:
        return
    doomed, kept = existing[: len(existing) - keep], existing[len(existing) - keep :]
    if not any(readable(path) for path in reversed(kept)):
        for path in reversed(doomed):
            if readable(path):
                doomed.remove(path)
                break
    for path in doomed:
        with contextlib.suppress(OSError):
            path.unlink()
