"""The bundled program, built with build/build_exe.py and run as a user would (slow, still in CI).

Set LYUE_EXE_DIR to a folder already built by ``python build/build_exe.py`` (``dist/lyue-xl``)
to reuse it; otherwise the test session builds one into a temporary folder (~40 s here).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lyue_xl import __version__
from xshot import keep_screenshot, screenshot

pytest_plugins = ["xdisplay"]  # the display fixture (Xvfb)

ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = ROOT / "build" / "build_exe.py"

pytestmark = pytest.mark.slow

sys.path.insert(0, str(ROOT / "build"))
import build_exe  # noqa: E402


@pytest.fixture(scope="module")
def program(tmp_path_factory) -> Path:
    reuse = os.environ.get("LYUE_EXE_DIR")
    if reuse:
        folder = Path(reuse)
    else:
        if importlib.util.find_spec("PyInstaller") is None:
            pytest.skip("PyInstaller is not installed (pip install -e .[build])")
        base = tmp_path_factory.mktemp("exe")
        subprocess.run(
            [
                sys.executable,
                str(BUILD_SCRIPT),
                f"--dist={base / 'dist'}",
                f"--work={base / 'work'}",
            ],
            check=True,
            timeout=600,
        )
        folder = base / "dist" / "lyue-xl"
    path = build_exe.program_path(folder)
    assert path.is_file(), f"no program at {path}"
    return path


def run(
    program: Path, *args: object, cwd: Path, timeout: float = 300
) -> subprocess.CompletedProcess[bytes]:
    """The program as a user runs it: no PYTHONPATH, no source checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LYUE_DEBUG")}
    return subprocess.run(
        [str(program), *map(str, args)], capture_output=True, cwd=cwd, env=env, timeout=timeout
    )


