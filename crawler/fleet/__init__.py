"""Many machines (JAJAK_BROKER_URL): the scheduler puts source names on a Dramatiq queue, long-lived
workers crawl them in their crawl engine, and one PostgreSQL database holds everything."""
