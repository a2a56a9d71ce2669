"""Exit when the parent dies: stdin EOF (the parent holds our stdin pipe open) and, on Linux,
PR_SET_PDEATHSIG, which the kernel delivers even if the parent was SIGKILLed."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1


def _watch_stdin() -> None:
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    os._exit(0)  # no cleanup that could hang: the tensors die with the process


def install(expected_parent: int | None) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        # The parent may have died before prctl ran: then we were re-parented already.
        if expected_parent is not None and os.getppid() != expected_parent:
            os._exit(0)
    threading.Thread(target=_watch_stdin, name="lifeline", daemon=True).start()