def test_version(program, tmp_path):
    done = run(program, "--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == f"lyue-xl {__version__}"


def test_demo_end_to_end_then_check(program, tmp_path):
    from lyue_xl.demo import DEMO_WORKBOOK

    folder = tmp_path / "示例"
    done = run(program, "demo", folder, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    book = folder / DEMO_WORKBOOK
    assert book.is_file()
    documents = sorted(p.suffix for p in folder.iterdir() if p != book)
    assert documents.count(".docx") >= 3 and ".zip" in documents  # manual, reports, audit pack

    checked = run(program, "check", book, "--json", cwd=tmp_path)
    report = json.loads(checked.stdout.decode("utf-8"))
    assert checked.returncode == (0 if report["ok"] else 1)
    assert report["ok"] is True, report["problems"][:3]
    assert all(p["level"] != "错误" for p in report["problems"])


def test_new_refresh_and_indicators(program, tmp_path):
    """The clause catalogue and the templates are inside the bundle (refresh needs both)."""
    book = tmp_path / "台账.xlsx"
    assert run(program, "new", book, "--org", "测试公司", cwd=tmp_path).returncode == 0
    refreshed = run(program, "refresh", book, cwd=tmp_path)
    assert refreshed.returncode == 0, refreshed.stderr.decode("utf-8", "replace")
    assert "体系自评就绪度" in refreshed.stdout.decode("utf-8")
    done = run(program, "indicators", book, "--json", "--as-of", "2025-10-31", cwd=tmp_path)
    data = json.loads(done.stdout.decode("utf-8"))
    assert data["period"]["as_of"] == "2025-10-31" and data["indicators"]


def test_bad_file_is_exit_2_with_one_chinese_line(program, tmp_path):
    bad = tmp_path / "不是工作簿.xlsx"
    bad.write_text("这只是一段文字", encoding="utf-8")
    done = run(program, "check", bad, "--json", cwd=tmp_path)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert err.startswith("错误：") and err.count("\n") == 1
    assert "Traceback" not in err and done.stdout == b""


def test_ribbon_path_unknown_tag(program, tmp_path):
    done = run(
        program,
        "ribbon",
        "zap",
        "--wb=台账 1.xlsx",
        "--from_xl=1",
        "--app=x",
        "--hwnd=1",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    err = done.stderr.decode("utf-8")
    assert err.startswith("错误：加载项请求了未知的功能“zap”") and "Traceback" not in err


def test_ribbon_path_runs_the_action_through_bundled_xlwings(program, tmp_path):
    """xlwings is in the bundle; with no Excel (Linux) the action's message is on stderr."""
    done = run(
        program,
        "ribbon",
        "check",
        "--wb=台账 1.xlsx",
        "--from_xl=1",
        "--app=x",
        "--hwnd=1",
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr.decode("utf-8", "replace")
    assert done.stderr.decode("utf-8") == "请先打开履约管理台账（.xlsx），再点击功能区按钮。\n"


def test_program_builds_the_same_addin_as_the_library(program, tmp_path):
    """xlwings' VBA module and metadata are bundled: build-addin works from the program."""
    from lyue_xl.excel.addin import build_addin

    done = run(program, "build-addin", "-o", tmp_path / "exe", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    made = tmp_path / "exe" / "lyue_xl.xlam"
    assert made.read_bytes() == build_addin(tmp_path / "lib").read_bytes()


def test_program_runs_in_utf8_mode(program):
    """The interpreter option is in the program's archive (an English Windows pipes cp1252)."""
    assert b"X utf8_mode=1" in program.read_bytes()


def test_bundle_leaves_out_what_is_not_used(program):
    from PyInstaller.archive.readers import CArchiveReader

    modules = set(CArchiveReader(str(program)).open_embedded_archive("PYZ.pyz").toc)
    tops = {name.split(".")[0] for name in modules}
    assert {"lyue_xl", "xlwings", "tkinter", "matplotlib", "docx", "docxtpl"} <= tops
    assert not tops & {"pytest", "_pytest", "hypothesis", "PyQt5", "PySide6", "IPython", "mypy"}
    backends = {m for m in modules if m.startswith("matplotlib.backends.backend_")}
    assert backends == {"matplotlib.backends.backend_agg"}
    assert not {m for m in modules if m.startswith(("pandas.tests", "xlwings.pro"))}
    # every lyue_xl module is there, including those only imported lazily
    source = ROOT / "src" / "lyue_xl"
    expected = {
        ".".join(p.relative_to(source.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in source.rglob("*.py")
    }
    assert expected <= modules
    internal = program.parent / "_internal"
    assert (internal / "lyue_xl" / "excel" / "ribbon" / "customUI14.xml").is_file()
    for name in ("workbook_templates", "docx_templates"):
        if (ROOT / name).is_dir():
            assert (internal / name).is_dir()


def test_release_zip_has_everything_a_user_needs(program, tmp_path):
    import shutil
    import zipfile

    if shutil.which("soffice") is None or shutil.which("unzip") is None:
        pytest.skip("LibreOffice (quick-start PDF) and unzip are needed")
    out = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "build" / "make_release.py"),
            f"--program-dir={program.parent}",
            f"--out={out}",
        ],
        check=True,
        timeout=600,
    )
    (archive,) = out.glob("lyue-xl-*.zip")
    top = archive.stem
    with zipfile.ZipFile(archive) as release:
        names = set(release.namelist())
    # Info-ZIP's unzip, as a user would (Python's extractall drops modes and links)
    subprocess.run(["unzip", "-q", str(archive), "-d", str(tmp_path / "unzipped")], check=True)
    for name in (
        "lyue_xl/" + program.name,
        "lyue_xl.xlam",
        "安装Excel加载项.bat",
        "履约管理台账模板.xlsx",
        "快速入门.pdf",
    ):
        assert f"{top}/{name}" in names
    assert not any("/示例/.lyue-backup" in n for n in names)
    unzipped = tmp_path / "unzipped" / top
    demo_books = list((unzipped / "示例").glob("*.xlsx"))
    assert len(demo_books) == 1 and len(list((unzipped / "示例").glob("*.docx"))) >= 3
    # the program from the zip runs (modes and links kept) and the blank workbook checks clean
    unzipped_program = unzipped / "lyue_xl" / program.name
    done = run(
        unzipped_program, "check", unzipped / "履约管理台账模板.xlsx", "--json", cwd=tmp_path
    )
    assert done.returncode == 0 and json.loads(done.stdout.decode("utf-8"))["ok"] is True
    text = subprocess.run(
        ["pdftotext", str(unzipped / "快速入门.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "快速入门" in text and "安装Excel加载项.bat" in text.replace(" ", "")


def test_double_clicked_program_opens_the_window(program, display, tmp_path):
    """No arguments: the window, from the bundle's own Tcl/Tk (xdotool finds it by its title)."""
    import shutil
    import time

    if shutil.which("xdotool") is None:
        pytest.skip("xdotool is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LYUE_DEBUG")}
    window = subprocess.Popen([str(program)], cwd=tmp_path, env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        found = b""
        while not found.strip():
            assert window.poll() is None, window.stderr.read().decode("utf-8", "replace")  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "no window appeared"
            time.sleep(0.3)
            # (xdotool's --name does not match Chinese text: search the ASCII part of the title)
            found = subprocess.run(
                ["xdotool", "search", "--name", "lyue-xl"], capture_output=True
            ).stdout
        title = subprocess.run(
            ["xdotool", "getwindowname", found.split()[0]], capture_output=True, check=True
        ).stdout.decode("utf-8")
        assert title.strip() == f"履约管理台账工具 lyue-xl {__version__}"
        time.sleep(1)
        shot = screenshot(display, tmp_path / "frozen-window.png")
        assert shot.stat().st_size > 10_000
        keep_screenshot(shot)
    finally:
        window.terminate()
        window.wait(timeout=10)
