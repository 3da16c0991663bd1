"""MS-CFB writer: olefile reads every stream back; directory trees are valid red-black trees."""

from __future__ import annotations

import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lyue_xl.excel.vba.cfb import (
    MINI_CUTOFF,
    NOSTREAM,
    CompoundFileError,
    sort_key,
    write_compound_file,
)
from vba_reference import open_ole

NAMES = st.text(alphabet="abcdefghijKLMNOP_0123456789", min_size=1, max_size=31)
SIZES = st.sampled_from([0, 1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 9000, 70000])


def _streams(draw_names: list[str], sizes: list[int]) -> dict[str, bytes]:
    streams = {}
    for index, (name, size) in enumerate(zip(draw_names, sizes, strict=False)):
        path = f"VBA/{name}" if index % 2 else name
        streams[path] = bytes((index + i) % 251 for i in range(size))
    return streams


@settings(max_examples=40, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=12, unique_by=str.upper), st.lists(SIZES, min_size=12))
def test_olefile_reads_back_every_stream(names: list[str], sizes: list[int]) -> None:
    streams = _streams(names, sizes)
    if any(p.upper() == "VBA" for p in streams):
        return  # a stream named like the storage: not a case we write
    ole = open_ole(write_compound_file(streams))
    found = {"/".join(entry): ole.openstream(entry).read() for entry in ole.listdir()}
    assert found == streams
    for path, data in streams.items():
        assert ole.get_size(path) == len(data)


def test_small_streams_live_in_the_mini_stream() -> None:
    data = write_compound_file({"small": b"x" * (MINI_CUTOFF - 1), "big": b"y" * MINI_CUTOFF})
    ole = open_ole(data)
    small, big = ole.direntries[ole._find("small")], ole.direntries[ole._find("big")]
    assert small.is_minifat and not big.is_minifat


def test_header_is_version_3_with_512_byte_sectors() -> None:
    data = write_compound_file({"PROJECT": b"ID=1\r\n"})
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    minor, major, order, shift, mini_shift = struct.unpack_from("<HHHHH", data, 24)
    assert (minor, major, order, shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    assert len(data) % 512 == 0
    assert olefile.isOleFile(data=data)


def test_same_streams_same_bytes_whatever_the_order() -> None:
    a = {"PROJECT": b"p", "VBA/dir": b"d" * 5000, "VBA/xlwings": b"x" * 300}
    b = dict(reversed(list(a.items())))
    assert write_compound_file(a) == write_compound_file(b)


@pytest.mark.parametrize("bad", ["a:b", "x" * 32, ""])
def test_bad_names_are_refused(bad: str) -> None:
    with pytest.raises(CompoundFileError):
        write_compound_file({bad: b"1"})


def _check_red_black(ole: olefile.OleFileIO, sid: int) -> int:
    """Black height of the sibling tree at ``sid``; asserts order and colour rules."""
    if sid == NOSTREAM:
        return 1
    entry = ole.direntries[sid]
    for side, child in (("left", entry.sid_left), ("right", entry.sid_right)):
        if child == NOSTREAM:
            continue
        other = ole.direntries[child]
        if side == "left":
            assert sort_key(other.name) < sort_key(entry.name)
        else:
            assert sort_key(other.name) > sort_key(entry.name)
        if entry.color == 0:
            assert other.color == 1, "red node with a red child"
    left = _check_red_black(ole, entry.sid_left)
    right = _check_red_black(ole, entry.sid_right)
    assert left == right, "unequal black heights"
    return left + (1 if entry.color == 1 else 0)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 80))
def test_sibling_trees_are_red_black(count: int) -> None:
    streams = {f"VBA/m{i:02d}": b"x" for i in range(count)}
    ole = open_ole(write_compound_file(streams))
    storage = ole.direntries[ole._find("VBA")]
    top = ole.direntries[storage.sid_child]
    assert top.color == 1  # the root of a red-black tree is black
    _check_red_black(ole, storage.sid_child)
    assert len(ole.listdir()) == count


def test_sibling_order_is_length_then_upper_case() -> None:
    assert sorted(["dir", "_VBA_PROJECT", "ThisWorkbook", "xlwings"], key=sort_key) == [
        "dir",
        "xlwings",
        "ThisWorkbook",
        "_VBA_PROJECT",
    ]
