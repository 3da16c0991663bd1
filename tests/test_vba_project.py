"""The VBA project we write has the records, streams and PROJECT lines of xlwings' template."""

from __future__ import annotations

import struct

import pytest

from lyue_xl.excel.addin import PROJECT_NAME, addin_modules
from lyue_xl.excel.vba.compression import decompress
from lyue_xl.excel.vba.project import (
    Module,
    build_vba_project,
    decrypt,
    encrypt,
    project_id,
)
from vba_reference import dir_records, module_offsets, open_ole, split_dir, template_vba


@pytest.fixture(scope="module")
def ours() -> bytes:
    return build_vba_project(PROJECT_NAME, addin_modules())


def test_dir_records_follow_xlwings_order(ours: bytes) -> None:
    mine, theirs = split_dir(dir_records(ours)), split_dir(dir_records(template_vba()))
    assert mine["information"] == theirs["information"]
    assert mine["modules_header"] == theirs["modules_header"] == [0x000F, 0x0013]
    assert mine["end"] == theirs["end"] == [0x0010]
    module_types = (0x0021, 0x0022)
    shape = {tuple(0 if r in module_types else r for r in m) for m in theirs["modules"]}
    assert len(shape) == 1  # xlwings writes every module the same way
    for module in mine["modules"]:
        assert tuple(0 if r in module_types else r for r in module) in shape


def test_references_are_xlwings_office_reference(ours: bytes) -> None:
    """We keep xlwings' Office reference (IRibbonControl), not its unused MSForms one."""
    mine, theirs = dir_records(ours), dir_records(template_vba())
    assert split_dir(mine)["references"] == [0x0016, 0x003E, 0x000D]
    assert split_dir(theirs)["references"][-3:] == [0x0016, 0x003E, 0x000D]
    libid = {r.rid: r.data for r in mine}[0x000D]
    their_libid = [r.data for r in theirs if r.rid == 0x000D][-1]
    guid = b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
    assert guid in libid and guid in their_libid
    size = struct.unpack_from("<I", libid)[0]
    assert len(libid) == 4 + size + 6


def test_module_records_name_every_stream(ours: bytes) -> None:
    records = dir_records(ours)
    offsets = module_offsets(records)
    assert offsets == {"ThisWorkbook": 0, "Sheet1": 0, "xlwings": 0, "LyueRibbon": 0}
    types = [r.rid for r in records if r.rid in (0x0021, 0x0022)]
    assert types == [0x0022, 0x0022, 0x0021, 0x0021]  # document, document, standard, standard
    count = {r.rid: r.data for r in records}[0x000F]
    assert struct.unpack("<H", count)[0] == 4


def test_vba_project_stream_is_source_only(ours: bytes) -> None:
    ole = open_ole(ours)
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    assert open_ole(template_vba()).openstream("VBA/_VBA_PROJECT").read()[:4] == bytes.fromhex(
        "CC61FFFF"
    )


def _project_lines(vba: bytes) -> list[str]:
    return open_ole(vba).openstream("PROJECT").read().decode("cp1252").split("\r\n")


def _keys(lines: list[str]) -> list[str]:
    """Line keys, with the module lines (Document=/Module=/Class=) folded into one."""
    keys: list[str] = []
    for line in lines:
        key = line.split("=", 1)[0] if "=" in line else line
        if key in ("Document", "Module", "Class"):
            key = "<modules>"
        if key == "<modules>" and keys and keys[-1] == "<modules>":
            continue
        keys.append(key)
    return keys


def test_project_stream_key_lines_match_xlwings(ours: bytes) -> None:
    mine, theirs = _project_lines(ours), _project_lines(template_vba())
    workspace_mine = mine.index("[Workspace]")
    workspace_theirs = theirs.index("[Workspace]")
    assert _keys(mine[: workspace_mine + 1]) == _keys(theirs[: workspace_theirs + 1])
    assert mine[-2:] == theirs[-2:] == ["", ""]  # the stream ends with a blank line
    host = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
    assert host in mine and host in theirs
    assert f'Name="{PROJECT_NAME}"' in mine
    assert mine[1:5] == [
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Module=xlwings",
        "Module=LyueRibbon",
    ]
    assert [line.split("=")[0] for line in mine[workspace_mine + 1 : -2]] == [
        "ThisWorkbook",
        "Sheet1",
        "xlwings",
        "LyueRibbon",
    ]


def _value(lines: list[str], key: str) -> str:
    return next(line for line in lines if line.startswith(key + "=")).split("=", 1)[1].strip('"')


def test_protection_values_decrypt_like_xlwings(ours: bytes) -> None:
    """CMG/DPB/GC (§2.4.3): not protected, no password, visible — as in xlwings' template."""
    mine, theirs = _project_lines(ours), _project_lines(template_vba())
    for key in ("CMG", "DPB", "GC"):
        my_key, my_data = decrypt(_value(mine, key))
        their_key, their_data = decrypt(_value(theirs, key))
        assert my_data == their_data, key
        assert my_key == sum(_value(mine, "ID").encode()) & 0xFF
        assert their_key == sum(_value(theirs, "ID").encode()) & 0xFF
    assert decrypt(_value(mine, "GC"))[1] == b"\xff"


@pytest.mark.parametrize("seed", range(0, 256, 17))
def test_encrypt_round_trip(seed: int) -> None:
    pid = project_id("demo")
    assert decrypt(encrypt(b"\x01\x02secret", pid, seed)) == (
        sum(pid.encode()) & 0xFF,
        b"\x01\x02secret",
    )


def test_projectwm_lists_every_module(ours: bytes) -> None:
    raw = open_ole(ours).openstream("PROJECTwm").read()
    assert raw.endswith(b"\x00\x00")
    names = [m.name for m in addin_modules()]
    expected = b"".join(n.encode() + b"\x00" + n.encode("utf-16-le") + b"\x00\x00" for n in names)
    assert raw == expected + b"\x00\x00"


def test_module_streams_hold_the_compressed_source(ours: bytes) -> None:
    ole = open_ole(ours)
    for module in addin_modules():
        stored = decompress(ole.openstream(f"VBA/{module.name}").read())
        assert stored == module.source.encode("cp1252")


def test_duplicate_module_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        build_vba_project("p", [Module("A", "x"), Module("a", "y")])


def test_project_id_is_fixed() -> None:
    assert project_id("lyue_xl") == project_id("lyue_xl") != project_id("other")
