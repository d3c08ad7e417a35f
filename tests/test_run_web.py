"""`jajak run --web`: the daemon serves the web app, with the password rules of `jajak web`."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.servers import free_port

# The daemon needs an enabled source and a channel; neither is ever reached in these tests
# (port 9 refuses, the cron is once a year and not overdue, the digest is not due).
SOURCES = "sources:\n  - {name: a, url: 'http://127.0.0.1:9/', schedule: '0 0 1 1 *'}\n"
ENV = {"JAJAK_WEB_PASSWORD": "", "JAJAK_NOTIFY": "json://127.0.0.1:9/"}


@pytest.mark.e2e
def test_run_web_off_loopback_without_password_is_one_line_and_exit_2(crawl_env):
    crawl_env.write_sources(SOURCES)

    result = crawl_env.jajak("run", "--web", "--host", "0.0.0.0", env=ENV, timeout=120)

    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "JAJAK_WEB_PASSWORD" in result.stderr, result.stderr


@pytest.mark.e2e
def test_run_web_serves_the_pages_and_stops_with_the_daemon(crawl_env):
    crawl_env.write_sources(SOURCES)
    port = free_port()
    daemon = subprocess.Popen([sys.executable, "-m", "crawler.cli", "run", "--web", "--port", str(port)],
                              env={**crawl_env.env, **ENV}, cwd=crawl_env.home,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, page = time.monotonic() + 60, None
        while page is None and time.monotonic() < deadline and daemon.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sources/add", timeout=5) as answer:
                    page = answer.read().decode()
            except OSError:
                time.sleep(0.2)
        assert page is not None, daemon.stderr.read() if daemon.poll() is not None else "no answer"
        assert "Add a source" in page
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=60)
    assert code == 0, daemon.stderr.read()


@pytest.mark.e2e
def test_run_host_without_web_is_one_line_and_exit_2(crawl_env):
    crawl_env.write_sources(SOURCES)

    result = crawl_env.jajak("run", "--host", "0.0.0.0", env=ENV, timeout=120)

    assert result.returncode == 2 and "--host and --port are for --web" in result.stderr, result.stderr
