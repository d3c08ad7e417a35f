"""What runs (below the CLI and the daemon, which only decide how and when): the crawl, digest
and health jobs, each a plain function of the validated Config in a module of its own.

crawl: `run_crawl`, `crawl_scheduled`, `after_crawl`; engines and service: the crawl engine child
processes they run in. digest: `run_digest`, `scheduled_digest`, `send_instant_alerts`. health:
`run_health`, `close_interrupted_runs`, `announce_stop`. Nothing here imports crawler.cli or
crawler.daemon or crawler.schedule (tests/test_jobs.py checks it).
"""
