"""What bench/load.py and bench/post_profile.py share: production settings for one run, its
database, and the interview a client posts. Imported from the bench folder beside them, so a
post_profile run against an older checkout (POST_PROFILE_ROOT) still finds it."""

import os
import secrets


def configure(*, database_url: str, redis_url: str, queue: str) -> None:
    """Production settings, as behind the TLS-terminating proxy of a deployment: the clients say
    https in X-Forwarded-Proto (plain HTTP on loopback would be redirected to https)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_QUEUE": queue,
            "LOG_LEVEL": "WARNING",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
        }
    )


def ensure_database(url: str) -> None:
    """CREATE DATABASE when the bench's own database is missing."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_queues(redis_url: str, queue: str) -> None:
    """Delete a run's private queue and its .regroup queue from Redis, with their bindings.

    Kombu's queue_delete removes only the bindings its own connection declared, so called on a
    fresh connection it deleted nothing and every run left its queue (and its tasks) behind. The
    names carry the run's random suffix: every key holding it is the run's own.
    """
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


# Two interviews a client posts, {h} hours and ${p} filled in per post.
ANSWERS = [
    {
        "whats_broken": "Month-end reporting is a nightmare: I rebuild the board pack by hand every month.",
        "time_spent": "About {h} hours a week on the reporting.",
        "current_solution": "Spreadsheets and a lot of copy paste.",
        "willingness_to_pay": "Maybe ${p} a month.",
        "risk": "If the numbers are wrong we could lose the client.",
    },
    {
        "whats_broken": "Compliance filings eat our week and we were fined once for a late report.",
        "time_spent": "Around {h} hours every week.",
        "current_solution": "A shared calendar and reminders.",
        "willingness_to_pay": "We would pay ${p} per month.",
        "risk": "Another fine would be $5,000.",
    },
]
