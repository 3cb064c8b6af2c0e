"""corpnet settings: everything that differs between machines comes from the environment.

Development defaults are safe: SQLite under ``var/``, mail to a local sink, DEBUG off unless
asked for. With DEBUG off the app refuses to start on an unsafe setting (no SECRET_KEY, no
ALLOWED_HOSTS) instead of running half-protected. See ``.env.example`` for every variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from corpnet.caches import parse_cache_url
from corpnet.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("CORPNET_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)

# A development key is only ever used with DEBUG on; production must bring its own.
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use at least 50 random characters.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty: list the host names the intranet is served under.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "simple_history",
    "accounts.apps.LockoutConfig",  # django-axes
    "django_tasks",
    "corpnet.apps.TasksDatabaseConfig",  # django_tasks_db with a translated name
    "accounts",
    "staff",
    "clients",
    "orders",
    "mailing",
    "prices",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (static files too).
    "corpnet.middleware.SecurityHeadersMiddleware",
    # ?x=%00 is a 400 on both databases (PostgreSQL cannot take NUL in text).
    "corpnet.middleware.RefuseNulInQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is explicitly marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Back links return to a list with the filters it was left with: corpnet/backlinks.py.
    "corpnet.backlinks.RememberListQueryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "corpnet.admin_titles.AdminGrammarMiddleware",  # «Добавить сотрудника», not «Добавить сотрудник»
    "simple_history.middleware.HistoryRequestMiddleware",
    # Pages for a logged-in user are never kept by browsers or proxies (client data).
    "corpnet.middleware.NoStoreForLoggedInMiddleware",
    # Last: turns a lockout (too many failed logins) into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "corpnet.urls"
WSGI_APPLICATION = "corpnet.wsgi.application"
ASGI_APPLICATION = "corpnet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The admin's model names in the right grammatical case (templates/admin/).
            "libraries": {"corpnet_admin": "corpnet.admin_titles"},
            # {{ sum|money }}, {{ client|person_name }} on every page: corpnet/display.py.
            "builtins": ["corpnet.templatetags.display"],
        },
    },
]

# Database: SQLite under var/ by default, PostgreSQL in production via DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'corpnet.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist as on PostgreSQL (DB_CONN_MAX_AGE): opening one and running the
    # PRAGMAs below cost every request (5 % of a list page's CPU under gunicorn).
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the background worker writes; the busy timeout
        # makes a writer wait for the lock instead of failing with "database is locked", and
        # IMMEDIATE transactions take the write lock up front so two writers never deadlock.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": env("CORPNET_TEST_SQLITE", "") or None}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL (server-side binding: not quoted into it in Python),
    # and a statement a connection has run 5 times is prepared: PostgreSQL parses and plans a
    # list page's queries once per connection, not per request (-40 % of its CPU per page).
    # What it costs, and DB_PREPARED_STATEMENTS=0 for a pooler that cannot keep prepared
    # statements: docs/decisions/postgresql-connections.md.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=5 if envbool("DB_PREPARED_STATEMENTS", True) else None,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process (sessions, throttles, login lockouts, report figures): see
# corpnet/caches.py. The database cache by default, Redis with CACHE_URL=redis://host:6379/0.
CACHE_URL = env("CACHE_URL", "db://")
CACHES = {
    "default": parse_cache_url(CACHE_URL),
    # Per process, for HTML that is a pure function of its key (a list's filter form per
    # language and query string): read without a round trip to the shared cache.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "corpnet-local"},
}

# How many proxies in front of the app append to X-Forwarded-For. 0: the client's address
# is REMOTE_ADDR (no proxy, or one that does not say); 1: one proxy (nginx) in front, so the
# last X-Forwarded-For entry is the client's. Used for login lockouts and API throttles.
NUM_PROXIES = envint("NUM_PROXIES", 0, minimum=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
# One date format per language, "1 000,50" in Russian, money formats: corpnet/formats/,
# docs/decisions/locale.md.
FORMAT_MODULE_PATH = ["corpnet.formats"]
# The currency every sum is kept in, shown next to amounts ("1 000,50 ₽").
CURRENCY = env("CURRENCY", "RUB").upper()

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Phones are stored in E.164; numbers typed without a country code are read as Russian.
PHONENUMBER_DEFAULT_REGION = env("PHONENUMBER_DEFAULT_REGION", "RU")
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# Email: Django's SMTP backend (smtplib). Development points it at the local sink that
# `make run` starts; production points it at the corporate mail server.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = envint("EMAIL_PORT", 8025, minimum=1)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "corpnet <noreply@corpnet.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive.")

# Background work (mailings) through Django's Tasks API, stored in the database.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Mailing throughput: corporate mail servers cap senders, so the pace is configurable.
# 0 messages per minute means no limit. Temporary failures (4xx, lost connection) are retried
# up to MAILING_MAX_ATTEMPTS times, waiting MAILING_RETRY_BACKOFF seconds, doubled each time.
MAILING_RATE_PER_MINUTE = envint("MAILING_RATE_PER_MINUTE", 0, minimum=0)
MAILING_BATCH_SIZE = envint("MAILING_BATCH_SIZE", 200, minimum=1)
MAILING_MAX_ATTEMPTS = envint("MAILING_MAX_ATTEMPTS", 5, minimum=1)
MAILING_RETRY_BACKOFF = envint("MAILING_RETRY_BACKOFF", 60, minimum=0)
# SMTP connections one worker keeps open to send a mailing (1 when a rate limit is set).
MAILING_CONNECTIONS = envint("MAILING_CONNECTIONS", 4, minimum=1)
# A worker that has not reported for this many seconds is taken for lost: its in-flight
# recipients become "unknown" and the rest is continued by another worker or on Resume.
MAILING_STALE_AFTER = envint("MAILING_STALE_AFTER", 30, minimum=10)
# "Send a test to me" waits at most this many seconds for the mail server.
MAILING_TEST_TIMEOUT = envint("MAILING_TEST_TIMEOUT", 10, minimum=1)
# Mail server unreachable as a whole: the mailing waits, from MAILING_OUTAGE_BACKOFF seconds
# up to MAILING_OUTAGE_BACKOFF_MAX, without spending its recipients' attempts.
MAILING_OUTAGE_BACKOFF = envint("MAILING_OUTAGE_BACKOFF", 10, minimum=0)
MAILING_OUTAGE_BACKOFF_MAX = envint("MAILING_OUTAGE_BACKOFF_MAX", 300, minimum=1)

# API tokens (accounts.ApiToken, issued with `manage.py issue_api_token`) expire after this
# many days unless --days says otherwise.
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90, minimum=1)

# The REST API (/api/v1/, see corpnet/api/). Token auth comes first so that an anonymous
# request gets 401 with a WWW-Authenticate header rather than a 403.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        # Requests without credentials and wrong tokens count against the "anon" rate.
        "corpnet.api.authentication.AnonymousThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["corpnet.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["corpnet.api.filters.FilterSetBackend"],
    "DEFAULT_PAGINATION_CLASS": "corpnet.api.pagination.PagePagination",
    "DEFAULT_THROTTLE_CLASSES": ["corpnet.api.throttling.UserThrottle", "corpnet.api.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_USER", "1200/minute"),
        "anon": env("API_THROTTLE_ANON", "60/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "EXCEPTION_HANDLER": "corpnet.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "corpnet.api.schema.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "corpnet API",
    "DESCRIPTION": "Posts, workers, clients, orders, mailings and prices, with the same rules and filters as the intranet's pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies have their own serializers (every field optional but `version`).
    "COMPONENT_SPLIT_PATCH": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "MailingStatusEnum": "mailing.models.Mailing.Status",
        "RecipientStatusEnum": "mailing.models.Recipient.Status",
    },
    # The anonymous-throttle "authenticator" authenticates nobody: not a scheme to document.
    "AUTHENTICATION_WHITELIST": [
        "accounts.api_auth.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No call to the public validator.swagger.io from the docs page.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
# Request size limits: a JSON body (API) or form (pages) larger than this is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000, minimum=100)

# Sessions are read on every request: from the shared cache (CACHE_URL), written through to
# the database, so a Redis cache spares every page a query and nothing is lost on its restart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Security: with DEBUG off these are the production values `check --deploy` asks for.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the CSRF token must stay readable by forms; see Django docs.
# The language cookie: not readable by scripts, not sent cross-site, HTTPS only in production.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = envbool("LANGUAGE_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts only from our own origin (static files), never inline; styles may be inline
# (style="" attributes for bar widths); nothing from elsewhere, no framing of our pages.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Demo data: the password seed_demo gives the demo users when none is passed (DEBUG only).
DEMO_PASSWORD = "corpnet-demo" if DEBUG else None

# Crypto prices (the prices app; cron runs `manage.py scrape_prices` every 5 minutes).
# Which sources run (names from prices/sources.py) and which coins are kept (ticker symbols).
PRICES_SOURCES = envlist("PRICES_SOURCES", "coingecko-api,binance-api,coingecko-html,coinmarketcap-html")
PRICES_COINS = [s.upper() for s in envlist("PRICES_COINS", "BTC,ETH,USDT,BNB,XRP,ADA,DOGE,DOT,LTC,BCH")]
# Point a source at another address (a mirror, a caching proxy): "name=url,name=url".
PRICES_SOURCE_URLS = dict(item.split("=", 1) for item in envlist("PRICES_SOURCE_URLS") if "=" in item)
# A coin's latest price older than this is flagged as stale on the pages.
PRICES_STALE_MINUTES = envint("PRICES_STALE_MINUTES", 30, minimum=1)
# Network hygiene: (connect, read) timeouts in seconds, retries for 429/5xx/connection errors,
# the longest Retry-After we are willing to wait, and a cap on the response size.
PRICES_CONNECT_TIMEOUT = envint("PRICES_CONNECT_TIMEOUT", 5, minimum=1)
PRICES_READ_TIMEOUT = envint("PRICES_READ_TIMEOUT", 20, minimum=1)
PRICES_RETRIES = envint("PRICES_RETRIES", 3, minimum=0)
PRICES_RETRY_AFTER_MAX = envint("PRICES_RETRY_AFTER_MAX", 60, minimum=0)
PRICES_MAX_BYTES = envint("PRICES_MAX_BYTES", 10_000_000, minimum=1024)
# Wall-clock limit for one fetch (connect to last byte, retries included): a server dripping
# its body a byte at a time never trips the read timeout, this limit stops it.
PRICES_FETCH_DEADLINE = envint("PRICES_FETCH_DEADLINE", 65, minimum=1)
# Agreement before trust (docs/decisions/prices-agreement.md): a price becomes current only
# when another source's quote of the last PRICES_AGREE_MINUTES, or the median of the coin's
# confirmed quotes of the last PRICES_HISTORY_MINUTES, is within PRICES_AGREE_PCT of it; else it
# is kept as unconfirmed. More than PRICES_MAX_DEVIATION_PCT from that median, it is refused
# and its source stores nothing.
PRICES_AGREE_PCT = envint("PRICES_AGREE_PCT", 2, minimum=1)
PRICES_AGREE_MINUTES = envint("PRICES_AGREE_MINUTES", 10, minimum=1)
PRICES_HISTORY_MINUTES = envint("PRICES_HISTORY_MINUTES", 30, minimum=1)
PRICES_MAX_DEVIATION_PCT = envint("PRICES_MAX_DEVIATION_PCT", 25, minimum=1)
PRICES_USER_AGENT = env("PRICES_USER_AGENT", "corpnet-prices/1.0 (+https://corpnet.example.com; intranet price board)")
# Two overlapping cron runs: the second finds this file locked and exits with code 75.
PRICES_LOCK_FILE = Path(env("PRICES_LOCK_FILE", str(VAR_DIR / "scrape_prices.lock")))

# Django's own ModelBackend, behind django-axes' lockout check.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one user name from
# one address, that pair is refused for AXES_COOLOFF_MINUTES, the right password included.
# Login page, admin login and API session logins all go through django.contrib.auth, so
# all are covered. Counters live in the shared cache; every failure is logged (logger "axes").
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = True
AXES_ENABLE_ADMIN = False  # its admin shows the database handler's tables, unused here
