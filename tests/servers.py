"""`wfkb serve` on loopback, for the tests that use the site over HTTP."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

WFKB = str(Path(sys.executable).with_name("wfkb"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Ask a process to end, then kill it if it has not within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_site(db_path: Path, log_path: Path, *options: str, timeout_s: float = 30) -> Iterator[str]:
    """The base URL of `wfkb serve --db DB OPTIONS` on a free loopback port, stopped on exit."""
    port = free_port()
    # A file, not a pipe: uvicorn's request log would fill a pipe nobody reads and stall it.
    with log_path.open("wb") as log:
        server = subprocess.Popen([WFKB, "serve", "--db", str(db_path), "--host", "127.0.0.1", "--port", str(port),
                                   *options], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            assert server.poll() is None, f"wfkb serve exited: {log_path.read_text()}"
            try:
                if httpx.get(url + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"wfkb serve did not answer in {timeout_s} s: {log_path.read_text()}"
            time.sleep(0.1)
        yield url
    finally:
        stop(server)
