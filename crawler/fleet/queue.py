"""The crawl queue of the fleet (crawl stage): a Dramatiq broker on Redis or RabbitMQ carrying
source names from the scheduler to the workers.

A message is acknowledged only after its crawl ended (Dramatiq acknowledges when the actor
returns), so the broker hands the source of a worker that died to another: RabbitMQ when the
worker's connection drops, Redis once the worker's heartbeat is older than JAJAK_BROKER_HEARTBEAT.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

# Dramatiq and its broker's client (redis or pika) are the fleet extra, which a machine on its own
# need not install: they are imported by the functions that use them.
if TYPE_CHECKING:
    from dramatiq import Broker

QUEUE = "jajak-crawls"
ACTOR = "crawl_source"
# Out of a million broker commands, how many also requeue the messages of dead workers (Redis);
# Dramatiq's default (1000) may leave them for a long while on a quiet queue.
_MAINTENANCE_CHANCE = 100_000


def make_broker(url: str, heartbeat: float) -> Broker:
    """The broker of ``url`` (redis://, amqp://), without Dramatiq's global broker."""
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss"):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url, heartbeat_timeout=int(heartbeat * 1000),
                           maintenance_chance=_MAINTENANCE_CHANCE)
    from dramatiq.brokers.rabbitmq import RabbitmqBroker

    return RabbitmqBroker(url=url, heartbeat=max(int(heartbeat), 1))


def enqueue(broker: Broker, names: list[str]) -> None:
    """Ask the fleet to crawl these sources (each once, by whichever worker is free)."""
    from dramatiq import Message

    broker.declare_queue(QUEUE)
    for name in names:
        broker.enqueue(Message(queue_name=QUEUE, actor_name=ACTOR, args=(name,), kwargs={}, options={}))


def send_crawls(url: str, heartbeat: float, names: list[str]) -> None:
    """enqueue() through a broker opened and closed for it (the scheduler's jobs)."""
    broker = make_broker(url, heartbeat)
    try:
        enqueue(broker, names)
    finally:
        broker.close()
