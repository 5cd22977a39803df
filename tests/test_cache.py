"""The Redis cache (lockout counters, API throttles) keeps one redis-py client per connection pool."""

import redis

from config.cache import RedisCache


def test_the_redis_cache_builds_its_client_once_not_per_operation():
    # No server needed: building a client does not connect. Django's own backend built a new one
    # for every get and set (three per API request), as costly as the round trip itself.
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    client = cache._cache.get_client("k")
    assert isinstance(client, redis.Redis)
    assert cache._cache.get_client("other") is client
    writer = cache._cache.get_client("k", write=True)
    assert cache._cache.get_client("other", write=True) is writer
    assert writer.connection_pool is client.connection_pool  # one server: one pool
