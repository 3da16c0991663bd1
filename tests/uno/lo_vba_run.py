"""Open a workbook in headless LibreOffice over python-uno and run VBA functions in it.

Run with the system Python that has uno (``/usr/bin/python3``):
    python3 lo_vba_run.py WORKBOOK [--without MODULE] FUNCTION [FUNCTION ...]
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

import json
import sys
from pathlib import Path

from office import office, prop

FILTER = "Calc MS Excel 2007 VBA XML"
ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode

SETTINGS = [  # (configuration path, property, value) letting the document's VBA load and run
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "0"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "false"),
    ("/org.openoffice.Office.Calc/Filter/Import/VBA", "Load", "true"),
    ("/org.openoffice.Office.Calc/Filter/Import/VBA", "Executable", "true"),
]


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
    workbook, functions = Path(sys.argv[1]), sys.argv[2:]
    without = None
    if functions[:1] == ["--without"]:
        without, functions = functions[1], functions[2:]
    result: dict[str, object] = {}
    with office(SETTINGS) as desktop:
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
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
