"""Is every XML part of a workbook package intact? Checked before a refresh writes back.

python-calamine reads a sheet leniently (an undefined entity before ``<sheetData>`` is skipped)
and a refresh copies most parts without parsing them, so a damaged part would be passed on and
Excel would offer to "repair" the result. Every XML part is therefore parsed once, without
building a tree (expat: fast, no entity expansion, no DTD, no network), and the first damaged one
is reported in Chinese naming the part and the sheet it belongs to (DESIGN §5, §6).

:class:`BackgroundCheck` runs the check beside the reading and the analysis (in a child process
where the platform forks, else in a thread), so it costs little of a refresh's time.
"""

from __future__ import annotations

import os
import threading
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Collection
from pathlib import Path
from typing import IO

from lyue_xl.errors import LyueError
from lyue_xl.workbook.opc import (
    DOC_REL_NS,
    MAIN_NS,
    PKG_REL_NS,
    REL_OFFICE_DOCUMENT,
    STRICT_OFFICE_DOCUMENT,
    damaged_message,
    parse_xml,
    rels_name,
    resolve,
    strict_refused,
)

XML_SUFFIXES = (".xml", ".rels")  # VML (.vml) is not XML in Excel's own files: not checked
_CHUNK = 1 << 18  # small enough that the reading threads get the GIL back often


class _Doctype(Exception):
    """A DTD in a part: Office never writes one, and it could declare expanding entities."""


def xml_problem(stream: IO[bytes]) -> str | None:
    """None when ``stream`` holds one well-formed, namespace-correct XML document without a DTD;
    else the parser's reason (English, for the log only)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def refuse_doctype(*_args: object) -> None:
        raise _Doctype

    parser.StartDoctypeDeclHandler = refuse_doctype
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        return str(exc)
    except _Doctype:
        return "DTD"
    return None


class _Package:
    """The zip, its structure parts checked first, and which sheet each part belongs to."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        self.infos = {info.filename: info for info in archive.infolist()}
        self.checked: set[str] = set()
        self.owners: dict[str, str] = {}  # part -> the name of the sheet it belongs to
        self.sheets: dict[str, str] = {}  # sheet name -> its part

    def check(self, part: str) -> None:
        if part in self.checked or part not in self.infos:
            return
        self.checked.add(part)
        try:
            with self.archive.open(self.infos[part]) as stream:
                problem = xml_problem(stream)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            problem = "zip"
        if problem is not None:
            raise LyueError(damaged_message(self.path, part, self.owners.get(part)))

    def xml(self, part: str) -> object | None:
        """The parsed part (checked first), or None when the package has no such part."""
        if part not in self.infos:
            return None
        self.check(part)
        return parse_xml(self.archive.read(self.infos[part]))

    def targets(self, source: str) -> list[tuple[str, str]]:
        """(type, resolved part) of ``source``'s internal relationships."""
        root = self.xml(rels_name(source))
        if root is None:
            return []
        found = []
        for el in root.iter(f"{{{PKG_REL_NS}}}Relationship"):  # type: ignore[attr-defined]
            if el.get("TargetMode") != "External":
                found.append((el.get("Type", ""), resolve(source, el.get("Target", ""))))
        return found

    def map_structure(self, refuse_strict: bool) -> None:
        """Check the parts that say what is where; name each part's sheet."""
        self.check("[Content_Types].xml")
        package_rels = self.targets("")
        types = {kind for kind, _ in package_rels}
        main = next((part for kind, part in package_rels if kind == REL_OFFICE_DOCUMENT), None)
        if main is None:
            if STRICT_OFFICE_DOCUMENT in types and refuse_strict:
                raise strict_refused(self.path)
            main = next(
                (part for kind, part in package_rels if kind == STRICT_OFFICE_DOCUMENT),
                "xl/workbook.xml",
            )
        workbook = self.xml(main)
        rels_root = self.xml(rels_name(main))
        rels = {
            el.get("Id"): resolve(main, el.get("Target", ""))
            for el in (rels_root if rels_root is not None else [])  # type: ignore[attr-defined]
            if el.get("TargetMode") != "External"
        }
        if workbook is None:
            return
        sheets = workbook.find(f"{{{MAIN_NS}}}sheets")  # type: ignore[attr-defined]
        for el in sheets if sheets is not None else []:
            part = rels.get(el.get(f"{{{DOC_REL_NS}}}id"))
            if part and el.get("name"):
                self.sheets[el.get("name")] = part
                self.owners.setdefault(part, el.get("name"))
        for name, part in self.sheets.items():
            self._own(part, name)

    def _own(self, start: str, sheet: str) -> None:
        todo = [start]
        while todo:
            part = todo.pop()
            self.owners.setdefault(rels_name(part), sheet)
            for _, target in self.targets(part):
                if target not in self.owners and target in self.infos:
                    self.owners[target] = sheet
                    todo.append(target)


