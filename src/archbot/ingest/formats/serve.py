"""The conversion worker process: `python -m archbot.ingest.formats.serve MEMORY_MB`.

Requests come as pickles on stdin, answers go as pickles on a copy of stdout; stdout itself is sent
to stderr, so nothing a library prints can corrupt the answers. Its address space is capped first.
"""

from __future__ import annotations

import os
import resource
import sys
from multiprocessing.connection import Connection

from archbot.ingest.formats.convert import run
from archbot.ingest.loaders import SkipFile


def _cap_memory(memory_mb: int) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))


def main(memory_mb: int) -> None:
    """(format, bytes, limits) in, ("ok", Converted) or ("skip", reason) out, until stdin closes.

    After a MemoryError the answer is ("restart", reason) and the worker ends: its heap is not trusted.
    """
    requests = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    _cap_memory(memory_mb)
    answers.send(("ready", None))  # imports done: a conversion's time limit is its own
    while True:
        try:
            fmt, data, limits = requests.recv()
        except EOFError:
            return
        try:
            answers.send(("ok", run(fmt, data, limits)))
        except SkipFile as skip:
            answers.send(("skip", skip.reason))
        except MemoryError:
            reason = f"needs more than {memory_mb} MB to convert (ARCHBOT_CONVERT_MEMORY_MB): split it"
            answers.send(("restart", reason))
            return


if __name__ == "__main__":
    main(int(sys.argv[1]))
