"""A damaged XML part always gets one clear Chinese line and leaves the file untouched
(issues 15 and 18): every part kind × every kind of damage, for refresh and the read commands.

The commands run in-process through ``lyue_xl.cli.main`` (its exit code and stderr are what the
command line shows); a few run as real subprocesses too.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.worksheet.table import Table

from helpers import make_book, put_rows, run_cli, set_items, sha256
from lyue_xl.cli import main
from package_checks import MAIN, members, rels_of, sheet_parts

ROOT_TAG = re.compile(rb"<[A-Za-z_][^>]*>")


def _after_root(data: bytes, insert: bytes) -> bytes:
    found = ROOT_TAG.search(data)
    assert found is not None and not found.group().endswith(b"/>")
    return data[: found.end()] + insert + data[found.end() :]


def _utf16(data: bytes) -> bytes:
    declaration = re.match(rb"<\?xml[^>]*\?>", data)
    if declaration is None:
        return b'<?xml version="1.0" encoding="UTF-16"?>' + data
    fixed = re.sub(rb"""encoding=["'][^"']*["']""", b'encoding="UTF-16"', declaration.group())
    if b"encoding" not in fixed:
        fixed = fixed.replace(b"?>", b' encoding="UTF-16"?>')
    return fixed + data[declaration.end() :]


def _duplicated_attribute(data: bytes) -> bytes:
    found = ROOT_TAG.search(data)
    assert found is not None
    name_end = found.start() + re.match(rb"<[^\s/>]+", found.group()).end()  # type: ignore[union-attr]
    return data[:name_end] + b' lyue="1" lyue="2"' + data[name_end:]


DAMAGE = {
    "invalid-xml": lambda data: data[: len(data) // 2],
    "utf16-declaration": _utf16,
    "undefined-entity": lambda data: _after_root(data, b"&nbsp;"),
    "unbound-prefix": lambda data: _after_root(data, b"<zz:x/>"),
    "duplicated-attribute": _duplicated_attribute,
    "nul-byte": lambda data: _after_root(data, b"\x00"),
}


def build_base(path: Path) -> Path:
    """A filled record workbook with a comment, a table, a chart and shared strings."""
    make_book(path.parent, path.name)
    set_items(path, "设置", {"基准日期": date(2025, 6, 30)})
    put_rows(
        path,
        "合同台账",
        [
            {
                "合同编号": "K1",
                "合同名称": "甲",
                "合同性质": "收入性",
                "签订日期": date(2025, 1, 2),
            },
            {
                "合同编号": "K2",
                "合同名称": "乙",
                "合同性质": "支出性",
                "签订日期": date(2025, 2, 3),
            },
        ],
    )
    book = openpyxl.load_workbook(path)
    book["合同台账"]["A1"].comment = Comment("台账说明", "管理员")
    extra = book.create_sheet("统计")
    for row in [("月份", "金额"), ("1月", 10), ("2月", 20), ("3月", 15)]:
        extra.append(row)
    extra.add_table(Table(displayName="月度统计", ref="A1:B4"))
    chart = BarChart()
    chart.add_data(Reference(extra, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    extra.add_chart(chart, "D2")
    book.save(path)
    share_strings(path, "合同台账")
    return path


def share_strings(path: Path, sheet: str) -> None:
    """Move ``sheet``'s inline strings into a shared-string table, as Excel and WPS save text."""
    files = members(path)
    part = sheet_parts(files)[sheet]
    root = etree.fromstring(files[part])
    table = etree.Element(MAIN + "sst", nsmap={None: MAIN[1:-1]})
    for cell in root.iter(MAIN + "c"):
        if cell.get("t") == "inlineStr":
            inline = cell.find(MAIN + "is")
            item = etree.SubElement(table, MAIN + "si")
            item.extend(list(inline))
            cell.remove(inline)
            cell.set("t", "s")
            etree.SubElement(cell, MAIN + "v").text = str(len(table) - 1)
    files[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    files["xl/sharedStrings.xml"] = etree.tostring(table, xml_declaration=True, encoding="UTF-8")
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
        b'-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("base") / "台账.xlsx")


def part_kinds(base: Path) -> dict[str, tuple[str, str | None]]:
    """Part kind -> (part name, the sheet it belongs to or None), found by independent reading."""
    files = members(base)
    sheets = sheet_parts(files)
    contracts, extra = sheets["合同台账"], sheets["统计"]
    targets = {kind: target for _, kind, target in rels_of(files, contracts)}
    extra_targets = {kind: target for _, kind, target in rels_of(files, extra)}
    drawing = extra_targets["drawing"]
    folder, name = drawing.rsplit("/", 1)
    return {
        "content-types": ("[Content_Types].xml", None),
        "package-rels": ("_rels/.rels", None),
        "workbook": ("xl/workbook.xml", None),
        "workbook-rels": ("xl/_rels/workbook.xml.rels", None),
        "shared-strings": ("xl/sharedStrings.xml", None),
        "styles": ("xl/styles.xml", None),
        "record-sheet": (contracts, "合同台账"),
        "sheet-rels": (contracts.replace("worksheets/", "worksheets/_rels/") + ".rels", "合同台账"),
        "comments": (targets["comments"], "合同台账"),
        "table": (extra_targets["table"], "统计"),
        "drawing": (drawing, "统计"),
        "drawing-rels": (f"{folder}/_rels/{name}.rels", "统计"),
        "core-properties": ("docProps/core.xml", None),
    }


def damage(base: Path, target: Path, part: str, how: str) -> Path:
    shutil.copyfile(base, target)
    with zipfile.ZipFile(base) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    assert part in {info.filename for info, _ in parts}, part
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, DAMAGE[how](data) if info.filename == part else data)
    return target


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def one_chinese_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err and "程序内部错误" not in err, err
    assert re.search(r"[\u4e00-\u9fff]", err), err
    return err