def check_package_xml(
    path: Path, *, skip_sheets: Collection[str] = (), refuse_strict: bool = True
) -> None:
    """Raise :class:`LyueError` naming the first damaged XML part of ``path`` (and its sheet).

    The worksheet parts of ``skip_sheets`` (sheets a refresh replaces) are not checked.
    A Strict OOXML package is refused (a refresh cannot write it back) when ``refuse_strict``.
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise LyueError(
            f"“{path}”已损坏，无法作为 Excel 工作簿读取；请用备份或重新保存的文件。"
        ) from None
    with archive:
        package = _Package(path, archive)
        package.map_structure(refuse_strict)
        skipped = {fold for fold in (s.casefold() for s in skip_sheets)}
        skip = {part for name, part in package.sheets.items() if name.casefold() in skipped}
        for name in package.infos:
            if name.endswith(XML_SUFFIXES) and name not in skip:
                package.check(name)


class BackgroundCheck:
    """:func:`check_package_xml` alongside the caller's work; :meth:`result` waits and raises
    what it found, :meth:`close` only waits.

    Where the platform can fork and the caller runs no other thread, the check runs in a child
    process: expat holds the GIL while it parses, so in a thread it would take turns with the
    analysis instead of running beside it on another core. Elsewhere (Windows, the window's
    threads) it runs in a thread. The child reports only "intact" or a damaged part's message;
    anything else (it died, an internal error) makes :meth:`result` run the check again here,
    so the caller always gets the same answer as from :func:`check_package_xml`.
    """

    def __init__(self, path: Path, *, skip_sheets: Collection[str] = ()) -> None:
        self._path, self._skip = Path(path), tuple(skip_sheets)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self.pid: int | None = None  # the child's process id while it runs (None: a thread)
        self._pipe: int | None = None
        self._outcome: bytes | None = None
        if hasattr(os, "fork") and threading.active_count() == 1:
            self._fork()
        else:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            check_package_xml(self._path, skip_sheets=self._skip)
        except BaseException as exc:  # handed to the caller's thread by result()
            self._error = exc

    def _fork(self) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: check, report in a few bytes, leave without any cleanup
            code = 1
            try:
                os.close(read_end)
                try:
                    check_package_xml(self._path, skip_sheets=self._skip)
                    report = _INTACT
                except LyueError as exc:
                    report = _DAMAGED + str(exc).encode("utf-8")
                view = memoryview(report)
                while view:
                    view = view[os.write(write_end, view) :]
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid = self.pid = pid
        self._pipe = read_end

    def _collect(self) -> bytes | None:
        """Wait for the child; its report, or None when it gave none."""
        if self._pid is not None:
            assert self._pipe is not None
            chunks = []
            try:
                while chunk := os.read(self._pipe, 1 << 16):
                    chunks.append(chunk)
            finally:
                os.close(self._pipe)
                _, status = os.waitpid(self._pid, 0)
                self._pid = self._pipe = None
            report = b"".join(chunks)
            ok = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
            self._outcome = report if ok and report.startswith((_INTACT, _DAMAGED)) else b""
        return self._outcome

    def result(self) -> None:
        if self._thread is not None:
            self._thread.join()
            if self._error is not None:
                raise self._error
            return
        outcome = self._collect()
        if outcome == _INTACT:
            return
        if outcome and outcome.startswith(_DAMAGED):
            raise LyueError(outcome[len(_DAMAGED) :].decode("utf-8"))
        check_package_xml(self._path, skip_sheets=self._skip)  # the child failed: check here

    def close(self) -> None:
        """Wait for the check without raising (the caller is already failing)."""
        if self._thread is not None:
            self._thread.join()
        else:
            self._collect()


_INTACT, _DAMAGED = b"intact", b"damaged:"
