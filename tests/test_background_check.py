"""The well-formedness check beside the read (issue 18; issue 13 speed): in a child process where
the platform forks and no other thread runs, else in a thread; same answer either way, and the
same answer when the child dies before it reports."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from lyue_xl.errors import LyueError
from lyue_xl.workbook.integrity import BackgroundCheck, check_package_xml
from test_damaged_parts import build_base, damage, part_kinds

OWNED = ("指标看板", "预警清单", "体系自评")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("books")
    intact = build_base(folder / "台账.xlsx")
    part, _ = part_kinds(intact)["comments"]  # a part refresh only copies
    damaged = damage(intact, folder / "损坏.xlsx", part, "undefined-entity")
    with pytest.raises(LyueError) as expected:
        check_package_xml(damaged, skip_sheets=OWNED)
    return intact, damaged, str(expected.value)


def _other_thread() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    return thread, stop


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: POSIX only")
def test_child_process_names_the_damaged_part(books) -> None:
    _, damaged, message = books
    check = BackgroundCheck(damaged, skip_sheets=OWNED)
    assert check.pid is not None and check.pid != os.getpid()
    with pytest.raises(LyueError) as found:
        check.result()
    assert str(found.value) == message
    assert "已损坏" in message and "合同台账" in message


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: POSIX only")
def test_child_process_passes_an_intact_book_and_is_reaped(books) -> None:
    intact, _, _ = books
    check = BackgroundCheck(intact, skip_sheets=OWNED)
    pid = check.pid
    assert pid is not None
    check.result()
    check.close()  # twice is harmless
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: POSIX only")
def test_a_killed_child_still_gives_the_right_answer(books) -> None:
    intact, damaged, message = books
    for book, expected in ((damaged, message), (intact, None)):
        check = BackgroundCheck(book, skip_sheets=OWNED)
        assert check.pid is not None
        os.kill(check.pid, signal.SIGKILL)
        if expected is None:
            check.result()
        else:
            with pytest.raises(LyueError) as found:
                check.result()
            assert str(found.value) == expected


def test_with_another_thread_running_the_check_is_a_thread(books) -> None:
    intact, damaged, message = books
    thread, stop = _other_thread()
    try:
        check = BackgroundCheck(damaged, skip_sheets=OWNED)
        assert check.pid is None
        with pytest.raises(LyueError) as found:
            check.result()
        assert str(found.value) == message
        check = BackgroundCheck(intact, skip_sheets=OWNED)
        assert check.pid is None
        check.result()
    finally:
        stop.set()
        thread.join()