KINDS = [
    "content-types",
    "package-rels",
    "workbook",
    "workbook-rels",
    "shared-strings",
    "styles",
    "record-sheet",
    "sheet-rels",
    "comments",
    "table",
    "drawing",
    "drawing-rels",
    "core-properties",
]


@pytest.mark.parametrize("how", sorted(DAMAGE))
@pytest.mark.parametrize("kind", KINDS)
def test_refresh_refuses_a_damaged_part(base, tmp_path, capsys, kind, how):
    part, sheet = part_kinds(base)[kind]
    book = damage(base, tmp_path / "台账.xlsx", part, how)
    before = sha256(book)
    listing = sorted(p.name for p in tmp_path.iterdir())
    code, err = run(capsys, "refresh", book)
    assert code == 2, err
    line = one_chinese_line(err)
    assert "已损坏" in line or "无法读取" in line, line
    assert sha256(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    if "已损坏：" in line:  # the integrity check's message: it names the part and its sheet
        assert f"（{part}）" in line or f"“{part}”" in line, line
        if sheet is not None:
            assert f"“{sheet}”（{part}）" in line, line
    else:  # only when the workbook's structure itself cannot be read
        assert kind in {"content-types", "package-rels", "workbook", "workbook-rels"}, line


@pytest.mark.parametrize("kind", KINDS)
def test_read_commands_never_fail_internally(base, tmp_path, capsys, kind):
    part, _ = part_kinds(base)[kind]
    for index, how in enumerate(sorted(DAMAGE)):
        if (index + KINDS.index(kind)) % 2:  # half of the damage kinds per part, all overall
            continue
        book = damage(base, tmp_path / f"{how}.xlsx", part, how)
        before = sha256(book)
        for command in ("check", "indicators", "alerts"):
            code, err = run(capsys, command, book)
            assert code in (0, 1, 2), (command, how, err)
            if code == 2:
                one_chinese_line(err)
            assert sha256(book) == before


def test_record_sheet_message_names_the_sheet_and_part(base, tmp_path, capsys):
    part, _ = part_kinds(base)["record-sheet"]
    book = damage(base, tmp_path / "台账.xlsx", part, "undefined-entity")
    code, err = run(capsys, "indicators", book)
    assert code == 0  # python-calamine reads the values leniently …
    code, err = run(capsys, "refresh", book)
    assert code == 2
    assert err == (  # … but a refresh would pass the damage on: refused
        f"错误：工作簿“台账.xlsx”已损坏：“合同台账”（{part}）无法读取，工作簿未被修改。"
        "请在 Excel 中打开并另存后再试，或使用 .lyue-backup 中的备份。\n"
    )


def test_intact_base_refreshes(base, tmp_path, capsys):
    book = shutil.copyfile(base, tmp_path / "台账.xlsx")
    code, err = run(capsys, "refresh", book)
    assert (code, err) == (0, "")
    assert (
        members(book)[part_kinds(base)["comments"][0]]
        == members(base)[part_kinds(base)["comments"][0]]
    )


@pytest.mark.parametrize("kind", ["shared-strings", "drawing-rels", "core-properties"])
def test_command_line_process(base, tmp_path, kind):
    part, _ = part_kinds(base)[kind]
    book = damage(base, tmp_path / "台账.xlsx", part, "nul-byte")
    before = sha256(book)
    code, out, err = run_cli("refresh", book)
    assert code == 2 and out == ""
    assert f"“{part}”" in one_chinese_line(err) or f"（{part}）" in err
    assert sha256(book) == before
