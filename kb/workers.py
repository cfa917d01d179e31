"""Extraction in worker processes: a hard time limit per document, a memory cap, crashes contained.

A pathological PDF can spend minutes inside one page (where `extract/read/pdf.py`'s check
between pages cannot stop it), decompress a stream into gigabytes, or crash the
interpreter in a C extension. Each document is therefore extracted in a separate worker
process: the main process kills a worker that runs past the time limit, a worker's
address space is capped so a decompression bomb fails that file (MemoryError, or an abort
inside PDFium) instead of the machine, and a worker that dies takes only its document with it. Workers only
extract; the main process alone writes SQLite, in the order the documents were given,
so a parallel run builds the same database as a serial one.

Workers start by forkserver (spawn where there is none), so, as with any multiprocessing
code, a script that calls `kb.build.ingest` must do so under `if __name__ == "__main__":`.
"""
from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from extract.errors import ExtractionTimeout, UnreadableDocument, WorkforceKBError
from extract.settings import ExtractSettings
from schemas import ExtractedDocument

__all__ = ["DEFAULT_MEMORY_MB", "Outcome", "Task", "WorkerPool", "WorkerStartFailed", "start_fork_server",
           "usable_cores"]

# Far above what the corpus needs (a worker's address space peaks near 300 MB, its RSS
# near 130 MB) and far below what a bomb would take; it caps address space, not RSS,
# so it errs generous.
DEFAULT_MEMORY_MB = 4096
# What the fork server imports once: the extractors and the built spaCy pipeline, warmed up, so a
# worker (the first, or a fresh one after a timeout) forks ready to extract. The main process
# imports none of it: it only writes what the workers send.
_PRELOAD = ["kb.workers", "kb.worker_preload"]
# A worker that cannot even start (too small a memory cap, a broken install) would be
# replaced forever; give up after this many in a row.
_MAX_FAILED_STARTS = 3


def start_fork_server() -> None:
    """Start the workers' fork server, if the platform has one, and return at once.

    Its preload (the extractors and the spaCy pipeline) is most of the wait for a single
    document, so a caller that knows it will extract starts it first, and imports and opens
    what it needs itself while the fork server loads. Calling it again does nothing.
    """
    if _context().get_start_method() == "forkserver":
        import multiprocessing.forkserver

        multiprocessing.forkserver.ensure_running()
        _stop_fork_server_at_exit()


@functools.cache
def _stop_fork_server_at_exit() -> None:
    """Stop the fork server at once when this process exits, instead of letting it notice.

    Left to itself it exits by tearing down all it preloaded (spaCy and the pipeline), 0.2
    to 0.5 s in which it still holds this process's stdout and stderr open: whoever reads
    them (a pipe, `subprocess.run`, a log tee) waits that long after the command is done.
    It holds nothing to save, and the workers it forked have stopped by then.
    """
    import atexit
    import multiprocessing.forkserver

    def stop() -> None:
        pid = getattr(multiprocessing.forkserver._forkserver, "_forkserver_pid", None)
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)  # no handler there: it ends without tearing down
            except OSError:
                pass

    atexit.register(stop)


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the platform says), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class WorkerStartFailed(WorkforceKBError):
    """Extraction workers cannot start (a broken install or too small a memory cap)."""


@dataclass(frozen=True)
class Task:
    path: Path
    source: str | None = None  # what to record as the document's source (a URL)
    publisher: str | None = None  # the council whose site it came from, if known


@dataclass
class Outcome:
    """What became of one task: `kind` is ok, refused, timeout or crash."""

    task: Task
    kind: str
    extracted: ExtractedDocument | None = None
    reason: str = ""  # why it failed, for `Error: <file>: <reason>`


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    retiring: bool = False  # answered after a crash and is exiting: give it no more work
    index: int | None = None  # the task it is working on
    deadline: float = 0.0


