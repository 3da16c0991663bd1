"""MS-OVBA §2.4.1 compression and decompression of a CompressedContainer.

The compressor follows the spec's pseudocode (§2.4.1.3.6 – §2.4.1.3.19) exactly, so its output
is a function of the input alone. The only liberty taken is speed: the spec's "Matching"
(§2.4.1.3.19) scans every earlier position of the chunk; here only positions that share the next
three bytes are scanned (a shorter match is never used), nearest first, keeping the first longest
match — the same choice the spec's backwards scan makes.
"""

from __future__ import annotations

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0b011
_MIN_MATCH = 3


class DecompressionError(ValueError):
    """The bytes are not a valid MS-OVBA CompressedContainer."""


def copy_token_help(difference: int) -> tuple[int, int, int, int]:
    """§2.4.1.3.19.1 CopyToken Help: (length mask, offset mask, bit count, maximum length).

    ``difference`` is the distance from the start of the decompressed chunk to the current byte.
    """
    bit_count = max((difference - 1).bit_length(), 4)
    length_mask = 0xFFFF >> bit_count
    offset_mask = ~length_mask & 0xFFFF
    maximum_length = (0xFFFF >> bit_count) + 3
    return length_mask, offset_mask, bit_count, maximum_length


def pack_copy_token(offset: int, length: int, difference: int) -> int:
    """§2.4.1.3.19.3 Pack CopyToken."""
    _, _, bit_count, _ = copy_token_help(difference)
    return ((offset - 1) << (16 - bit_count)) | (length - 3)


def unpack_copy_token(token: int, difference: int) -> tuple[int, int]:
    """§2.4.1.3.19.2 Unpack CopyToken: (offset, length)."""
    length_mask, offset_mask, bit_count, _ = copy_token_help(difference)
    length = (token & length_mask) + 3
    offset = ((token & offset_mask) >> (16 - bit_count)) + 1
    return offset, length


# ---------------------------------------------------------------------------------------------
# Decompression (§2.4.1.3.1 – §2.4.1.3.5)


def decompress(container: bytes) -> bytes:
    """§2.4.1.3.1 Decompression algorithm: CompressedContainer -> DecompressedBuffer."""
    if not container or container[0] != _SIGNATURE:
        raise DecompressionError("CompressedContainer must start with signature byte 0x01")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise DecompressionError(f"truncated chunk header at byte {pos}")
        header = int.from_bytes(container[pos : pos + 2], "little")
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise DecompressionError(f"bad chunk signature at byte {pos}")
        end = min(pos + size, len(container))
        data = container[pos + 2 : end]
        if header >> 15:
            _decompress_chunk(data, out)
        else:
            out += data  # §2.4.1.3.3 raw chunk: 4096 bytes copied as they are
        pos = end
    return bytes(out)


def _decompress_chunk(data: bytes, out: bytearray) -> None:
    """§2.4.1.3.2 Decompressing a CompressedChunk (token sequences, §2.4.1.3.4/5)."""
    chunk_start = len(out)
    pos = 0
    while pos < len(data):
        flags = data[pos]
        pos += 1
        for bit in range(8):
            if pos >= len(data):
                break
            if not (flags >> bit) & 1:
                out.append(data[pos])
                pos += 1
                continue
            if pos + 2 > len(data):
                raise DecompressionError("truncated CopyToken")
            token = int.from_bytes(data[pos : pos + 2], "little")
            pos += 2
            offset, length = unpack_copy_token(token, len(out) - chunk_start)
            source = len(out) - offset
            if source < chunk_start:
                raise DecompressionError("CopyToken points before the start of its chunk")
            for i in range(length):  # byte by byte: a copy may overlap what it writes
                out.append(out[source + i])


# ---------------------------------------------------------------------------------------------
# Compression (§2.4.1.3.6 – §2.4.1.3.10, §2.4.1.3.19)


def compress(data: bytes) -> bytes:
    """§2.4.1.3.6 Compression algorithm: DecompressedBuffer -> CompressedContainer."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        out += compress_chunk(data[start : start + CHUNK_SIZE])
    return bytes(out)


def compress_chunk(chunk: bytes) -> bytes:
    """§2.4.1.3.7 Compressing a DecompressedChunk (header + data).

    If the token sequences would exceed 4096 bytes of data the chunk is written raw
    (§2.4.1.3.10): flag 0, 4096 bytes, padded with 0x00 when the chunk is shorter.
    """
    body = _token_sequences(chunk)
    if body is None:
        raw = chunk + b"\x00" * (CHUNK_SIZE - len(chunk))
        return _chunk_header(len(raw) + 2, compressed=False) + raw
    return _chunk_header(len(body) + 2, compressed=True) + body


def _chunk_header(size: int, *, compressed: bool) -> bytes:
    """§2.4.1.3.13 Packing a CompressedChunkHeader; ``size`` counts the 2 header bytes."""
    header = (size - 3) | (_CHUNK_SIGNATURE << 12) | (int(compressed) << 15)
    return header.to_bytes(2, "little")


def _token_sequences(chunk: bytes) -> bytes | None:
    """§2.4.1.3.8 Compressing a TokenSequence, repeated; None when it does not fit 4096 bytes."""
    out = bytearray()
    index: dict[bytes, list[int]] = {}
    current = 0
    indexed = 0  # positions < indexed are in ``index``
    while current < len(chunk):
        flag_pos = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= len(chunk):
                break
            while indexed < current:
                index.setdefault(chunk[indexed : indexed + _MIN_MATCH], []).append(indexed)
                indexed += 1
            offset, length = _match(chunk, current, index)
            if length:
                token = pack_copy_token(offset, length, current)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
                current += length
            else:
                out.append(chunk[current])
                current += 1
        out[flag_pos] = flags
        if len(out) > CHUNK_SIZE:
            return None
    return bytes(out)


def _match(chunk: bytes, current: int, index: dict[bytes, list[int]]) -> tuple[int, int]:
    """§2.4.1.3.19 Matching: (offset, length) of the longest earlier match, or (0, 0)."""
    end = len(chunk)
    best_length = 0
    best_candidate = -1
    for candidate in reversed(index.get(chunk[current : current + _MIN_MATCH], ())):
        length = _common_length(chunk, candidate, current, end)
        if length > best_length:
            best_length = length
            best_candidate = candidate
    if best_length < _MIN_MATCH:
        return 0, 0
    _, _, _, maximum_length = copy_token_help(current)
    return current - best_candidate, min(best_length, maximum_length)


def _common_length(chunk: bytes, candidate: int, current: int, end: int) -> int:
    """How many bytes from ``current`` repeat those from ``candidate`` (overlap allowed)."""
    length = 0
    while current + length < end and chunk[candidate + length] == chunk[current + length]:
        length += 1
    return length
