"""A source-only VBA project (MS-OVBA §2.2) written from module text.

The project has no p-code: ``_VBA_PROJECT`` carries version 0xFFFF and no performance cache
(§2.3.4.1), each module stream holds only its compressed source (MODULEOFFSET 0, §2.3.4.3), so
the host compiles the source when it opens the file — what MS-OVBA §1.6 asks of writers that are
not the VBA environment, and what xlwings' own add-in templates contain.
Records of the ``dir`` stream (§2.3.4.2) are written in the order of xlwings' working template.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from lyue_xl.excel.vba.cfb import write_compound_file
from lyue_xl.excel.vba.compression import compress

CODE_PAGE = 1252  # as in xlwings' templates; every module we write is ASCII
LCID = 0x0409
SYS_KIND_WIN32 = 0x00000001
VERSION_COMPATIBLE32 = "393222000"
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"

WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"  # Excel Workbook document module
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"  # Excel Worksheet document module

# §2.1.1.8 LibidReference of "Microsoft Office 16.0 Object Library" (IRibbonControl lives there).
OFFICE_LIBID = (
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
    r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
    "#Microsoft Office 16.0 Object Library"
)


@dataclass(frozen=True)
class Module:
    """One VBA module: ``kind`` is "standard" (a .bas) or "document" (ThisWorkbook, Sheet1)."""

    name: str
    source: str
    kind: str = "standard"


@dataclass(frozen=True)
class Reference:
    """A REFERENCEREGISTERED (§2.3.4.2.2.5) with its REFERENCENAME (§2.3.4.2.2.2)."""

    name: str
    libid: str


OFFICE = Reference("Office", OFFICE_LIBID)


def document_module(name: str, base: str) -> Module:
    """The attribute block Excel gives a workbook or worksheet document module (no code)."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "\r\n".join(lines) + "\r\n", kind="document")


