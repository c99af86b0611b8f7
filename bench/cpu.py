"""CPU time that a gunicorn server (its master and workers) has used, from /proc: on a machine
shared with other work, CPU per request says what a change saved when latency and throughput
move with the neighbours' load."""

from __future__ import annotations

import os
from pathlib import Path


def _cpu_seconds(pid: int) -> tuple[int, float, float]:
    """(parent pid, user + system seconds, those of its children that have ended) of a
    process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    own, ended = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
    return int(fields[1]), own / ticks, ended / ticks


def server_cpu(master: int) -> dict[int, float]:
    """CPU seconds of ``master`` and each of its worker processes, by pid ({} if not Linux).
    The master's count includes the workers that ended (gunicorn recycles them, see
    ``max_requests``): their seconds would otherwise be lost from the sum."""
    found: dict[int, float] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent, seconds, ended = _cpu_seconds(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
        if int(entry.name) == master:
            found[master] = seconds + ended
        elif parent == master:
            found[int(entry.name)] = seconds
    return found


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings (a worker started meanwhile counts from 0)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
