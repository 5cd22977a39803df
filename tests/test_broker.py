"""The Celery broker transport (config.broker) keeps one redis-py client per connection pool."""

import os

import pytest
import redis
from kombu import Connection

from config.broker import Channel
from tests.integration.conftest import REDIS_URL, _reachable
from tests.test_deploy import PRODUCTION, setting


@pytest.fixture
def channel():
    if not _reachable(REDIS_URL):
        pytest.skip(f"no Redis at {REDIS_URL} (CI always runs this)")
    with Connection(REDIS_URL, transport="config.broker:Transport") as conn:
        yield conn.default_channel


def test_publishing_builds_the_client_once_not_per_message(channel):
    # Kombu's own channel built a new redis.Redis for every message (every POST of an interview).
    assert isinstance(channel, Channel)
    client = channel._create_client()
    assert isinstance(client, redis.Redis)
    assert channel._create_client() is client
    with channel.conn_or_acquire() as used:
        assert used is client


def test_a_new_pool_after_a_connection_error_gets_a_new_client(channel):
    client = channel._create_client()
    channel._disconnect_pools()  # what kombu does after a connection error or a fork
    fresh = channel._create_client()
    assert fresh is not client
    assert fresh.connection_pool is channel.pool


def test_messages_still_arrive(channel):
    queue = f"sift-test-broker-{os.getpid()}"
    channel.queue_declare(queue, auto_delete=True)
    try:
        channel.basic_publish(channel.prepare_message("hello"), exchange="", routing_key=queue)
        assert channel.basic_get(queue, no_ack=True).body == b"hello"
    finally:
        channel.queue_delete(queue)


def test_a_redis_broker_url_uses_it_and_other_schemes_keep_kombus_own():
    assert setting("s.CELERY_BROKER_TRANSPORT", **PRODUCTION) == "config.broker:Transport"
    tls = {**PRODUCTION, "REDIS_URL": "rediss://cache.example:6380/0"}
    assert setting("s.CELERY_BROKER_TRANSPORT", **tls) == "None"
