"""Memory of jajak's processes, read from /proc (Linux): crawl stats, limits, benchmarks."""

from __future__ import annotations


def process_mb(pid: int | str = "self", field: str = "VmHWM") -> float | None:
    """A /proc/PID/status memory field in MB: VmHWM (peak resident) or VmRSS (resident now);
    None where /proc or the process is absent."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def process_pss_mb(pid: int | str = "self") -> float | None:
    """Proportional set size in MB (/proc/PID/smaps_rollup): resident pages, each page shared
    by n processes counted 1/n. Summed over processes it is their real share of memory, where
    summed RSS counts a shared page (the interpreter's and libraries' code, what a forked child
    still shares with its parent) once per process."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        return None
    return None
