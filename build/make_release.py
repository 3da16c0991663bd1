"""Make the release zip: ``python build/make_release.py`` -> ``dist/lyue-xl-<版本>-<平台>.zip``.

Layout (docs/exe.md)::

    lyue-xl-0.1.0-windows-x64/
      lyue_xl/                 the program folder (lyue-xl.exe + _internal/); the add-in looks for
                               lyue_xl\\lyue-xl.exe beside itself
      lyue_xl.xlam             the Excel add-in (ribbon 「履约管理」)
      安装Excel加载项.bat      runs "lyue_xl\\lyue-xl.exe addin install"
      履约管理台账模板.xlsx    the blank record workbook
      示例/                    the demo firm's workbook (refreshed) and documents, made by the
                               built program itself
      快速入门.pdf             docs/quickstart.md rendered (python-docx -> LibreOffice PDF)

Options: ``--program-dir DIR`` uses a program folder already built (default: build one now),
``--quickstart-pdf FILE`` uses a PDF rendered elsewhere (the Windows workflow renders it on
Linux, where LibreOffice is, with ``--quickstart-only FILE``), ``--out DIR`` (default ``dist/``).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build"))
sys.path.insert(0, str(ROOT / "src"))

from build_exe import build, folder_size, program_path  # noqa: E402

from lyue_xl import __version__  # noqa: E402

QUICKSTART = ROOT / "docs" / "quickstart.md"
QUICKSTART_PDF = "快速入门.pdf"
PROGRAM_FOLDER = "lyue_xl"  # LyueRibbon.bas: LYUE_EXE_BESIDE = "lyue_xl\lyue-xl.exe"
DEMO_FOLDER = "示例"
INSTALL_BAT = "安装Excel加载项.bat"
CJK_FONT = "Noto Sans CJK SC"  # the PDF is rendered on Linux (fonts-noto-cjk)


def platform_tag() -> str:
    if sys.platform == "win32":
        return "windows-x64" if platform.machine().endswith("64") else "windows-x86"
    return f"{sys.platform}-{platform.machine()}"


# --- the quick-start PDF ---------------------------------------------------------------------------

_INLINE = re.compile(r"(\*\*[^*]+\*\*|`[^`]+`)")


def _runs(paragraph: object, text: str) -> None:
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True  # type: ignore[attr-defined]
        elif piece.startswith("`"):
            run = paragraph.add_run(piece[1:-1])  # type: ignore[attr-defined]
            run.font.name = "Noto Sans Mono CJK SC"
        else:
            paragraph.add_run(piece)  # type: ignore[attr-defined]


def _east_asian(style: object, family: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = family  # type: ignore[attr-defined]
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), family)


def markdown_to_docx(markdown: str, target: Path) -> Path:
    """The small Markdown of docs/quickstart.md (headings, paragraphs, lists, code) as .docx."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        _east_asian(document.styles[name], CJK_FONT)
    document.styles["Normal"].font.size = Pt(10.5)

    paragraph_lines: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        if paragraph_lines:
            _runs(document.add_paragraph(), "".join(paragraph_lines))
            paragraph_lines.clear()

    for line in markdown.splitlines():
        if code is not None:
            if line.startswith("```"):
                block = document.add_paragraph()
                run = block.add_run("\n".join(code))
                run.font.name = "Noto Sans Mono CJK SC"
                run.font.size = Pt(9.5)
                code = None
            else:
                code.append(line)
            continue
        if line.startswith("```"):
            flush()
            code = []
        elif line.startswith("# "):
            flush()
            document.add_heading(line[2:].strip(), level=0)
        elif line.startswith("## "):
            flush()
            document.add_heading(line[3:].strip(), level=1)
        elif line.startswith("- "):
            flush()
            _runs(document.add_paragraph(style="List Bullet"), line[2:].strip())
        elif re.match(r"\d+\. ", line):
            flush()  # numbers kept as written (Word's list numbering runs on across sections)
            item = document.add_paragraph()
            item.paragraph_format.left_indent = Cm(0.75)
            item.paragraph_format.first_line_indent = Cm(-0.5)
            _runs(item, line.strip())
        elif not line.strip():
            flush()
        else:
            paragraph_lines.append(line.strip())
    flush()
    document.save(str(target))
    return target


