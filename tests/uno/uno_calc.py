"""Run by Debian's python3 (python3-uno): open a workbook in headless LibreOffice, recalculate
everything, and print the values of the requested cells as JSON.

usage: python3 uno_calc.py WORKBOOK SHEET!A1 [SHEET!B2 ...]
"""

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from office import office, prop

# Recalculate OOXML files on load without asking (a prompt makes a headless load fail).
RECALC_ALWAYS = [("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "0")]


def cell_value(cell):
    kind = cell.Type.value  # EMPTY, VALUE, TEXT, FORMULA
    if kind == "FORMULA":
        if cell.getError():
            return f"#ERR{cell.getError()}"
        # FormulaResultType2: 1 = VALUE, 2 = TEXT (com.sun.star.sheet.FormulaResult)
        return cell.String if cell.FormulaResultType2 == 2 else cell.Value
    if kind == "TEXT":
        return cell.String
    if kind == "VALUE":
        return cell.Value
    return None


def main():
    path, cells = sys.argv[1], sys.argv[2:]
    folder = tempfile.mkdtemp(prefix="lo-calc-")
    try:
        # Work on a copy so LibreOffice's lock file never lands beside the caller's workbook.
        copy = Path(folder) / "book.xlsx"
        shutil.copyfile(path, copy)
        with office(RECALC_ALWAYS) as desktop:
            doc = None
            for _ in range(20):  # the first load can fail while a fresh profile initialises
                doc = desktop.loadComponentFromURL(
                    copy.as_uri(), "_blank", 0, (prop("Hidden", True),)
                )
                if doc is not None:
                    break
                time.sleep(1)
            if doc is None:
                raise SystemExit(f"LibreOffice could not open {path}")
            doc.calculateAll()
            out = {}
            for ref in cells:
                sheet_name, address = ref.rsplit("!", 1)
                out[ref] = cell_value(doc.Sheets.getByName(sheet_name).getCellRangeByName(address))
            doc.close(True)
        print(json.dumps(out, ensure_ascii=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
