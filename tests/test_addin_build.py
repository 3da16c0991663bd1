"""lyue_xl.xlam: reproducible, an add-in package with the ribbon part, VBA readable by olevba."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from oletools.olevba import VBA_Parser

from lyue_xl.excel.addin import (
    ADDIN_CONTENT_TYPE,
    UI_PART,
    UI_RELATIONSHIP,
    AddinBuildError,
    addin_modules,
    build_addin,
    code_page_safe,
    xlwings_module_source,
)
from lyue_xl.excel.ribbon import CUSTOM_UI, DISPATCHER
from vba_reference import TEMPLATE, xlwings_dir

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("a"))


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def test_two_builds_are_byte_identical(addin: Path, tmp_path: Path) -> None:
    again = build_addin(tmp_path / "again")
    assert again.name == addin.name == "lyue_xl.xlam"
    assert again.read_bytes() == addin.read_bytes()


def test_zip_entries_have_fixed_order_and_time(addin: Path) -> None:
    with zipfile.ZipFile(addin) as z:
        infos = z.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert infos[-1].filename == UI_PART
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert z.testzip() is None


def test_package_is_a_macro_enabled_addin_with_ribbon(addin: Path) -> None:
    with zipfile.ZipFile(addin) as z:
        types = etree.fromstring(z.read("[Content_Types].xml"))
        workbook_type = types.find(f"{CT}Override[@PartName='/xl/workbook.xml']").get("ContentType")
        assert workbook_type == ADDIN_CONTENT_TYPE
        assert types.find(f"{CT}Default[@Extension='xml']").get("ContentType") == "application/xml"
        rels = etree.fromstring(z.read("_rels/.rels"))
        ui = [r for r in rels if r.get("Type") == UI_RELATIONSHIP]
        assert [r.get("Target") for r in ui] == [UI_PART]
        assert len({r.get("Id") for r in rels}) == len(rels)
        assert z.read(UI_PART) == CUSTOM_UI.read_bytes()
        workbook = etree.fromstring(z.read("xl/workbook.xml"))
        assert workbook.find(f"{MAIN}workbookPr").get("codeName") == "ThisWorkbook"
        sheet = etree.fromstring(z.read("xl/worksheets/sheet1.xml"))
        assert sheet.find(f"{MAIN}sheetPr").get("codeName") == "Sheet1"
        core = z.read("docProps/core.xml").decode()
        assert '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z' in core


def _olevba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_olevba_reads_every_module_exactly(addin: Path) -> None:
    found = _olevba_modules(addin)
    expected = {m.name: m.source for m in addin_modules()}
    assert set(found) == set(expected) == {"ThisWorkbook", "Sheet1", "xlwings", "LyueRibbon"}
    for name, source in expected.items():
        assert _lf(found[name]) == _lf(source), name


def test_dispatcher_is_our_bas_text(addin: Path) -> None:
    stored = _lf(_olevba_modules(addin)["LyueRibbon"]).split("\n")
    repo = DISPATCHER.read_text(encoding="utf-8").split("\n")
    assert len(stored) == len(repo)
    for ours, theirs in zip(repo, stored, strict=True):
        if ours.isascii():
            assert theirs == ours
        else:
            assert "ChrW(&H" in theirs and theirs.isascii()


def test_xlwings_module_is_the_templates_with_our_project_name(addin: Path) -> None:
    template = _olevba_modules(xlwings_dir() / TEMPLATE)["xlwings"]
    built = _olevba_modules(addin)["xlwings"]
    diff = [
        (a, b)
        for a, b in zip(_lf(template).split("\n"), _lf(built).split("\n"), strict=True)
        if a != b
    ]
    assert diff == [
        (
            'Public Const PROJECT_NAME As String = "myaddin"',
            'Public Const PROJECT_NAME As String = "lyue_xl"',
        )
    ]
    assert "xlwings is distributed under a BSD 3-clause license." in built
    assert 'Public Const XLWINGS_VERSION As String = "0.37.8"' in built


def test_xlwings_config_lookup_keys_on_project_name() -> None:
    """What the installer relies on: xlwings' VBA builds its config names from PROJECT_NAME."""
    source = _lf(xlwings_module_source())
    assert 'Environ("USERPROFILE") & "\\." & PROJECT_NAME & "\\" & PROJECT_NAME & ".conf"' in source
    assert 'wb.Sheets(PROJECT_NAME & ".conf")' in source
    assert 'pathSeparator & PROJECT_NAME & ".conf"' in source


def test_code_page_safe_turns_chinese_literals_into_chrw() -> None:
    assert code_page_safe('x = "履约" & y\n') == "x = ChrW(&H5C65) & ChrW(&H7EA6) & y\r\n"
    assert code_page_safe('MsgBox "a中b"') == 'MsgBox "a" & ChrW(&H4E2D) & "b"'
    assert code_page_safe('s = """中"""') == 's = """" & ChrW(&H4E2D) & """"'


@pytest.mark.parametrize(
    "bad",
    ["' 中文注释", 'Private Const T As String = "中"', "Dim 名称 As String", 'x = "\U0001f600"'],
)
def test_code_page_safe_refuses_chinese_elsewhere(bad: str) -> None:
    with pytest.raises(AddinBuildError):
        code_page_safe(bad)


def test_every_module_is_ascii_with_crlf() -> None:
    for module in addin_modules():
        assert module.source.isascii(), module.name
        assert re.search(r"(?<!\r)\n", module.source) is None, module.name