class WorkerPool:
    """Worker processes extracting documents; use as a context manager.

    Args:
        settings: extraction settings; `timeout_s` is enforced per document by killing the worker.
        jobs: how many documents are extracted at once (1 still isolates each in a worker);
            default, the usable cores. No more workers start than there are tasks.
        memory_mb: address-space cap of each worker.
    """

    def __init__(self, settings: ExtractSettings, jobs: int | None = None,
                 memory_mb: int = DEFAULT_MEMORY_MB) -> None:
        jobs = usable_cores() if jobs is None else jobs
        if not isinstance(jobs, int) or jobs < 1:
            raise ValueError("jobs must be a positive integer")
        if not isinstance(memory_mb, int) or memory_mb < 256:
            raise ValueError("memory_mb must be an integer of at least 256")
        self.settings, self.jobs, self.memory_mb = settings, jobs, memory_mb
        self.peak_rss_kb = 0  # largest resident set any worker reached
        self._workers: list[_Worker] = []
        self._failed_starts = 0
        self._ctx = _context()

    def __enter__(self) -> WorkerPool:
        """Start the fork server now (unless `start_fork_server` has): it loads the extractors while
        the caller does its own work, before the first worker is asked for."""
        start_fork_server()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def map(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """Extract every task; each outcome comes back as soon as it is done, so a caller
        writing them never waits on a slow document while another is finished."""
        tasks = list(tasks)
        pending = deque(range(len(tasks)))
        done: dict[int, Outcome] = {}
        for _ in range(len(tasks)):
            while not done:
                self._dispatch(tasks, pending)
                self._collect(tasks, done)
            yield done.pop(min(done))

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in self._workers]

    def close(self) -> None:
        """Stop every worker (asking first, then killing)."""
        for w in self._workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in self._workers:
            w.process.join(timeout=2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()
        self._workers.clear()

    def _busy(self) -> int:
        return sum(w.index is not None for w in self._workers)

    def _start_worker(self) -> None:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, self.settings, self.memory_mb),
                                    name="wfkb-extract", daemon=True)
        process.start()
        child.close()
        self._workers.append(_Worker(process, parent))

    def _dispatch(self, tasks: list[Task], pending: deque[int]) -> None:
        """Start workers while there is work for them (replacing any that died), and hand out tasks."""
        while pending and len(self._workers) < min(self.jobs, len(pending) + self._busy()):
            self._start_worker()
        for w in self._workers:
            if w.ready and not w.retiring and w.index is None and pending:
                w.index = pending.popleft()
                w.deadline = time.monotonic() + self.settings.timeout_s
                try:
                    w.conn.send(tasks[w.index])
                except OSError:
                    pass  # it died: _collect reports the task as crashed

    def _collect(self, tasks: list[Task], done: dict[int, Outcome]) -> None:
        """Wait for a message, a dead worker or a deadline, and record what it means."""
        busy = [w.deadline for w in self._workers if w.index is not None]
        timeout = max(0.0, min(busy) - time.monotonic()) if busy else None
        wait([w.conn for w in self._workers] + [w.process.sentinel for w in self._workers], timeout)
        for w in list(self._workers):
            if not self._drain(w, tasks, done) or not w.process.is_alive() or w.retiring:
                self._on_death(w, tasks, done)
            elif w.index is not None and time.monotonic() > w.deadline:
                self._kill(w)
                done[w.index] = Outcome(tasks[w.index], "timeout",
                                        reason=f"took longer than {self.settings.timeout_s:g} s")
                self._remove(w)

    def _drain(self, w: _Worker, tasks: list[Task], done: dict[int, Outcome]) -> bool:
        """Handle every message waiting from a worker; False once its end of the pipe is closed."""
        try:
            while w.conn.poll():
                self._on_message(w, w.conn.recv(), tasks, done)
        except (EOFError, OSError):
            return False
        return True

    def _on_message(self, w: _Worker, message: tuple, tasks: list[Task], done: dict[int, Outcome]) -> None:
        kind, payload, rss_kb = message
        self.peak_rss_kb = max(self.peak_rss_kb, rss_kb)
        if kind == "ready":
            w.ready = True
            self._failed_starts = 0
            return
        assert w.index is not None, "a worker answered without a task"
        outcome = Outcome(tasks[w.index], kind)
        if kind == "ok":
            outcome.extracted = payload
        else:
            outcome.reason = payload
        w.retiring = kind == "crash"  # the worker exits after a crash (see _worker_main)
        done[w.index] = outcome
        w.index = None

    def _on_death(self, w: _Worker, tasks: list[Task], done: dict[int, Outcome]) -> None:
        """A worker exited (crashed, or retiring after a crash it reported): its task fails, a fresh one starts."""
        w.process.join(timeout=5)
        if w.process.is_alive():  # closed its pipe but lingers
            self._kill(w)
        if not w.ready:
            self._failed_starts += 1
            if self._failed_starts >= _MAX_FAILED_STARTS:
                raise WorkerStartFailed(
                    f"extraction workers cannot start (exit code {w.process.exitcode}; memory cap "
                    f"{self.memory_mb} MB; a script that ingests needs an `if __name__ == '__main__':` guard)")
        if w.index is not None:
            done[w.index] = Outcome(tasks[w.index], "crash", reason=_death_reason(w.process.exitcode,
                                                                                  self.memory_mb))
            w.index = None
        self._remove(w)

    def _kill(self, w: _Worker) -> None:
        w.process.kill()
        w.process.join()

    def _remove(self, w: _Worker) -> None:
        """Forget a dead worker; `_dispatch` starts another if there is still work."""
        w.conn.close()
        self._workers.remove(w)


