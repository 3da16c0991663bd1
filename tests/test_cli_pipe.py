"""A reader that closes stdout early (`lyue-xl alerts … | head -1`) ends the command quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from helpers import SRC, make_book, put_rows


@pytest.fixture(scope="module")
def noisy_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook with 600 overdue contracts: far more output than a pipe buffer holds."""
    book = make_book(tmp_path_factory.mktemp("pipe"))
    rows = [
        {
            "合同编号": f"HT-{n:04d}",
            "合同名称": f"逾期合同{n}",
            "合同性质": "收入性",
            "签订日期": date(2025, 1, 2),
            "评审日期": date(2025, 1, 1),
            "计划交付日期": date(2025, 3, 1),
            "履行状态": "履行中",
        }
        for n in range(600)
    ]
    put_rows(book, "合同台账", rows)
    return book


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("LYUE_DEBUG", None)
    return env


@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_stdout_closed_before_the_first_write_exits_0_quietly(
    noisy_book: Path, json_flag: tuple[str, ...]
) -> None:
    # the read end is closed at once: the first write of the command meets a closed pipe
    proc = subprocess.Popen(
        [sys.executable, "-m", "lyue_xl", "alerts", str(noisy_book), "--as-of", "2025-06-30"]
        + list(json_flag),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=300) == 0, err
    assert err == ""


def test_head_reads_one_line_and_the_command_exits_0(noisy_book: Path) -> None:
    cmd = (
        f"{sys.executable} -m lyue_xl alerts '{noisy_book}' --as-of 2025-06-30 | head -1; "
        'echo "rc=${PIPESTATUS[0]}"'
    )
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, env=_env(), timeout=300)
    out = done.stdout.decode("utf-8")
    lines = out.splitlines()
    # 600 overdue contracts and the 6 missing 制度
    assert lines[0] == "基准日期：2025-06-30，共 606 条预警"
    assert lines[-1] == "rc=0"
    assert done.stderr.decode("utf-8") == ""
