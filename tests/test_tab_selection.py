"""After a refresh exactly one sheet tab is selected, the active one (issue 13).

Several selected tabs make Excel open the sheets grouped: typing into one types into all.
LibreOffice writes ``tabSelected="false"`` on every sheet it does not select, which once read as
"selected". The sheets are read here with lxml, not with the product's code.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from helpers import make_book
from lyue_xl.refresh import refresh
from package_checks import MAIN, members, sheet_parts

FIXTURES = Path(__file__).parent / "fixtures"


def selection(path: Path) -> tuple[str, list[str]]:
    """(the active sheet's name, the names of the sheets whose view is selected)."""
    files = members(path)
    parts = sheet_parts(files)
    workbook = etree.fromstring(files["xl/workbook.xml"])
    view = workbook.find(f"{MAIN}bookViews/{MAIN}workbookView")
    active = int(view.get("activeTab", "0")) if view is not None else 0
    selected = []
    for name, part in parts.items():
        sheet_view = etree.fromstring(files[part]).find(f"{MAIN}sheetViews/{MAIN}sheetView")
        if sheet_view is not None and sheet_view.get("tabSelected") in ("1", "true"):
            selected.append(name)
    return list(parts)[active], selected


def select_sheet(path: Path, wanted: str) -> None:
    """Make ``wanted`` the active and only selected sheet, as a user clicking its tab would."""
    files = members(path)
    parts = sheet_parts(files)
    names = list(parts)
    workbook = files["xl/workbook.xml"].decode()
    if "activeTab=" in workbook:
        workbook = re.sub(r'activeTab="\d+"', f'activeTab="{names.index(wanted)}"', workbook)
    else:
        workbook = workbook.replace(
            "<workbookView ", f'<workbookView activeTab="{names.index(wanted)}" '
        )
    files["xl/workbook.xml"] = workbook.encode()
    for name, part in parts.items():
        text = re.sub(r'\stabSelected="[^"]*"', "", files[part].decode())
        if name == wanted:
            text = text.replace("<sheetView ", '<sheetView tabSelected="1" ', 1)
        files[part] = text.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


@pytest.fixture(params=["lo_template", "template"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "template":
        return make_book(tmp_path)
    return Path(shutil.copyfile(FIXTURES / "lo_template.xlsx", tmp_path / "台账.xlsx"))


def test_refresh_leaves_only_the_active_sheet_selected(book: Path) -> None:
    active, selected = selection(book)
    assert (active, selected) == ("使用说明", ["使用说明"])
    refresh(book)
    assert selection(book) == ("使用说明", ["使用说明"])
    refresh(book)  # the second refresh replaces sheets the first one wrote
    assert selection(book) == ("使用说明", ["使用说明"])


def test_a_selected_engine_sheet_stays_the_selected_one(book: Path) -> None:
    select_sheet(book, "预警清单")
    assert selection(book) == ("预警清单", ["预警清单"])
    refresh(book)
    assert selection(book) == ("预警清单", ["预警清单"])


def test_lo_fixture_marks_unselected_sheets_false() -> None:
    """The fixture shows what the bug needed: LibreOffice's explicit "false" on other sheets."""
    files = members(FIXTURES / "lo_template.xlsx")
    views = [
        etree.fromstring(files[part]).find(f"{MAIN}sheetViews/{MAIN}sheetView").get("tabSelected")
        for part in sheet_parts(files).values()
    ]
    assert views.count("true") == 1 and views.count("false") == len(views) - 1
