"""Headless LibreOffice over python-uno, for the test scripts run by Debian's ``/usr/bin/python3``.

``with office(settings) as desktop:`` starts ``soffice`` with a fresh profile (configuration
``settings`` written into it), connects over a private pipe, yields the Desktop, and always
shuts LibreOffice down and removes the profile afterwards.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import uno  # first: it makes the com.sun.star modules importable
from com.sun.star.beans import PropertyValue

Setting = tuple[str, str, str]  # (configuration path, property, value)


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def registry(settings: Sequence[Setting]) -> str:
    """A registrymodifications.xcu holding ``settings``."""
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for path, name, value in settings
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n"
    )


def _connect(pipe: str, timeout: float) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextlib.contextmanager
def office(settings: Sequence[Setting] = (), timeout: float = 60) -> Iterator[object]:
    profile = Path(tempfile.mkdtemp(prefix="lo-lyue-"))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(
        registry(settings), encoding="utf-8"
    )
    pipe = f"lyue_{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        context = _connect(pipe, timeout)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        yield desktop
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge drops when soffice exits
                desktop.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
