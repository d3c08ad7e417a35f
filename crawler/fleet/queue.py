"""The crawl queue of the fleet (crawl stage): a Dramatiq broker on Redis or RabbitMQ carrying
source names from the scheduler to the workers.

A message is acknowledged only after its crawl ended (Dramatiq acknowledges when the actor
returns), so the broker hands the source of a worker that died to another: RabbitMQ when the
worker's connection drops, Redis once the worker's heartbeat is older than JAJAK_BROKER_HEARTBEAT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit, urlunsplit

# Dramatiq and its broker's client (redis or pika) are the fleet extra, which a machine on its own
# need not install: they are imported by the functions that use them.
if TYPE_CHECKING:
    from dramatiq import Broker
    from dramatiq.brokers.rabbitmq import RabbitmqBroker
    from dramatiq.brokers.redis import RedisBroker

QUEUE = "jajak-crawls"
ACTOR = "crawl_source"
# Out of a million broker commands, how many also requeue the messages of dead workers (Redis);
# Dramatiq's default (1000) may leave them for a long while on a quiet queue.
_MAINTENANCE_CHANCE = 100_000


def make_broker(url: str, heartbeat: float, timeout: float | None = None) -> Broker:
    """The broker of ``url`` (redis://, amqp://), without Dramatiq's global broker; ``timeout``:
    seconds a connection or an answer may take (none: the client's own defaults)."""
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss"):
        from dramatiq.brokers.redis import RedisBroker

        if timeout is not None:  # redis-py reads these from the URL's query
            url = _with_query(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        # RedisBroker.__init__ has no annotations (Dramatiq 2.2)
        return RedisBroker(url=url, heartbeat_timeout=int(heartbeat * 1000),  # type: ignore[no-untyped-call]
                           maintenance_chance=_MAINTENANCE_CHANCE)
    from dramatiq.brokers.rabbitmq import RabbitmqBroker

    # Dramatiq refuses pika parameters next to a URL: they go in the URL (pika's URLParameters),
    # unless it says them already.
    url = _with_query(url, heartbeat=max(int(heartbeat), 1))
    if timeout is not None:
        url = _with_query(url, socket_timeout=timeout, connection_attempts=1)
    # Publisher confirms: enqueue returns once RabbitMQ has the message in the queue, so a crawl
    # the scheduler sent is never lost in a broker that dies just after accepting it (and a
    # length read right after counts it).
    return RabbitmqBroker(url=url, confirm_delivery=True)


def _with_query(url: str, **params: float) -> str:
    """``url`` with these query parameters added, where it does not set them itself."""
    parts = urlsplit(url)
    given = {pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}
    added = [f"{key}={value:g}" for key, value in params.items() if key not in given]
    return urlunsplit(parts._replace(query="&".join(filter(None, [parts.query, *added]))))


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


class QueueUnreachable(Exception):
    """The broker did not answer (`jajak status` says so instead of the queue's length)."""


@dataclass(frozen=True)
class QueueLength:
    """Messages of the crawl queue: waiting for a worker, and taken by one but not yet
    acknowledged (being crawled; None where the broker does not say: RabbitMQ)."""

    waiting: int
    taken: int | None


_ASK_TIMEOUT = 5.0  # seconds `jajak status` waits for the broker


def queue_length(url: str, heartbeat: float, queue: str = QUEUE) -> QueueLength:
    """The crawl queue's length, read from the broker without consuming or declaring anything."""
    broker = make_broker(url, heartbeat, timeout=_ASK_TIMEOUT)
    try:
        # make_broker() chose the broker's class by the same scheme
        if urlsplit(url).scheme in ("redis", "rediss"):
            return _redis_length(cast("RedisBroker", broker), queue)
        return _rabbitmq_length(cast("RabbitmqBroker", broker), queue)
    finally:
        broker.close()


def _redis_length(broker: RedisBroker, queue: str) -> QueueLength:
    from redis.exceptions import RedisError

    # Dramatiq's keys: the list of message ids waiting, and the hash of every message not yet
    # acknowledged (waiting or taken). Its own qsize command would register this process as a
    # worker (a heartbeat), so the keys are read directly.
    name = f"{broker.namespace}:{queue}"
    try:
        waiting = int(broker.client.llen(name))
        unacknowledged = int(broker.client.hlen(f"{name}.msgs"))
    except (RedisError, OSError) as err:
        raise QueueUnreachable(str(err)) from err
    return QueueLength(waiting, max(unacknowledged - waiting, 0))


def _rabbitmq_length(broker: RabbitmqBroker, queue: str) -> QueueLength:
    from pika.exceptions import AMQPError, ChannelClosedByBroker

    # A passive declare only asks: it creates nothing, and fails (404) for a queue never declared.
    try:
        method = broker.channel.queue_declare(queue=queue, passive=True).method
    except ChannelClosedByBroker as err:
        if err.reply_code == 404:
            return QueueLength(0, None)
        raise QueueUnreachable(str(err)) from err
    except (AMQPError, OSError) as err:
        raise QueueUnreachable(str(err) or type(err).__name__) from err
    return QueueLength(int(method.message_count), None)
