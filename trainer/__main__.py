"""Entry point: `python -m trainer --port 0 --threads 2`; token from TARL_TRAINER_TOKEN.

Binds 127.0.0.1, prints one line `{"port": N}` on stdout once listening, and exits when the
parent dies (see lifeline.py) unless --no-lifeline is given (a standalone server).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys

import torch
import uvicorn

from . import lifeline
from .app import create_app
from .worker import TensorWorker


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m trainer")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2)))
    ap.add_argument("--no-lifeline", action="store_true")
    args = ap.parse_args()
    token = os.environ.get("TARL_TRAINER_TOKEN", "")
    if len(token) < 16:
        sys.exit("TARL_TRAINER_TOKEN must be set (>= 16 characters)")
    if not args.no_lifeline:
        parent = os.environ.get("TARL_TRAINER_PARENT_PID")
        lifeline.install(int(parent) if parent else None)
    torch.set_num_threads(args.threads)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    worker = TensorWorker(args.threads)
    config = uvicorn.Config(create_app(token, worker), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    print(json.dumps({"port": sock.getsockname()[1], "pid": os.getpid()}), flush=True)
    server.run(sockets=[sock])
    worker.shutdown()


if __name__ == "__main__":
    main()
