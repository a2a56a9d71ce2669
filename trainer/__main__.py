"""Entry point: `python -m trainer --port 0 --threads 2 [--nproc N]`; token from TARL_TRAINER_TOKEN.

Binds 127.0.0.1, prints one line `{"port": N, "pid": P}` on stdout once listening, and exits when
the parent dies (see lifeline.py) unless --no-lifeline is given (a standalone server).

--nproc N > 1: this process becomes the launcher. It runs torch.distributed.run (torchrun) in
process — `--standalone --nproc-per-node N -m trainer …`, or a c10d rendezvous at
--rdzv-endpoint with --nnodes for several nodes — and the ranks it starts join one process group
(gloo on CPU; nccl for CUDA tensors). Rank 0 serves HTTP and prints the port line; the other ranks
execute its commands (commands.py). The ranks inherit the launcher's stdin and name it as the
parent their lifeline watches, so they die with it; torchrun ends every rank when one fails.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys

from . import distributed, lifeline


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m trainer")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2)), help="torch threads (per rank)")
    ap.add_argument("--no-lifeline", action="store_true")
    ap.add_argument("--nproc", type=int, default=1, help="ranks on this node (torchrun --nproc-per-node); 1 = one plain process")
    ap.add_argument("--nnodes", type=int, default=1, help="nodes (torchrun --nnodes); > 1 needs --rdzv-endpoint")
    ap.add_argument("--rdzv-endpoint", default=None, help="host:port of the c10d rendezvous all nodes join")
    ap.add_argument("--dist-timeout", type=float, default=1800.0, help="seconds a collective may wait for the other ranks")
    return ap.parse_args()


def _launch(args: argparse.Namespace) -> None:
    """The launcher: torchrun's agent, in this process, over `python -m trainer` workers."""
    from torch.distributed.run import main as torchrun

    if args.nnodes > 1 and not args.rdzv_endpoint:
        sys.exit("--nnodes > 1 needs --rdzv-endpoint host:port")
    if not args.no_lifeline:
        parent = os.environ.get("TARL_TRAINER_PARENT_PID")
        lifeline.install(int(parent) if parent else None)
        os.environ["TARL_TRAINER_PARENT_PID"] = str(os.getpid())  # the ranks' parent is this process
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    where = ["--standalone"] if args.nnodes == 1 else ["--nnodes", str(args.nnodes), "--rdzv-backend", "c10d", "--rdzv-endpoint", args.rdzv_endpoint, "--rdzv-id", "tarl-trainer"]
    worker = ["-m", "trainer", "--host", args.host, "--port", str(args.port), "--threads", str(args.threads), "--dist-timeout", str(args.dist_timeout)]
    if args.no_lifeline:
        worker.append("--no-lifeline")
    torchrun([*where, "--nproc-per-node", str(args.nproc), "--max-restarts", "0", *worker])


def _serve(args: argparse.Namespace, token: str) -> None:
    """One process, or rank 0 of several: the HTTP service."""
    import uvicorn

    from .app import create_app
    from .worker import TensorWorker

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    worker = TensorWorker(args.threads)
    config = uvicorn.Config(create_app(token, worker), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    print(json.dumps({"port": sock.getsockname()[1], "pid": os.getpid()}), flush=True)
    server.run(sockets=[sock])
    worker.stop_followers()
    worker.shutdown()


def main() -> None:
    args = _args()
    token = os.environ.get("TARL_TRAINER_TOKEN", "")
    if len(token) < 16:
        sys.exit("TARL_TRAINER_TOKEN must be set (>= 16 characters)")
    ranked = distributed.launched_by_torchrun()
    if args.nproc > 1 and not ranked:
        _launch(args)
        return
    if not args.no_lifeline:
        parent = os.environ.get("TARL_TRAINER_PARENT_PID")
        lifeline.install(int(parent) if parent else None)
    # Imported here, not at the top: the launcher needs neither transformers nor the app, and
    # importing them there would delay the ranks' start by seconds.
    import torch

    from . import commands

    torch.set_num_threads(args.threads)
    if ranked:
        distributed.init(args.dist_timeout)
        commands.command_group()  # created by every rank, in the same order
        if distributed.rank() != 0:
            commands.follow(commands.Commands())
            return
    _serve(args, token)


if __name__ == "__main__":
    main()
