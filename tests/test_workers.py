"""Worker processes of a crawl: calls run in a separate process, in order, and a worker that
dies hands its work back to the crawl process instead of losing it."""

from __future__ import annotations

import asyncio
import os
import signal

from crawler.extract import extract
from crawler.workers import ProcessWorkers

PAGE = (
    "<html><head><title>Kota Bogor Jajaki Kerja Sama Transportasi</title></head><body>"
    "<h1>Kota Bogor Jajaki Kerja Sama Transportasi</h1>"
    + "".join(f"<p>Paragraf {n} tentang rencana kerja sama transportasi publik antarkota.</p>" for n in range(6))
    + "</body></html>"
)


def test_calls_run_in_worker_processes_and_come_back_in_order():
    async def main():
        pool = ProcessWorkers(2)
        try:
            results = await asyncio.gather(*(pool.run(os.getpid) for _ in range(8)))
            pages = await asyncio.gather(*(pool.run(extract, PAGE, f"https://bogor.test/{n}/a-b-c") for n in range(5)))
            return results, pages, len(pool._workers)  # noqa: SLF001
        finally:
            pool.close()

    pids, pages, started = asyncio.run(main())
    assert os.getpid() not in pids and 1 <= started <= 2
    assert [p.url for p in pages] == [f"https://bogor.test/{n}/a-b-c" for n in range(5)]
    assert all(p.title == "Kota Bogor Jajaki Kerja Sama Transportasi" for p in pages)


def test_a_dead_worker_hands_its_work_back():
    async def main():
        pool = ProcessWorkers(1)
        try:
            first = await pool.run(os.getpid)
            os.kill(first, signal.SIGKILL)
            await asyncio.sleep(0.2)
            after = await asyncio.gather(*(pool.run(os.getpid) for _ in range(3)))
            return first, after, pool.processes
        finally:
            pool.close()

    first, after, processes = asyncio.run(main())
    assert first != os.getpid()
    assert after == [os.getpid()] * 3 and processes == 0


def test_no_workers_runs_in_process():
    pool = ProcessWorkers(0)
    assert asyncio.run(pool.run(os.getpid)) == os.getpid()


def test_a_crawl_given_a_pool_uses_it_and_one_without_gets_its_own():
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    shared = ProcessWorkers(1)
    first, second, alone = (get_crawler(Spider, {"JAJAK_WORKER_PROCESSES": "1"}) for _ in range(3))
    shared.share(first)
    shared.share(second)
    assert ProcessWorkers.for_crawler(first) is shared
    assert ProcessWorkers.for_crawler(second) is shared
    own = ProcessWorkers.for_crawler(alone)
    assert own is not shared and ProcessWorkers.for_crawler(alone) is own  # its pipelines share it

    async def main():
        pid = await shared.run(os.getpid)
        shared.release(first)
        still = len(shared._workers)  # noqa: SLF001 - the other crawl still uses the workers
        shared.release(second)
        return pid, still, len(shared._workers)  # noqa: SLF001

    pid, still, after = asyncio.run(main())
    assert pid != os.getpid() and still == 1 and after == 0
