"""Build the bundled program: ``python build/build_exe.py`` -> ``dist/lyue-xl/`` (one-dir).

Runs PyInstaller on ``build/lyue_xl.spec`` with this checkout's ``src`` first on the path, then
prints the program folder and its unpacked size. Options: ``--dist DIR`` and ``--work DIR``
(default ``dist/`` and ``build/pyinstaller/`` in the checkout), ``--clean`` for a fresh build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build" / "lyue_xl.spec"
NAME = "lyue-xl"


def folder_size(folder: Path) -> int:
    """Bytes of every file under ``folder`` (the unpacked size)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def program_path(folder: Path) -> Path:
    """The program inside a built one-dir folder."""
    return folder / (f"{NAME}.exe" if sys.platform == "win32" else NAME)


def strip_symbols(folder: Path) -> int:
    """Linux: drop debug symbols (``strip -S``) from the shared libraries; returns bytes saved.

    Libraries vendored by auditwheel (``numpy.libs``, ``pillow.libs``: patched with patchelf)
    are left alone: stripping them breaks loading ("ELF load command ... not page-aligned").
    That is why PyInstaller's own ``strip=True`` is not used. Windows DLLs carry no symbols.
    """
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return 0
    before = folder_size(folder)
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink() or path == program_path(folder):
            continue
        if any(part.endswith(".libs") for part in path.relative_to(folder).parts):
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        subprocess.run(["strip", "-S", str(path)], check=True)
    return before - folder_size(folder)


def build(dist: Path, work: Path, clean: bool = False) -> Path:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={dist}",
        f"--workpath={work}",
    ]
    if clean:
        command.append("--clean")
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    folder = dist / NAME
    saved = strip_symbols(folder)
    if saved:
        print(f"stripped debug symbols: {saved / 1e6:.1f} MB")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the lyue-xl program folder (PyInstaller).")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--clean", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = build(args.dist.resolve(), args.work.resolve(), args.clean)
    size = folder_size(folder)
    print(f"program folder: {folder}")
    print(f"program: {program_path(folder)}")
    print(f"unpacked size: {size / 1e6:.1f} MB ({size} bytes)")
    print(f"build time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
