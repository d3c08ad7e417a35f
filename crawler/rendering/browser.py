"""The browser side of rendering (crawl stage): which Chromium, how it is launched, which of a
page's requests it may make, and how much memory its processes hold."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.discovery.urls import in_domains

if TYPE_CHECKING:
    from collections.abc import Iterable

    from playwright.async_api import Request as PlaywrightRequest

# Debian's real binary first: /usr/bin/chromium is a shell wrapper that adds flags of its own
# and prints a harmless "[: unexpected operator" from /etc/chromium.d/dev-shm.
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
# Playwright already passes --headless, --no-sandbox (chromium_sandbox=False: the sandbox cannot
# start as root in a container), --disable-dev-shm-usage, --disable-background-networking and
# --disable-component-update. These add what a GPU-less, offline machine also wants: no GPU
# process, no audio, no first-run or reliability/ping traffic to hosts that cannot be reached.
LAUNCH_ARGS = (
    "--disable-gpu",
    "--mute-audio",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--disable-domain-reliability",
    "--no-pings",
    "--disable-features=Translate,MediaRouter,OptimizationHints,InterestFeedContentSuggestions",
)
# What a page may not load: the text is in the HTML and the scripts, never in these.
ABORTED_RESOURCE_TYPES = frozenset({"image", "font", "media", "imageset", "texttrack"})


_BROWSER_NAMES = frozenset({"chromium", "chrome", "chrome-headless-shell", "headless_shell"})


class BrowserMissing(Exception):
    """No usable Chromium binary; the message says where we looked and how to install one."""


def find_chromium(configured: str = "") -> str:
    """Path of the Chromium to launch: ``configured`` (JAJAK_CHROMIUM) if given, else Debian's."""
    if configured:
        path = shutil.which(configured) or configured
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
        raise BrowserMissing(f"JAJAK_CHROMIUM={configured} is not an executable file")
    for path in CHROMIUM_CANDIDATES:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    raise BrowserMissing(
        "no Chromium found (looked at " + ", ".join(CHROMIUM_CANDIDATES)
        + "); install it with `apt-get install chromium` or set JAJAK_CHROMIUM"
    )


def launch_options(executable: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """PLAYWRIGHT_LAUNCH_OPTIONS for ``executable``; never Playwright's own browser download."""
    options = dict(base or {})
    options["executable_path"] = executable
    options.setdefault("headless", True)
    options["chromium_sandbox"] = False
    args = list(options.get("args") or [])
    options["args"] = args + [a for a in LAUNCH_ARGS if a not in args]
    return options


class AbortRequest:
    """PLAYWRIGHT_ABORT_REQUEST for one source: images, fonts, media and other hosts are cut."""

    def __init__(self, domains: Iterable[str]) -> None:
        self.domains = tuple(domains)

    def __call__(self, request: PlaywrightRequest) -> bool:
        if request.resource_type in ABORTED_RESOURCE_TYPES:
            return True
        url = request.url
        # data:/blob: URLs never leave the browser; anything on the network must stay on the
        # source's own hosts (ads, trackers, CDNs of others cost time and leak the crawl).
        return url.startswith(("http:", "https:", "ws:", "wss:")) and not in_domains(
            url.replace("ws:", "http:", 1).replace("wss:", "https:", 1), self.domains
        )


def descendants(root: int) -> list[int]:
    """Process ids below ``root`` (children, grandchildren, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ")".
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    queue = [root]
    while queue:
        pid = queue.pop()
        for child in children.get(pid, ()):
            found.append(child)
            queue.append(child)
    return found


def browser_memory_mb(executable: str, root: int | None = None) -> tuple[float, float]:
    """Summed RSS and summed PSS (MB) of the Chromium processes started below ``root``.

    RSS counts the pages that Chromium's processes share once per process, so it over-states
    what the browser costs (it is what `ps` and most limits show); PSS splits shared pages
    between the processes that share them, so its sum is the browser's real share of memory.
    """
    target = os.path.realpath(executable)
    rss_kb = pss_kb = 0
    for pid in descendants(root if root is not None else os.getpid()):
        try:
            exe = os.path.realpath(f"/proc/{pid}/exe")
            # The wrapper script /usr/bin/chromium execs the real binary: match by name too.
            if exe != target and os.path.basename(exe) not in _BROWSER_NAMES:
                continue
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss_kb += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss_kb += int(line.split()[1])
        except (OSError, ValueError):
            continue  # the process ended while we looked
    return round(rss_kb / 1024, 1), round(pss_kb / 1024, 1)


def browser_rss_mb(executable: str, root: int | None = None) -> float:
    """Summed RSS (MB) of the Chromium processes started below ``root`` (this process)."""
    return browser_memory_mb(executable, root)[0]
