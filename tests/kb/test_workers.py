"""The workers' fork server: stopped at once when the process that started it exits."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_fork_server_is_stopped_without_tearing_down_at_exit():
    # The exit handlers run by hand, so that this process is still there to reap the fork
    # server and read how it ended: by the signal, not by exiting of its own accord.
    code = ("import atexit, multiprocessing.forkserver as fs, os, signal\n"
            "from kb.workers import start_fork_server\n"
            "start_fork_server()\n"
            "pid = fs._forkserver._forkserver_pid\n"
            "atexit._run_exitfuncs()\n"
            "_, status = os.waitpid(pid, 0)\n"
            "print(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM)")
    # A fork server left to notice the exit would outlive waitpid: the timeout says so.
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=60)
    assert out.stdout.strip() == "True", out.stderr


def test_what_the_fork_server_preloads_is_out_of_the_collectors_sight():
    code = "import gc, kb.worker_preload; print(gc.get_freeze_count() > 10_000)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True", out.stderr
