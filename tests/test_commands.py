"""The command table (lyue_xl.commands) against every surface: a command added to one surface
and not declared, or declared for a surface that lacks it, fails here."""

from __future__ import annotations

import re

from lxml import etree

from lyue_xl import commands, gui
from lyue_xl.cli import build_parser
from lyue_xl.documents import DOCUMENT_KINDS
from lyue_xl.excel import actions
from lyue_xl.excel.ribbon import ACTIONS as RIBBON_ACTIONS
from lyue_xl.excel.ribbon import CUSTOM_UI, DISPATCHER

NS = "{http://schemas.microsoft.com/office/2009/07/customui}"


def _subcommands() -> dict[str, str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return {name: p.description or "" for name, p in sub.choices.items()}  # type: ignore[attr-defined]


def test_cli_subcommands_are_the_declared_ones_with_their_help() -> None:
    assert _subcommands() == {c.cli: c.summary for c in commands.COMMANDS if c.cli}


def test_window_buttons_are_the_declared_ones_in_order() -> None:
    assert {c.key: c.label for c in commands.COMMANDS if c.window} == gui.ACTIONS
    for key in gui.ACTIONS:  # every button has a handler in the controller
        assert callable(getattr(gui.Controller, f"_{key}")), key


def test_ribbon_xml_buttons_are_the_declared_ones_in_their_groups() -> None:
    ui = etree.fromstring(CUSTOM_UI.read_bytes())
    groups = {
        g.get("label"): [(b.get("tag"), b.get("label")) for b in g.findall(f"{NS}button")]
        for g in ui.iter(f"{NS}group")
    }
    assert list(groups) == list(commands.RIBBON_GROUPS)
    assert groups == {
        group: [(key, commands.BY_KEY[key].label) for key in keys]
        for group, keys in commands.ribbon_layout().items()
    }
    assert {c.key: c.label for c in commands.ribbon_order()} == RIBBON_ACTIONS


def test_vba_dispatcher_lists_the_ribbon_tags() -> None:
    source = DISPATCHER.read_text(encoding="utf-8")
    match = re.search(r'Const LYUE_ACTIONS As String = "([^"]*)"', source)
    assert match is not None
    assert match.group(1).split(" ") == [c.key for c in commands.ribbon_order()]


def test_every_ribbon_command_runs_and_has_help() -> None:
    ribbon = {c.key for c in commands.COMMANDS if c.ribbon}
    assert set(actions.ACTIONS) | set(actions.ASKING) == ribbon
    assert set(actions.HELP_LINES) == ribbon
    assert all(len(actions.HELP_LINES[k]) >= 5 for k in ribbon)


def test_documents_are_declared_once() -> None:
    declared = {c.key: c.label.removeprefix("生成") for c in commands.DOCUMENTS}
    assert declared == DOCUMENT_KINDS  # the documents package
    assert declared == actions.DOCUMENT_NAMES  # the ribbon's messages
    assert set(gui.DOCUMENTS) == set(declared)  # the window
    cli = _subcommands()
    for c in commands.DOCUMENTS:  # on the command line and the ribbon's 文档 group
        assert c.cli in cli and c.ribbon == "文档", c.key


def test_writes_workbook_is_true_exactly_for_the_commands_that_change_it() -> None:
    assert {c.key for c in commands.COMMANDS if c.writes_workbook} == {
        "refresh",
        "import",
        "fix_types",
    }


def test_keys_and_labels_are_unique() -> None:
    keys = [c.key for c in commands.COMMANDS]
    labels = [c.label for c in commands.COMMANDS]
    assert len(set(keys)) == len(keys) and len(set(labels)) == len(labels)
    assert all(re.search(r"[\u4e00-\u9fff]", c.label + c.produces) for c in commands.COMMANDS)
