"""customUI14.xml: valid 2009/07 customui, one callback, tags equal to ACTIONS."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from lyue_xl.commands import ribbon_layout
from lyue_xl.excel.ribbon import ACTIONS, CUSTOM_UI, DISPATCHER

NS = "http://schemas.microsoft.com/office/2009/07/customui"

# Elements and attributes used here, as documented for the 2009/07 customUI schema
# ([MS-CUSTOMUI2]: CT_CustomUI, CT_Ribbon, CT_Tabs, CT_Tab, CT_Group, CT_Button).
ALLOWED: dict[str, set[str]] = {
    "customUI": {"onLoad", "loadImage"},
    "ribbon": {"startFromScratch"},
    "tabs": set(),
    "tab": {"id", "idQ", "idMso", "tag", "label", "getLabel", "keytip", "visible",
            "getVisible", "insertAfterMso", "insertBeforeMso", "insertAfterQ",
            "insertBeforeQ"},
    "group": {"id", "idQ", "idMso", "tag", "label", "getLabel", "image", "imageMso",
              "keytip", "visible", "getVisible", "insertAfterMso", "insertBeforeMso",
              "screentip", "supertip", "autoScale", "centerVertically"},
    "button": {"id", "idQ", "idMso", "tag", "label", "getLabel", "image", "imageMso",
               "getImage", "size", "getSize", "onAction", "enabled", "getEnabled",
               "description", "getDescription", "screentip", "getScreentip", "supertip",
               "getSupertip", "keytip", "getKeytip", "visible", "getVisible", "showLabel",
               "showImage", "insertAfterMso", "insertBeforeMso"},
}  # fmt: skip
CHILDREN = {"customUI": {"ribbon"}, "ribbon": {"tabs"}, "tabs": {"tab"}, "tab": {"group"},
            "group": {"button"}, "button": set()}  # fmt: skip


@pytest.fixture(scope="module")
def ui() -> etree._Element:
    return etree.fromstring(CUSTOM_UI.read_bytes())


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def test_root_is_customui_2009(ui: etree._Element) -> None:
    assert ui.tag == f"{{{NS}}}customUI"


def test_only_schema_elements_and_attributes(ui: etree._Element) -> None:
    for element in ui.iter(etree.Element):
        assert etree.QName(element).namespace == NS, element.tag
        name = _local(element)
        assert name in ALLOWED, name
        assert set(element.attrib) <= ALLOWED[name], (name, set(element.attrib) - ALLOWED[name])
        assert {_local(c) for c in element.iterchildren(etree.Element)} <= CHILDREN[name]


def test_ids_are_unique(ui: etree._Element) -> None:
    ids = [e.get("id") for e in ui.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_tab_groups_and_buttons(ui: etree._Element) -> None:
    tabs = ui.findall(f".//{{{NS}}}tab")
    assert [t.get("label") for t in tabs] == ["履约管理"]
    layout = {
        g.get("label"): [b.get("tag") for b in g.findall(f"{{{NS}}}button")]
        for g in tabs[0].findall(f"{{{NS}}}group")
    }
    assert layout == ribbon_layout()  # the command table decides
    assert layout == {
        "数据": ["new", "check", "import", "fix_types"],
        "指标": ["refresh"],
        "文档": ["manual", "audit_pack", "report", "review_input", "audit_kit"],
        "帮助": ["help"],
    }


def test_buttons_match_actions_both_ways(ui: etree._Element) -> None:
    buttons = ui.findall(f".//{{{NS}}}button")
    assert {b.get("tag"): b.get("label") for b in buttons} == ACTIONS
    assert len(buttons) == len(ACTIONS)


def test_every_button_is_complete(ui: etree._Element) -> None:
    for button in ui.findall(f".//{{{NS}}}button"):
        assert button.get("size") == "large"
        assert re.fullmatch(r"[A-Za-z]+", button.get("imageMso") or "")
        assert button.get("screentip") == button.get("label")
        supertip = button.get("supertip") or ""
        assert len(supertip) >= 15 and re.search(r"[\u4e00-\u9fff]", supertip)


def _vba_subs(source: str) -> dict[str, str]:
    pattern = r"^(?:Public\s+)?Sub\s+(\w+)\s*\(([^)]*)\)"
    return dict(re.findall(pattern, source, re.MULTILINE | re.IGNORECASE))


def test_every_on_action_is_a_ribbon_callback_in_our_bas(ui: etree._Element) -> None:
    subs = _vba_subs(DISPATCHER.read_text(encoding="utf-8"))
    callbacks = {e.get("onAction") for e in ui.iter() if e.get("onAction")}
    assert callbacks == {"LyueRibbon_OnAction"}
    for callback in callbacks:
        assert re.fullmatch(r"control As IRibbonControl", subs[callback].strip())


def test_callback_reads_the_tag() -> None:
    source = DISPATCHER.read_text(encoding="utf-8")
    body = source.split("Sub LyueRibbon_OnAction", 1)[1].split("End Sub", 1)[0]
    assert "control.Tag" in body


def test_bas_action_list_equals_actions() -> None:
    source = DISPATCHER.read_text(encoding="utf-8")
    match = re.search(r'Const LYUE_ACTIONS As String = "([^"]*)"', source)
    assert match is not None
    assert match.group(1).split(" ") == list(ACTIONS)


def test_bas_runs_the_exe_or_python_with_the_tag() -> None:
    source = DISPATCHER.read_text(encoding="utf-8")
    assert 'RunFrozenPython exe, "ribbon " & action' in source
    assert (
        'RunPython "import lyue_xl.excel.actions as a; a.run_from_excel(\'" & action & "\')"'
        in source
    )
