"""Kombu's Redis transport, keeping its redis-py client instead of building one per message.

Kombu's Redis channel constructs a new redis.Redis around its (kept) connection pool for every
message it publishes; the construction (its response-callback table, ~170 entries) was a third of
the Python calls of queueing an interview's extraction, on every POST /api/interviews/. The same
shortcut as config.cache: a redis.Redis is safe to share between threads (its connections come
from the pool), and a channel is used by one thread at a time anyway (Celery's producer pool).
"""

from typing import Any

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _kept_client: Any = None

    def _create_client(self, asynchronous: bool = False) -> Any:
        # The asynchronous client (the worker's blocking reads) is already built once per channel.
        if asynchronous:
            return super()._create_client(asynchronous=True)
        client = self._kept_client
        # A channel drops its pool after a connection error or a fork: a client of the old pool
        # would reconnect through a pool nothing else uses any more.
        if client is None or client.connection_pool is not self.pool:
            client = self._kept_client = super()._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
