"""README stays in step with the code: the schema table and every CLI command."""

from __future__ import annotations

from pathlib import Path

from lyue_xl import schema
from lyue_xl.cli import COMMANDS, build_parser
from lyue_xl.schema_doc import markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_schema_table_is_generated_from_the_schema() -> None:
    text = README.read_text(encoding="utf-8")
    assert markdown() in text, "运行 python build/update_readme.py 更新 README"
    for sheet in schema.SHEETS:
        assert f"| {sheet.name} | {sheet.clause} |" in text


def test_readme_documents_every_cli_command() -> None:
    text = README.read_text(encoding="utf-8")
    parser_commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert parser_commands == set(COMMANDS)
    for command in COMMANDS:
        assert f"lyue-xl {command}" in text, command
