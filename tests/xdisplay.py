"""A private X display (Xvfb) for the window tests; skipped when Xvfb is not installed."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time

import pytest


# One server for the whole run (per pytest-xdist worker): Tk keeps its connection to the first
# display it opened, and exits the process (Xlib I/O error) when that server goes away under a
# later window test. Xvfb picks a free display number itself (-displayfd), so two workers
# starting at the same moment never race for the same number.
@pytest.fixture(scope="session")
def display():
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (Debian package xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write,),
    )
    os.close(write)
    answer = b""
    deadline = time.monotonic() + 20
    while not answer.endswith(b"\n"):
        left = deadline - time.monotonic()
        ready, _, _ = select.select([read], [], [], max(left, 0))
        chunk = os.read(read, 16) if ready else b""
        if not chunk:
            os.close(read)
            server.kill()
            pytest.fail("Xvfb did not start (no display number within 20 s)")
        answer += chunk
    os.close(read)
    name = f":{int(answer)}"
    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = name
    yield name
    if old is None:
        os.environ.pop("DISPLAY", None)
    else:
        os.environ["DISPLAY"] = old
    server.terminate()
    server.wait(timeout=10)
