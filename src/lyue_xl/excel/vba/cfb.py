"""A minimal, deterministic MS-CFB (Compound File Binary) writer: version 3, 512-byte sectors.

Implements what a vbaProject.bin needs and nothing more:
- §2.2 header, §2.3 sector numbering, §2.4 FAT (no DIFAT: at most 109 FAT sectors, ~6.8 MB),
- §2.5 mini FAT and the mini stream (streams under 4096 bytes, 64-byte mini sectors),
- §2.6 directory entries, with siblings in a red-black tree ordered as §2.6.4 says.
Every CLSID, state bit and timestamp is zero, and the layout depends only on the input, so the
same streams always give the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
_ENTRY = 128
_PER_SECTOR = SECTOR // 4  # 32-bit entries in a FAT / mini FAT sector

MAXREGSECT = 0xFFFFFFFA
DIFSECT = 0xFFFFFFFC
FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_MAX_FAT_SECTORS = 109  # all listed in the header's DIFAT array


class CompoundFileError(ValueError):
    """The streams cannot be written as asked (bad name, clash, too large)."""


@dataclass
class _Node:
    name: str
    data: bytes | None = None  # None for a storage
    children: dict[str, _Node] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """The compound file holding ``streams`` ({"VBA/dir": b"...", "PROJECT": b"..."}).

    Storages are implied by the ``/``-separated paths.
    """
    root = _tree(streams)
    nodes = _number(root)
    mini_stream, mini_fat = _mini_stream(nodes)
    return _Layout(nodes, mini_stream, mini_fat).to_bytes()


def sort_key(name: str) -> tuple[int, str]:
    """§2.6.4 order of sibling names: shorter first, then by upper-cased UTF-16 code units."""
    upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in name)
    return len(name.encode("utf-16-le")), upper


# ---------------------------------------------------------------------------------------------
# Directory (§2.6)


def _tree(streams: Mapping[str, bytes]) -> _Node:
    root = _Node("Root Entry")
    for path in sorted(streams):
        parts = path.split("/")
        node = root
        for storage in parts[:-1]:
            node = node.children.setdefault(storage, _Node(storage))
            if node.data is not None:
                raise CompoundFileError(f"{storage!r} is both a stream and a storage")
        _check_name(parts[-1])
        if parts[-1] in node.children:
            raise CompoundFileError(f"{path!r} is both a stream and a storage")
        node.children[parts[-1]] = _Node(parts[-1], data=bytes(streams[path]))
    return root


def _check_name(name: str) -> None:
    """§2.6.1: at most 31 UTF-16 code units, none of / \\ : !."""
    if not name or len(name.encode("utf-16-le")) > 62 or any(c in name for c in "/\\:!"):
        raise CompoundFileError(f"invalid compound file entry name {name!r}")


def _number(root: _Node) -> list[_Node]:
    """Give every entry its stream ID (breadth first) and link siblings as red-black trees."""
    nodes = [root]
    queue = [root]
    while queue:
        parent = queue.pop(0)
        children = sorted(parent.children.values(), key=lambda n: sort_key(n.name))
        for child in children:
            child.sid = len(nodes)
            nodes.append(child)
        parent.child = _link_siblings(children)
        queue.extend(children)
    return nodes


def _link_siblings(children: list[_Node]) -> int:
    """A balanced binary search tree of ``children``, coloured as a valid red-black tree.

    Splitting at the middle puts every empty child link at depth d or d + 1; colouring the nodes
    of an incomplete last level red gives every path the same number of black nodes and no red
    node a red child (§2.6.4).
    """
    if not children:
        return NOSTREAM
    depths: dict[int, int] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo > hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = children[mid]
        depths[mid] = depth
        node.left = build(lo, mid - 1, depth + 1)
        node.right = build(mid + 1, hi, depth + 1)
        return node.sid

    top = build(0, len(children) - 1, 0)
    deepest = max(depths.values())
    perfect = len(children) == 2 ** (deepest + 1) - 1
    for index, node in enumerate(children):
        node.color = _RED if depths[index] == deepest and not perfect else _BLACK
    return top


def _entry(node: _Node | None, kind: int = 0, size: int = 0) -> bytes:
    """§2.6.1 Compound File Directory Entry (128 bytes); ``None`` gives an unused entry."""
    if node is None:
        return b"\x00" * 64 + struct.pack(
            "<HBBIII16sIQQIQ", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0
        )
    name = node.name.encode("utf-16-le") + b"\x00\x00"
    start = node.start if kind != _STORAGE else 0
    return name.ljust(64, b"\x00") + struct.pack(
        "<HBBIII16sIQQIQ",
        len(name),
        kind,
        node.color,
        node.left,
        node.right,
        node.child,
        b"",  # CLSID
        0,  # state bits
        0,  # creation time
        0,  # modified time
        start,
        size,
    )


# ---------------------------------------------------------------------------------------------
# Mini stream (§2.5) and sector layout (§2.2 – §2.4)


def _mini_stream(nodes: list[_Node]) -> tuple[bytes, list[int]]:
    """Pack small streams into 64-byte mini sectors; returns the mini stream and the mini FAT."""
    stream = bytearray()
    fat: list[int] = []
    for node in nodes:
        if node.data is None or not node.data or len(node.data) >= MINI_CUTOFF:
            continue
        first = len(fat)
        count = -(-len(node.data) // MINI_SECTOR)
        fat.extend(range(first + 1, first + count))
        fat.append(ENDOFCHAIN)
        node.start = first
        stream += node.data.ljust(count * MINI_SECTOR, b"\x00")
    return bytes(stream), fat


def _sectors(size: int) -> int:
    return -(-size // SECTOR)


class _Layout:
    """Sector order: FAT, directory, mini FAT, mini stream, then each large stream."""

    def __init__(self, nodes: list[_Node], mini_stream: bytes, mini_fat: list[int]) -> None:
        self.nodes = nodes
        self.mini_stream = mini_stream
        self.mini_fat = mini_fat
        self.large = [n for n in nodes if n.data is not None and len(n.data) >= MINI_CUTOFF]
        self.runs: list[tuple[str, int]] = [
            ("dir", _sectors(len(nodes) * _ENTRY)),
            ("minifat", _sectors(len(mini_fat) * 4)),
            ("ministream", _sectors(len(mini_stream))),
        ] + [(f"s{n.sid}", _sectors(len(n.data or b""))) for n in self.large]
        payload = sum(count for _, count in self.runs)
        fat_sectors = 1
        while fat_sectors * _PER_SECTOR < fat_sectors + payload:
            fat_sectors += 1
        if fat_sectors > _MAX_FAT_SECTORS:
            raise CompoundFileError("streams too large for a compound file without DIFAT")
        self.fat_sectors = fat_sectors
        self.starts: dict[str, int] = {}
        position = fat_sectors
        for run, count in self.runs:
            self.starts[run] = position if count else ENDOFCHAIN
            position += count
        self.total = position

    def fat(self) -> list[int]:
        """§2.3 the FAT: FAT sectors marked FATSECT, every run chained, the rest free."""
        table = [FATSECT] * self.fat_sectors
        for _, count in self.runs:
            first = len(table)
            table.extend(range(first + 1, first + count))
            if count:
                table.append(ENDOFCHAIN)
        table.extend([FREESECT] * (self.fat_sectors * _PER_SECTOR - len(table)))
        return table

    def header(self) -> bytes:
        """§2.2 Compound File Header (512 bytes)."""
        difat = list(range(self.fat_sectors)) + [FREESECT] * (109 - self.fat_sectors)
        mini_fat_start = self.starts["minifat"]
        return (
            _SIGNATURE
            + b"\x00" * 16  # header CLSID
            + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
            + b"\x00" * 6
            + struct.pack(
                "<IIIIIIIII",
                0,  # directory sectors (always 0 in version 3)
                self.fat_sectors,
                self.starts["dir"],
                0,  # transaction signature
                MINI_CUTOFF,
                mini_fat_start,
                _sectors(len(self.mini_fat) * 4),
                ENDOFCHAIN,  # first DIFAT sector
                0,  # DIFAT sectors
            )
            + struct.pack("<109I", *difat)
        )

    def directory(self) -> bytes:
        root = self.nodes[0]
        root.start = self.starts["ministream"]
        for node in self.large:
            node.start = self.starts[f"s{node.sid}"]
        out = bytearray(_entry(root, _ROOT, len(self.mini_stream)))
        for node in self.nodes[1:]:
            if node.data is None:
                out += _entry(node, _STORAGE)
            else:
                out += _entry(node, _STREAM, len(node.data))
        while len(out) % SECTOR:
            out += _entry(None)
        return bytes(out)

    def to_bytes(self) -> bytes:
        body = bytearray(self.header())
        body += struct.pack(f"<{len(self.fat())}I", *self.fat())
        body += self.directory()
        body += _pad(struct.pack(f"<{len(self.mini_fat)}I", *self.mini_fat), FREESECT)
        body += _pad(self.mini_stream)
        for node in self.large:
            body += _pad(node.data or b"")
        assert len(body) == SECTOR * (1 + self.total)
        return bytes(body)


def _pad(data: bytes, filler: int | None = None) -> bytes:
    """Pad to a whole sector: with 0x00, or with repeated 32-bit ``filler`` (FREESECT)."""
    missing = -len(data) % SECTOR
    if filler is None:
        return data + b"\x00" * missing
    return data + struct.pack("<I", filler) * (missing // 4)
