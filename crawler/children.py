"""Child processes end with the process that started them, however it ends (`kill -9`
included), so a killed `jajak crawl` or daemon leaves no crawl running on its own.

Linux's parent-death signal (``prctl(PR_SET_PDEATHSIG)``) is set in the child between fork and
exec. On other systems nothing is set (the crawl locks still keep two crawls of one source
apart).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# Looked up once in the parent: the child, between fork and exec, only calls it.
_PRCTL = _prctl()


def die_with_parent(sig: int = signal.SIGKILL) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child get ``sig`` when this process dies (None where the
    system has no such signal). The parent's pid is taken now, in the parent."""
    prctl = _PRCTL
    if prctl is None:
        return None
    parent = os.getpid()

    def set_parent_death_signal() -> None:
        prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        # The parent may have died between fork and prctl: then no signal will ever come.
        if os.getppid() != parent:
            os._exit(1)

    return set_parent_death_signal