def _context() -> Any:
    """forkserver where the platform has it (fast, fork-safe starts), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _death_reason(exitcode: int | None, memory_mb: int) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        # PDFium (C++) aborts when an allocation fails under the cap; the kernel's OOM killer sends SIGKILL.
        if name in ("SIGABRT", "SIGKILL"):
            return f"extraction crashed ({name}, probably out of memory: the cap is {memory_mb} MB per worker)"
        return f"extraction crashed ({name})"
    return f"extraction crashed (worker exited with code {exitcode})"


# --- inside a worker -------------------------------------------------------------------


def _worker_main(conn: Connection, settings: ExtractSettings, memory_mb: int) -> None:
    """Extract the paths the main process sends until it sends None or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _limit_memory(memory_mb)
    # pdfminer logs a warning per odd operator in a broken file; the file's outcome says enough.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    _warm_up()
    if not _send(conn, ("ready", None, _rss_kb())):
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        kind, payload = _extract(task, settings, memory_mb)
        if not _send(conn, (kind, payload, _rss_kb())):
            _send(conn, ("crash", "the extracted document could not be passed back", _rss_kb()))
            return
        if kind == "crash":
            return  # a worker that hit MemoryError or a bug is not trusted with the next file


def _extract(task: Task, settings: ExtractSettings, memory_mb: int) -> tuple[str, Any]:
    from extract.pipeline import extract_document  # preloaded by the fork server

    try:
        return "ok", extract_document(task.path, settings, source=task.source, publisher=task.publisher)
    except ExtractionTimeout as e:
        return "timeout", e.reason
    except UnreadableDocument as e:
        return "refused", e.reason
    except WorkforceKBError as e:
        return "refused", str(e)
    except MemoryError:
        return "crash", f"ran out of memory (over the {memory_mb} MB cap per worker)"
    except RecursionError:  # objects nested thousands deep: a hostile file, not a bug
        return "refused", "too deeply nested to read (RecursionError)"
    except Exception as e:  # a bug in an extractor: that file fails, the batch goes on
        return "crash", f"extraction failed ({type(e).__name__}: {str(e)[:200]})"


def _send(conn: Connection, message: tuple) -> bool:
    try:
        conn.send(message)
        return True
    except (OSError, EOFError):
        return False  # the main process has gone
    except Exception:  # the result would not pickle
        return False


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass  # macOS does not enforce RLIMIT_AS; the time limit still stops a runaway file


def _warm_up() -> None:
    """Ready the extractors before the first document, so its time limit measures only the
    document (a no-op once the fork server's preload has done it)."""
    from extract.pipeline import warm_up

    try:
        warm_up()
    except Exception:
        pass  # the first document will hit the same error and report it as its own


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
