"""The 目录 of a rendered Word document: entries written out, with page numbers (DESIGN §8).

A template carries a TOC field whose cached result lists the headings the template knows. After
rendering, :func:`finish_docx` rewrites that cached result from the headings the document really
has (levels 1–3): each heading gets a ``_Toc`` bookmark and each entry is a hyperlink to it ending
in a ``PAGEREF`` field, as Word writes a TOC itself. The page numbers come from LibreOffice when it
is installed: the document is converted to PDF once in a private profile and the page of each
heading is read from the PDF's outline (LibreOffice exports the headings as bookmarks). Without
LibreOffice, or when the conversion fails, the entries are written without numbers; Word fills
them in with "更新域" (F9).

Nothing asks Word to update fields on open: ``w:updateFields`` and ``w:dirty`` are removed, so no
prompt appears and the numbers shown are the ones written here.

``LYUE_XL_TOC_PAGES=0`` in the environment skips the LibreOffice run (the test suite sets it,
except in the tests of this module).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lyue_xl.documents.tables import fit_tables, keep_hyphenated_whole

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
SETTINGS = "word/settings.xml"
TOC_LEVELS = 3
TIMEOUT_S = 180
ENV_SWITCH = "LYUE_XL_TOC_PAGES"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    bookmark: str


def _w(tag: str) -> str:
    return W + tag


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    el = etree.Element(_w(tag)) if parent is None else etree.SubElement(parent, _w(tag))
    for key, value in attrs.items():
        el.set(_w(key), value)
    return el


def _text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t")))


def _heading_levels(styles_xml: bytes | None) -> dict[str, int]:
    """Style id -> outline level (1-based) for the heading styles of ``styles.xml``."""
    levels: dict[str, int] = {f"Heading{n}": n for n in range(1, 10)}
    if not styles_xml:
        return levels
    root = etree.fromstring(styles_xml)
    for style in root.iter(_w("style")):
        sid = style.get(_w("styleId"))
        name = style.find(_w("name"))
        match = re.fullmatch(
            r"heading (\d)", (name.get(_w("val")) if name is not None else "") or ""
        )
        outline = style.find(f"{_w('pPr')}/{_w('outlineLvl')}")
        if sid is None:
            continue
        if match:
            levels[sid] = int(match.group(1))
        elif outline is not None and (outline.get(_w("val")) or "").isdigit():
            levels[sid] = int(outline.get(_w("val")) or 0) + 1
    return levels


def _toc_paragraphs(body: etree._Element) -> list[etree._Element] | None:
    """The paragraphs of the first TOC field (from its ``begin`` to its ``end``), or None."""
    paragraphs = list(body.iter(_w("p")))
    start = None
    for i, p in enumerate(paragraphs):
        instr = "".join(x.text or "" for x in p.iter(_w("instrText")))
        if re.match(r"\s*TOC\b", instr):
            start = i
            break
    if start is None:
        return None
    depth = 0
    for j in range(start, len(paragraphs)):
        for char in paragraphs[j].iter(_w("fldChar")):
            kind = char.get(_w("fldCharType"))
            if kind == "begin":
                depth += 1
            elif kind == "end":
                depth -= 1
                if depth == 0:
                    return paragraphs[start : j + 1]
    return None


def _field_runs(p: etree._Element, instr: str, shown: str) -> None:
    _el("fldChar", _el("r", p), fldCharType="begin")
    run = _el("r", p)
    text = _el("instrText", run)
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instr} "
    _el("fldChar", _el("r", p), fldCharType="separate")
    _text_run(p, shown)
    _el("fldChar", _el("r", p), fldCharType="end")


def _text_run(parent: etree._Element, text: str) -> etree._Element:
    run = _el("r", parent)
    t = _el("t", run)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    return run


def _entry(
    heading: Heading, page: int | None, first: bool, last: bool, instr: str
) -> etree._Element:
    p = _el("p")
    ppr = _el("pPr", p)
    _el("pStyle", ppr, val=f"TOC{heading.level}")
    if first:
        _el("fldChar", _el("r", p), fldCharType="begin")
        run = _el("r", p)
        text = _el("instrText", run)
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        text.text = instr
        _el("fldChar", _el("r", p), fldCharType="separate")
    link = _el("hyperlink", p, anchor=heading.bookmark, history="1")
    _text_run(link, heading.text)
    if page is not None:
        _el("tab", _el("r", link))
        _field_runs(link, f"PAGEREF {heading.bookmark} \\h", str(page))
    if last:
        _el("fldChar", _el("r", p), fldCharType="end")
    return p


class _Doc:
    """The parts of a .docx this module changes, held in memory."""

    def __init__(self, blob: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            self.infos = z.infolist()
            self.parts = {i.filename: z.read(i.filename) for i in self.infos}
        self.root = etree.fromstring(self.parts[DOCUMENT])
        self.headings: list[Heading] = []
        self.toc_instr = ' TOC \\o "1-3" \\h \\z \\u '

    def blob(self) -> bytes:
        self.parts[DOCUMENT] = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in self.infos:
                z.writestr(info, self.parts[info.filename])
        return out.getvalue()

    def no_update_prompt(self) -> None:
        """Drop ``w:updateFields`` from the settings and every ``w:dirty`` field flag."""
        for name in list(self.parts):
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            blob = self.parts[name]
            if b"dirty" in blob:
                blob = re.sub(rb'\s+w:dirty="(?:true|1|on)"', b"", blob)
            if name == SETTINGS:
                blob = re.sub(rb"<w:updateFields\b[^>]*/>", b"", blob)
            self.parts[name] = blob
        self.root = etree.fromstring(self.parts[DOCUMENT])

    def mark_headings(self) -> bool:
        """Give each heading of levels 1..3 a ``_Toc`` bookmark; False when there is no TOC."""
        body = self.root.find(_w("body"))
        if body is None or _toc_paragraphs(body) is None:
            return False
        toc = _toc_paragraphs(body) or []
        for p in toc:
            for instr in p.iter(_w("instrText")):
                if re.match(r"\s*TOC\b", instr.text or ""):
                    self.toc_instr = instr.text or self.toc_instr
        in_toc = {id(p) for p in toc}
        levels = _heading_levels(self.parts.get(STYLES))
        ids = [int(b.get(_w("id")) or 0) for b in self.root.iter(_w("bookmarkStart"))]
        next_id = max(ids, default=0) + 1
        for p in body.iter(_w("p")):
            if id(p) in in_toc:
                continue
            style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
            level = levels.get(style.get(_w("val")) or "") if style is not None else None
            text = " ".join(_text_of(p).split())
            if level is None or level > TOC_LEVELS or not text:
                continue
            name = f"_Toc{next_id:09d}"
            start = etree.Element(_w("bookmarkStart"))
            start.set(_w("id"), str(next_id))
            start.set(_w("name"), name)
            end = etree.Element(_w("bookmarkEnd"))
            end.set(_w("id"), str(next_id))
            ppr = p.find(_w("pPr"))
            if ppr is not None:
                ppr.addnext(start)
            else:
                p.insert(0, start)
            p.append(end)
            self.headings.append(Heading(level, text, name))
            next_id += 1
        return True

    def write_entries(self, pages: Sequence[int] | None) -> None:
        body = self.root.find(_w("body"))
        toc = _toc_paragraphs(body) if body is not None else None
        if not toc:
            return
        anchor = toc[0]
        entries = [
            _entry(
                h,
                pages[i] if pages is not None else None,
                i == 0,
                i == len(self.headings) - 1,
                self.toc_instr,
            )
            for i, h in enumerate(self.headings)
        ]
        if not entries:  # a TOC with no headings: keep an empty field
            entries = [_el("p")]
            _field_runs(entries[0], self.toc_instr.strip(), "")
        for p in entries:
            anchor.addprevious(p)
        for p in toc:
            p.getparent().remove(p)


# --- page numbers from LibreOffice --------------------------------------------------------------


def soffice_path() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found or sys.platform != "win32":
        return found
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        if base:
            candidate = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if candidate.is_file():
                return str(candidate)
    return None


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(m: re.Match[bytes]) -> bytes:
    code = m.group(1)
    if code.isdigit():
        return bytes([int(code, 8) & 0xFF])
    return _ESCAPES.get(code, code)


def _pdf_string(raw: bytes) -> str:
    """A PDF string token (``<FEFF...>`` hex or ``(...)`` literal) as text."""
    raw = raw.strip()
    if raw.startswith(b"<"):
        data = bytes.fromhex(re.sub(rb"\s+", b"", raw[1:-1]).decode("ascii"))
    else:
        data = re.sub(rb"\\([nrtbf()\\]|[0-7]{1,3})", _unescape, raw[1:-1])
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    return data.decode("latin-1")


def outline_pages(pdf: bytes) -> list[tuple[str, int]]:
    """(title, 1-based page) of each outline item of a PDF written by LibreOffice, in order."""
    objects = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(rb"(?m)^(\d+) 0 obj\s*(.*?)\s*endobj", pdf, re.S)
    }
    root = next((b for b in objects.values() if re.search(rb"/Type\s*/Catalog\b", b)), None)
    if root is None:
        return []

    def ref(blob: bytes, key: bytes) -> int | None:
        m = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", blob)
        return int(m.group(1)) if m else None

    pages: list[int] = []

    def walk_pages(num: int | None, depth: int = 0) -> None:
        if num is None or num not in objects or depth > 50:
            return
        blob = objects[num]
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", blob)
        if re.search(rb"/Type\s*/Pages\b", blob) and kids:
            for kid in re.findall(rb"(\d+)\s+0\s+R", kids.group(1)):
                walk_pages(int(kid), depth + 1)
        elif re.search(rb"/Type\s*/Page\b", blob):
            pages.append(num)

    walk_pages(ref(root, b"Pages"))
    page_index = {num: i + 1 for i, num in enumerate(pages)}
    result: list[tuple[str, int]] = []

    def walk_outline(num: int | None, depth: int = 0) -> None:
        seen = 0
        while num is not None and num in objects and depth < 20 and seen < 100000:
            seen += 1
            blob = objects[num]
            title = re.search(rb"/Title\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))", blob, re.S)
            dest = re.search(rb"/Dest\s*\[\s*(\d+)\s+0\s+R", blob)
            if title and dest and int(dest.group(1)) in page_index:
                result.append((_pdf_string(title.group(1)), page_index[int(dest.group(1))]))
            walk_outline(ref(blob, b"First"), depth + 1)
            num = ref(blob, b"Next")

    outlines = ref(root, b"Outlines")
    if outlines is not None and outlines in objects:
        walk_outline(ref(objects[outlines], b"First"))
    return result


def _fold(text: str) -> str:
    return "".join(text.replace("\u2011", "-").split())


def match_pages(
    headings: Sequence[Heading], outline: Sequence[tuple[str, int]]
) -> list[int] | None:
    """The page of each heading, matching titles in document order; None if one is missing."""
    pages: list[int] = []
    k = 0
    for heading in headings:
        want = _fold(heading.text)
        while k < len(outline) and _fold(outline[k][0]) != want:
            k += 1
        if k == len(outline):
            return None
        pages.append(outline[k][1])
        k += 1
    return pages


def _convert_to_pdf(soffice: str, docx: Path, folder: Path) -> bytes | None:
    profile = folder / "profile"
    command = [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        str(docx),
    ]
    kwargs: dict[str, object] = {}
    if sys.platform == "win32":
        kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    else:
        kwargs["start_new_session"] = True
    try:
        proc = subprocess.Popen(  # noqa: S603 - a fixed program and arguments
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **kwargs,  # type: ignore[call-overload]
        )
    except OSError:
        return None
    try:
        proc.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            if sys.platform == "win32":
                proc.kill()
            else:
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return None
    pdf = folder / (docx.stem + ".pdf")
    return pdf.read_bytes() if proc.returncode == 0 and pdf.is_file() else None


def libreoffice_pages(blob: bytes, headings: Sequence[Heading]) -> list[int] | None:
    """The page each heading of the .docx ``blob`` is on in LibreOffice's layout, or None."""
    if os.environ.get(ENV_SWITCH, "1").strip() == "0" or not headings:
        return None
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="lyue-toc-") as tmp:
        folder = Path(tmp)
        docx = folder / "document.docx"
        docx.write_bytes(blob)
        pdf = _convert_to_pdf(soffice, docx, folder)
        if pdf is None:
            return None
        return match_pages(headings, outline_pages(pdf))


def finish_docx(blob: bytes) -> bytes:
    """The rendered .docx ``blob`` with its tables fitted (:mod:`lyue_xl.documents.tables`) and
    its 目录 written out (see the module docstring)."""
    doc = _Doc(blob)
    doc.no_update_prompt()
    fit_tables(doc.root, doc.parts.get(STYLES))  # before measuring pages: widths change heights
    if not doc.mark_headings():
        keep_hyphenated_whole(doc.root)
        return doc.blob()
    doc.write_entries([0] * len(doc.headings))  # the layout LibreOffice measures: numbers shown
    keep_hyphenated_whole(doc.root)  # after the headings' text was taken
    draft = doc.blob()
    pages = libreoffice_pages(draft, doc.headings)
    final = _Doc(draft)
    final.headings = doc.headings
    final.toc_instr = doc.toc_instr
    final.write_entries(pages)
    return final.blob()