def build_vba_project(
    name: str, modules: Sequence[Module], references: Sequence[Reference] = (OFFICE,)
) -> bytes:
    """vbaProject.bin bytes for project ``name`` holding ``modules`` (same input, same bytes)."""
    _check_modules(modules)
    streams = {
        "PROJECT": project_stream(name, modules),
        "PROJECTwm": project_wm_stream(modules),
        "VBA/_VBA_PROJECT": vba_project_stream(),
        "VBA/dir": compress(dir_stream(name, modules, references)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(encode_source(module.source))
    return write_compound_file(streams)


def _check_modules(modules: Sequence[Module]) -> None:
    names = [m.name.lower() for m in modules]
    if len(set(names)) != len(names):
        raise ValueError("module names must be unique (VBA ignores case)")
    for module in modules:
        if module.kind not in ("standard", "document"):
            raise ValueError(f"unknown module kind {module.kind!r}")
        if not module.name.isascii() or not module.name.isidentifier():
            raise ValueError(f"module name must be an ASCII identifier: {module.name!r}")


def encode_source(source: str) -> bytes:
    """Module text as stored: CRLF line ends, in the project code page (ASCII here)."""
    text = source.replace("\r\n", "\n").replace("\n", "\r\n")
    return text.encode("cp1252")


# ---------------------------------------------------------------------------------------------
# _VBA_PROJECT (§2.3.4.1) and PROJECTwm (§2.3.3)


def vba_project_stream() -> bytes:
    """Reserved1 0x61CC, Version 0xFFFF (no p-code to trust), Reserved2 0x00, Reserved3."""
    return struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)


def project_wm_stream(modules: Sequence[Module]) -> bytes:
    """§2.3.3.1 NameMap: each module's MBCS name and UTF-16 name, then a 0x0000 terminator."""
    out = bytearray()
    for module in modules:
        out += module.name.encode("cp1252") + b"\x00"
        out += module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


# ---------------------------------------------------------------------------------------------
# PROJECT (§2.3.1) with its encrypted protection values (§2.4.3)


def project_id(name: str) -> str:
    """A fixed project GUID derived from the project name (the same for every build)."""
    value = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:lyue-xl:vba-project:{name}")
    return "{" + str(value).upper() + "}"


def project_stream(name: str, modules: Sequence[Module], seed: int = 0x5A) -> bytes:
    """§2.3.1 PROJECT stream: properties, host extenders and window records, as CRLF text."""
    pid = project_id(name)
    not_protected = encrypt(struct.pack("<I", 0), pid, seed)  # §2.3.1.15 ProjectProtectionState
    no_password = encrypt(bytes([0x00]), pid, seed)  # §2.3.1.16 ProjectPassword
    visible = encrypt(bytes([0xFF]), pid, seed)  # §2.3.1.17 ProjectVisibilityState
    lines = [f'ID="{pid}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{name}"',
        'HelpContextID="0"',
        f'VersionCompatible32="{VERSION_COMPATIBLE32}"',
        f'CMG="{not_protected}"',
        f'DPB="{no_password}"',
        f'GC="{visible}"',
        "",
        "[Host Extender Info]",
        HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("cp1252")


def encrypt(data: bytes, pid: str, seed: int) -> str:
    """§2.4.3.2 Encryption of a PROJECT value, as upper-case hex (§2.4.3.1 Data Encryption)."""
    version = 2
    project_key = sum(pid.encode("cp1252")) & 0xFF
    out = [seed, seed ^ version, seed ^ project_key]
    plain_prev, enc_prev, enc_prev2 = project_key, out[2], out[1]
    ignored = [0] * ((seed & 6) // 2)
    for byte in ignored + list(struct.pack("<I", len(data))) + list(data):
        encrypted = byte ^ ((enc_prev2 + plain_prev) & 0xFF)
        out.append(encrypted)
        enc_prev2, enc_prev, plain_prev = enc_prev, encrypted, byte
    return bytes(out).hex().upper()


def decrypt(text: str) -> tuple[int, bytes]:
    """§2.4.3.3 Decryption: (project key, data) of an encrypted PROJECT value."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError("encrypted PROJECT value has an unknown version")
    project_key = seed ^ key_enc
    plain_prev, enc_prev, enc_prev2 = project_key, key_enc, version_enc
    plain = bytearray()
    for encrypted in raw[3:]:
        byte = encrypted ^ ((enc_prev2 + plain_prev) & 0xFF)
        plain.append(byte)
        enc_prev2, enc_prev, plain_prev = enc_prev, encrypted, byte
    ignored = (seed & 6) // 2
    length = struct.unpack_from("<I", plain, ignored)[0]
    data = bytes(plain[ignored + 4 : ignored + 4 + length])
    return project_key, data


# ---------------------------------------------------------------------------------------------
# dir stream (§2.3.4.2), before compression


def _record(rid: int, data: bytes = b"") -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _text(rid: int, text: str, unicode_rid: int | None = None) -> bytes:
    """A record of MBCS text, followed by its UTF-16 twin when ``unicode_rid`` is given."""
    out = _record(rid, text.encode("cp1252"))
    if unicode_rid is not None:
        out += _record(unicode_rid, text.encode("utf-16-le"))
    return out


def dir_stream(
    name: str, modules: Sequence[Module], references: Sequence[Reference] = (OFFICE,)
) -> bytes:
    """§2.3.4.2 dir stream records: PROJECTINFORMATION, PROJECTREFERENCES, PROJECTMODULES."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", SYS_KIND_WIN32))  # PROJECTSYSKIND
    out += _record(0x0002, struct.pack("<I", LCID))  # PROJECTLCID
    out += _record(0x0014, struct.pack("<I", LCID))  # PROJECTLCIDINVOKE
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))  # PROJECTCODEPAGE
    out += _text(0x0004, name)  # PROJECTNAME
    out += _text(0x0005, "", 0x0040)  # PROJECTDOCSTRING
    out += _text(0x0006, "", 0x003D)  # PROJECTHELPFILEPATH (HelpFile1, HelpFile2)
    out += _record(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION (Reserved=4, major, minor)
    out += _text(0x000C, "", 0x003C)  # PROJECTCONSTANTS
    for reference in references:
        out += _text(0x0016, reference.name, 0x003E)  # REFERENCENAME
        libid = reference.libid.encode("cp1252")
        body = struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0)
        out += _record(0x000D, body)  # REFERENCEREGISTERED
    out += _record(0x000F, struct.pack("<H", len(modules)))  # PROJECTMODULES
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        out += _module_record(module)
    out += _record(0x0010)  # dir stream Terminator (Reserved = 0)
    return bytes(out)


def _module_record(module: Module) -> bytes:
    """§2.3.4.2.3.2 MODULE record; the source starts at offset 0 of its stream."""
    out = bytearray()
    out += _text(0x0019, module.name)  # MODULENAME
    out += _record(0x0047, module.name.encode("utf-16-le"))  # MODULENAMEUNICODE
    out += _text(0x001A, module.name, 0x0032)  # MODULESTREAMNAME
    out += _text(0x001C, "", 0x0048)  # MODULEDOCSTRING
    out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET
    out += _record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
    out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
    out += _record(0x0022 if module.kind == "document" else 0x0021)  # MODULETYPE, Reserved 0
    out += _record(0x002B)  # Terminator
    return bytes(out)
