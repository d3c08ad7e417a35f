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
