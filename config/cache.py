"""Django's Redis cache, keeping its redis-py client instead of building one per operation.

Django's RedisCacheClient.get_client() constructs a new redis.Redis around the (kept) connection
pool on every get, set or incr; the construction (its response-callback table, ~170 entries) cost
about as much CPU as the round trip itself. Each API request reads the lockout and reads and writes
its throttle: three clients built per request, for nothing. A redis.Redis is safe to share between
threads (its connections come from the pool), and Django keeps one cache backend per thread anyway.
"""

from typing import Any

from django.core.cache.backends import redis as django_redis


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    """One client for writes and one for reads (the same server: Sift's cache is REDIS_URL alone;
    with replicas, each thread would keep reading from the one it drew first)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
