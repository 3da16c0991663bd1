"""MS-OVBA §2.4.1 compression: round trips, the spec's example, xlwings' real streams."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser

from lyue_xl.excel.vba.compression import (
    CHUNK_SIZE,
    DecompressionError,
    compress,
    copy_token_help,
    decompress,
    pack_copy_token,
    unpack_copy_token,
)
from vba_reference import dir_records, module_offsets, open_ole, template_vba, xlwings_dir

# MS-OVBA §3.2 (example of a compressed container): input and the spec's compressed output.
SPEC_INPUT = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
SPEC_OUTPUT = bytes.fromhex(
    "012FB000236161616263646582660070616768696A01380861"
    "6B6C00306D6E6F700671027004107273747576107778797A003C"
)


def test_spec_example_decompresses_to_its_input() -> None:
    assert decompress(SPEC_OUTPUT) == SPEC_INPUT


def test_spec_example_compresses_to_the_same_size() -> None:
    # The spec's own output picks a farther copy source than its pseudocode does in three
    # places (equal lengths, so equal size); the pseudocode keeps the nearest longest match.
    ours = compress(SPEC_INPUT)
    assert len(ours) == len(SPEC_OUTPUT)
    assert ours[:3] == SPEC_OUTPUT[:3]  # signature and the same chunk header
    assert decompress(ours) == SPEC_INPUT


@pytest.mark.parametrize(
    ("difference", "bit_count", "maximum_length"),
    [(1, 4, 4098), (16, 4, 4098), (17, 5, 2050), (32, 5, 2050), (33, 6, 1026), (4095, 12, 18)],
)
def test_copy_token_help(difference: int, bit_count: int, maximum_length: int) -> None:
    _, _, bits, maximum = copy_token_help(difference)
    assert (bits, maximum) == (bit_count, maximum_length)


@given(st.integers(1, 4095), st.integers(3, 18))
def test_copy_token_pack_unpack(difference: int, length: int) -> None:
    offset = difference  # the farthest source in the chunk
    maximum = copy_token_help(difference)[3]
    length = min(length, maximum)
    token = pack_copy_token(offset, length, difference)
    assert 0 <= token <= 0xFFFF
    assert unpack_copy_token(token, difference) == (offset, length)


def _round_trip(data: bytes) -> None:
    """decompress(compress(x)) is x, except that §2.4.1.3.10 pads a raw last chunk with 0x00."""
    out = decompress(compress(data))
    assert out[: len(data)] == data
    padding = out[len(data) :]
    assert padding == b"\x00" * len(padding)
    if padding:
        assert len(out) % CHUNK_SIZE == 0
        assert len(data) % CHUNK_SIZE > 3640  # only a nearly full, incompressible chunk


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=9000))
def test_round_trip_random_bytes(data: bytes) -> None:
    _round_trip(data)
    assert decompress(compress(data)) == data


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"b", b"ab", b"\r\n", b"End Sub"]), max_size=3000))
def test_round_trip_repetitive(parts: list[bytes]) -> None:
    data = b"".join(parts)
    out = decompress(compress(data))
    assert out == data


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=1, max_size=300), st.integers(2, 60))
def test_round_trip_repeated_block_over_several_chunks(block: bytes, times: int) -> None:
    data = block * times + block[: len(block) // 2]
    assert decompress(compress(data)) == data


def test_round_trip_large_random_and_text() -> None:
    rng = random.Random(5)
    noise = bytes(rng.randrange(256) for _ in range(3 * CHUNK_SIZE + 100))
    _round_trip(noise)
    text = ("Sub S%d()\r\n    x = %d\r\nEnd Sub\r\n" * 500) % tuple(range(1000))
    data = text.encode("ascii")
    assert len(data) > 4 * CHUNK_SIZE
    packed = compress(data)
    assert decompress(packed) == data
    assert len(packed) < len(data) / 2


def test_incompressible_full_chunk_is_raw() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(CHUNK_SIZE))
    packed = compress(data)
    header = int.from_bytes(packed[1:3], "little")
    assert header == 0x3FFF  # size 4095 (+3), signature 0b011, flag 0
    assert packed[3:] == data
    assert decompress(packed) == data


def test_empty_input_is_just_the_signature() -> None:
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


@pytest.mark.parametrize("bad", [b"", b"\x02", b"\x01\x00", b"\x01\xff\x0f"])
def test_decompress_rejects_garbage(bad: bytes) -> None:
    with pytest.raises(DecompressionError):
        decompress(bad)


def test_xlwings_modules_decompress_like_olevba() -> None:
    """Our decompressor reads xlwings' shipped project as oletools does, and re-compresses it."""
    vba = template_vba()
    ole = open_ole(vba)
    offsets = module_offsets(dir_records(vba))
    parser = VBA_Parser(str(xlwings_dir() / "quickstart_addin_ribbon.xlam"))
    olevba = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    assert (
        set(olevba)
        == set(offsets)
        == {
            "ThisWorkbook",
            "Dictionary",
            "RibbonMyAddin",
            "Sheet2",
            "xlwings",
        }
    )
    for name, offset in offsets.items():
        source = decompress(ole.openstream(f"VBA/{name}").read()[offset:])
        assert source.decode("cp1252") == olevba[name], name
        assert decompress(compress(source)) == source