def render_quickstart(target: Path) -> Path:
    """docs/quickstart.md -> PDF at ``target`` (needs LibreOffice's soffice)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit(
            "soffice (LibreOffice) is needed to render the quick-start PDF; "
            "install libreoffice-writer or pass --quickstart-pdf"
        )
    with tempfile.TemporaryDirectory(prefix="lyue-quickstart-") as folder:
        work = Path(folder)
        docx = markdown_to_docx(QUICKSTART.read_text(encoding="utf-8"), work / "quickstart.docx")
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{work / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.copyfile(work / "quickstart.pdf", target)
    return target


# --- the release -----------------------------------------------------------------------------------


def stage_release(program_dir: Path, stage: Path, quickstart_pdf: Path | None) -> Path:
    from lyue_xl.excel.addin import build_addin
    from lyue_xl.workbook.template import TEMPLATE_NAME, new_workbook

    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    shutil.copytree(program_dir, stage / PROGRAM_FOLDER, symlinks=True)
    program = program_path(stage / PROGRAM_FOLDER)
    build_addin(stage)
    (stage / INSTALL_BAT).write_bytes(
        b'@echo off\r\n"%~dp0lyue_xl\\lyue-xl.exe" addin install\r\npause\r\n'
    )
    shipped = ROOT / "workbook_templates" / TEMPLATE_NAME
    if shipped.is_file():
        shutil.copyfile(shipped, stage / TEMPLATE_NAME)
    else:
        new_workbook(stage / TEMPLATE_NAME)
    demo = stage / DEMO_FOLDER
    subprocess.run([str(program), "demo", str(demo)], check=True, capture_output=True, timeout=600)
    shutil.rmtree(demo / ".lyue-backup", ignore_errors=True)
    if quickstart_pdf is not None:
        shutil.copyfile(quickstart_pdf, stage / QUICKSTART_PDF)
    else:
        render_quickstart(stage / QUICKSTART_PDF)
    return stage


def zip_folder(folder: Path, target: Path) -> Path:
    """``folder`` as ``target`` (entries under the folder's name; file modes kept).

    Symbolic links (PyInstaller makes some on Linux, none on Windows) are stored as links, the
    way Info-ZIP's unzip restores them, instead of as second copies of the library.
    """
    target.unlink(missing_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            name = str(Path(folder.name) / path.relative_to(folder))
            if path.is_symlink():
                entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.create_system = 3  # Unix: external_attr holds the mode
                entry.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(entry, os.readlink(path))
            else:
                archive.write(path, name)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the lyue-xl release zip.")
    parser.add_argument("--program-dir", type=Path, help="a folder made by build/build_exe.py")
    parser.add_argument("--quickstart-pdf", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--quickstart-only", type=Path, metavar="PDF", help="only render the quick-start PDF"
    )
    args = parser.parse_args(argv)
    if args.quickstart_only:
        print(f"quick-start: {render_quickstart(args.quickstart_only.resolve())}")
        return 0
    out = args.out.resolve()
    program_dir = args.program_dir
    if program_dir is None:
        program_dir = build(out, ROOT / "build" / "pyinstaller")
    name = f"lyue-xl-{__version__}-{platform_tag()}"
    stage = stage_release(program_dir.resolve(), out / name, args.quickstart_pdf)
    archive = zip_folder(stage, out / f"{name}.zip")
    print(f"release folder: {stage} ({folder_size(stage) / 1e6:.1f} MB unpacked)")
    print(f"release zip: {archive} ({archive.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
