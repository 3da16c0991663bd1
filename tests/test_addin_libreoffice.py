"""LibreOffice opens the built add-in, lists its VBA modules and runs our self-test."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lyue_xl.excel.addin import build_addin
from lyue_xl.excel.ribbon import ACTIONS

HELPER = Path(__file__).parent / "uno" / "lo_vba_run.py"
SYSTEM_PYTHON = "/usr/bin/python3"


def _has_uno() -> bool:
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _has_uno(), reason="needs LibreOffice and python3-uno")
def test_libreoffice_lists_modules_and_runs_self_test(tmp_path: Path) -> None:
    addin = build_addin(tmp_path / "out")
    functions = ["LyueRibbon.LyueSelfTest", "LyueRibbon.LyueTitle"]
    run = subprocess.run(
        [SYSTEM_PYTHON, str(HELPER), str(addin), "--without", "xlwings"] + functions,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["vba_mode"] is True
    assert result["libraries"]["lyue_xl"] == ["LyueRibbon", "Sheet1", "ThisWorkbook", "xlwings"]
    # As shipped, LibreOffice compiles both branches of xlwings' #If blocks and so runs nothing
    # from this library (see the helper's docstring); Excel evaluates #If and is not affected.
    assert result["calls"]["LyueRibbon.LyueSelfTest"] in (
        "",
        f"lyue_xl ribbon ok: {len(ACTIONS)} actions",
    )
    # With xlwings' module taken out in LibreOffice's memory, our module, as LibreOffice read
    # it from the file, compiles and runs: the list of 11 actions and ChrW-encoded Chinese text.
    calls = result["calls_without"]
    assert calls["LyueRibbon.LyueSelfTest"] == f"lyue_xl ribbon ok: {len(ACTIONS)} actions"
    assert calls["LyueRibbon.LyueTitle"] == "履约管理"
