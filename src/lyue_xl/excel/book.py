"""The book interface the ribbon actions use, and its file-backed implementation.

A ribbon action needs little from a workbook: its name and path, its sheets' values as grids,
and a way to write the engine-owned results back. :class:`FileBook` does this on a file on disk
(calamine to read; render + zip-level transplant to write, so nothing else in the file changes,
DESIGN §6); `lyue_xl.excel.xlbook.ExcelBook` does it on a workbook open in Excel through
xlwings. The actions (`lyue_xl.excel.actions`) are written against :class:`Book` only, and are
tested here through :class:`FileBook` on real files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar, runtime_checkable

from python_calamine import CalamineWorkbook

from lyue_xl import schema
from lyue_xl.results import EngineColumn, ResultSheet
from lyue_xl.workbook.reader import Records, open_calamine, read_grid, records_from_grids

T = TypeVar("T")


@runtime_checkable
class Book(Protocol):
    """A record workbook, wherever it lives."""

    @property
    def name(self) -> str:
        """The workbook's file name (``台账.xlsx``), or Excel's name for an unsaved one."""
        ...

    @property
    def path(self) -> Path | None:
        """The file on disk, or ``None`` when the workbook has never been saved."""
        ...

    def sheet_names(self) -> list[str]: ...

    def grid(self, name: str) -> list[list[object]]:
        """One sheet's values from A1 (the reader's grid: ``''`` for empty cells)."""
        ...

    def write_results(self, sheets: list[ResultSheet], columns: list[EngineColumn]) -> None:
        """Replace the engine-owned ``sheets`` whole and set the engine ``columns``; nothing else."""
        ...

    def save_note(self) -> str:
        """One Chinese sentence saying where the written results are (saved or not)."""
        ...

    def edit_file(self, edit: Callable[[Path], T]) -> T:
        """Run ``edit`` on the workbook's file while no program holds it open (import,
        fix-types: backed-up zip-level writes of the file itself), then show the result."""
        ...


def read_book(book: Book, need: Iterable[str] = schema.CORE_SHEET_KEYS) -> Records:
    """The book's records, read exactly as `lyue_xl.workbook.reader.read_records` reads a file."""
    return records_from_grids(book.path or Path(book.name), book.sheet_names(), book.grid, need)


class FileBook:
    """A record workbook on disk (must not be open in Excel/WPS while results are written)."""

    def __init__(self, path: Path | str) -> None:
        self._path = Path(path)
        self._calamine: CalamineWorkbook | None = None
        self._read: list[str] = []  # sheets read whole: intact, the write-back need not check them

    @property
    def name(self) -> str:
        return self._path.name

    @property
    def path(self) -> Path:
        return self._path

    def _book(self) -> CalamineWorkbook:
        if self._calamine is None:
            self._calamine = open_calamine(self._path)
        return self._calamine

    def sheet_names(self) -> list[str]:
        return list(self._book().sheet_names)

    def grid(self, name: str) -> list[list[object]]:
        grid = read_grid(self._book(), name)
        self._read.append(name)
        return grid

    def write_results(self, sheets: list[ResultSheet], columns: list[EngineColumn]) -> None:
        from lyue_xl.refresh import write_back

        self.close()  # the file is replaced: never read a stale copy afterwards
        write_back(self._path, sheets, columns, self._read)

    def save_note(self) -> str:
        return f"已写入并保存“{self._path.name}”；写入前的版本保存在旁边的 .lyue-backup 文件夹中。"

    def edit_file(self, edit: Callable[[Path], T]) -> T:
        self.close()  # the file is replaced: never read a stale copy afterwards
        return edit(self._path)

    def close(self) -> None:
        if self._calamine is not None:
            self._calamine.close()
            self._calamine = None

    def __enter__(self) -> FileBook:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
