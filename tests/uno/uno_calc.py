"""Run by Debian's python3 (python3-uno): open a workbook in headless LibreOffice, recalculate
everything, and print the values of the requested cells as JSON.

usage: python3 uno_calc.py WORKBOOK SHEET!A1 [SHEET!B2 ...]
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import uno  # type: ignore[import-not-found]  # first: makes com.sun.star importable
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def main():
    path, cells = sys.argv[1], sys.argv[2:]
    pipe = "lyue" + uuid.uuid4().hex[:8]
    profile = tempfile.mkdtemp(prefix="lo-calc-")
    # Recalculate OOXML files on load without asking (a prompt makes a headless load fail).
    os.makedirs(os.path.join(profile, "user"))
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as xcu:
        xcu.write(RECALC_ALWAYS)
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        # Work on a copy so LibreOffice's lock file never lands beside the caller's workbook.
        copy = os.path.join(profile, "book.xlsx")
        shutil.copyfile(path, copy)
        url = uno.systemPathToFileUrl(copy)
        doc = None
        for _ in range(20):  # the first load can fail while a fresh profile initialises
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            if doc is not None:
                break
            time.sleep(1)
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {path}")
        doc.calculateAll()
        out = {}
        for ref in cells:
            sheet_name, address = ref.rsplit("!", 1)
            cell = doc.Sheets.getByName(sheet_name).getCellRangeByName(address)
            kind = cell.Type.value  # EMPTY, VALUE, TEXT, FORMULA
            if kind == "FORMULA":
                # FormulaResultType2: 1 = VALUE, 2 = TEXT (com.sun.star.sheet.FormulaResult)
                out[ref] = cell.String if cell.FormulaResultType2 == 2 else cell.Value
                if cell.getError():
                    out[ref] = f"#ERR{cell.getError()}"
            elif kind == "TEXT":
                out[ref] = cell.String
            elif kind == "VALUE":
                out[ref] = cell.Value
            else:
                out[ref] = None
        doc.close(True)
        print(json.dumps(out, ensure_ascii=False))
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        office.terminate()
        try:
            office.wait(10)
        except Exception:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
