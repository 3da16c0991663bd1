"""Open a workbook in headless LibreOffice over python-uno and run VBA functions in it.

Run with the system Python that has uno (``/usr/bin/python3``):
    python3 lo_vba_run.py WORKBOOK PROFILE_DIR [--without MODULE] FUNCTION [FUNCTION ...]
Prints one JSON object: the document's Basic libraries and their modules, and each function's
result (called through the document's script provider, as a macro of the document) — first as
loaded, then, with ``--without``, after removing MODULE from the library in LibreOffice's memory.

Why ``--without``: LibreOffice's Basic scanner skips ``#If``/``#Else``/``#End If`` lines instead
of evaluating them (basic/source/comp/scanner.cxx), so it compiles both branches; xlwings' module
declares some functions once per branch (``#If App = "Microsoft Excel" Then / Function
GetUdfModules(... As Workbook) / #Else / Function GetUdfModules(... As Variant)``), which is a
compile error there, and LibreOffice then runs no macro of that library at all.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno  # first: it makes the com.sun.star modules importable
from com.sun.star.beans import PropertyValue

FILTER = "Calc MS Excel 2007 VBA XML"
ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode

SETTINGS = [  # (configuration path, property, value) written into the fresh profile
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "0"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "false"),
    ("/org.openoffice.Office.Calc/Filter/Import/VBA", "Load", "true"),
    ("/org.openoffice.Office.Calc/Filter/Import/VBA", "Executable", "true"),
]


def registry() -> str:
    """registrymodifications.xcu allowing the document's VBA to load and run."""
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for path, name, value in SETTINGS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n"
    )


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe: str, timeout: float) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def call_all(doc: object, project: str, functions: list[str]) -> dict[str, object]:
    provider = doc.getScriptProvider()
    results: dict[str, object] = {}
    for function in functions:
        uri = f"vnd.sun.star.script:{project}.{function}?language=Basic&location=document"
        try:
            value, _, _ = provider.getScript(uri).invoke((), (), ())
            results[function] = value
        except Exception as error:  # report what LibreOffice said, do not hide it
            results[function] = f"ERROR {type(error).__name__}: {error}"
    return results


def main() -> int:
    workbook, profile, functions = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    without = None
    if functions[:1] == ["--without"]:
        without, functions = functions[1], functions[2:]
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(registry(), encoding="utf-8")
    pipe = f"lyue_{uuid.uuid4().hex}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    result: dict[str, object] = {}
    desktop = None
    try:
        context = connect(pipe, 60)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        args = (
            prop("FilterName", FILTER),
            prop("Hidden", True),
            prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN),
        )
        doc = desktop.loadComponentFromURL(workbook.resolve().as_uri(), "_blank", 0, args)
        libraries = doc.BasicLibraries
        result["libraries"] = {}
        for name in libraries.getElementNames():
            libraries.loadLibrary(name)
            library = libraries.getByName(name)
            result["libraries"][name] = sorted(library.getElementNames())
        result["vba_mode"] = bool(libraries.VBACompatibilityMode)
        project = next((n for n in result["libraries"] if n != "Standard"), "Standard")
        result["calls"] = call_all(doc, project, functions)
        if without:
            libraries.getByName(project).removeByName(without)
            result["calls_without"] = call_all(doc, project, functions)
        doc.close(True)
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):
                desktop.terminate()
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
