"""Settings for newsroom.

Everything that differs between a laptop and production comes from the environment, with
defaults that are safe for a fresh clone: SQLite in the project folder, DEBUG off unless
asked for, a development secret key that production refuses to start with.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG")
# Good enough for a laptop and for commands that sign nothing (a dry-run import): a server
# with DEBUG off refuses to start on it (newsroom/wsgi.py), since anyone who knows this key can
# forge sessions and password resets; `check --deploy` flags it too (security.W009).
DEV_SECRET_KEY = "django-insecure-dev-only-key-set-SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or DEV_SECRET_KEY
REFUSAL_WITHOUT_KEY = (
    "SECRET_KEY is not set: with DEBUG off newsroom refuses to serve on the public development key. "
    "Set SECRET_KEY to a long random value (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
    "or DEBUG=1 on a laptop."
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "desk.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "import_export",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "issues",
    "articles",
    "desk",
    "reader",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app itself (hashed names cached for a year), so gunicorn alone
    # serves a complete site; right after SecurityMiddleware so that its headers still apply.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.request_limits.RequestSizeLimitMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # An anonymous reader's page from the page cache or the rendered edition, before the
    # middleware below (sessions, CSRF, auth...) runs: reader/middleware.py.
    "reader.middleware.PublicPageMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    # The public site's pages (reader/jinja2/, reader/templating.py): Jinja2 renders them several
    # times faster than Django's engine, and they are every live and stored page's cost.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "reader" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "reader.templating.environment",
            "context_processors": ["reader.context_processors.site"],
        },
    },
    # The desk: Django's admin and its templates.
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

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameter binding: psycopg sends values apart from the SQL instead of
    # quoting them in Python, which is most of the cost of a bulk import. Turn it off
    # (PG_SERVER_SIDE_BINDING=0) behind a transaction-pooling PgBouncer.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env_bool("PG_SERVER_SIDE_BINDING", True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A long-running import holds the write lock; readers and a second writer wait for it
    # instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
    DATABASES["default"]["CONN_MAX_AGE"] = 0

if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "newsroom.routers.ReplicaReadsMiddleware",
    )

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses logins from a locked-out username and address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock the attacker, not the editor: failures count per username AND client address together
# (the same username from another address is not locked), for an hour from the last failure
# that counted (attempts while locked do not extend it); a chief editor can unlock a
# colleague from the desk (desk/admin/accounts.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# How many proxies in front of the app append to X-Forwarded-For (a load balancer: 1). The
# client address is read from that header's matching entry from the right; 0 uses REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"

# A strict policy: scripts and styles only from our own origin, no inline script anywhere.
# Inline style attributes stay allowed because Django admin widgets still write a few.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
# Our Chinese for the few strings Django and its apps leave untranslated (compiled .mo kept in git).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Media on local disk by default (one machine, or a shared mount); on S3-compatible storage
# through django-storages when AWS_STORAGE_BUCKET_NAME is set, so that every app server
# and worker sees the same files. Credentials come from boto3's usual sources
# (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance role).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes each file under a content-hashed name (css/site.4f1c….css) with
    # gzip copies and a manifest; {% static %} names the hashed file.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH"),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
# Django serves local media itself (with MEDIA_HEADERS, newsroom/media.py) unless a web
# server in front does (SERVE_MEDIA=0) or the files live on S3.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not os.environ.get("AWS_STORAGE_BUCKET_NAME"))

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Each process keeps this many entries (whole public pages, 20-40 KB each), not
            # Django's 300: an issue alone has some 50 pages, and a full cache evicts a third.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
        }
    )
}

# Background work (admin imports) through Django's tasks API on a database-backed queue:
# any app server enqueues, `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Cache anonymous public pages (issues/cache.py); off only to measure the uncached pages.
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)

# The rendered edition (reader/edition.py): published pages kept in the database and served
# with one lookup. EDITION_RENDER_ON_CHANGE queues a re-render after each change (bulk loads
# turn it off and run `manage.py render_edition` afterwards).
PUBLIC_PAGE_STORE = env_bool("PUBLIC_PAGE_STORE", True)
# The statements every public request runs (reader/db.py) are prepared on PostgreSQL; off
# with PG_SERVER_SIDE_BINDING=0 (a transaction-pooling PgBouncer), or on its own: 0 for a
# pooler that cannot keep prepared statements (PgBouncer before 1.21).
PREPARED_READS = env_bool("PREPARED_READS", env_bool("PG_SERVER_SIDE_BINDING", True))
EDITION_RENDER_ON_CHANGE = env_bool("EDITION_RENDER_ON_CHANGE", True)


def site_url() -> str:
    """The public site's origin, ``scheme://host[:port]``: SITE_URL, else the former
    EDITION_HOST, else the first ALLOWED_HOSTS given (https with HTTPS), else the development
    server's address."""
    value = os.environ.get("SITE_URL", "").strip()
    if not value:
        named = [h for h in env_list("ALLOWED_HOSTS") if h[0] not in ".*"]
        host = os.environ.get("EDITION_HOST", "").strip() or (named[0] if named else "")
        value = f"{'https' if env_bool('HTTPS') else 'http'}://{host}" if host else "http://127.0.0.1:8000"
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path.strip("/") or parts.query:
        raise ImproperlyConfigured(f"SITE_URL must be an origin like https://news.example.org, not {value!r}")
    return f"{parts.scheme}://{parts.netloc}"


# Canonical links, feeds, sitemaps, robots.txt and the stored edition name this origin, never
# the request's Host: a page is the same whichever allowed host asked for it.
SITE_URL = site_url()

# Admin uploads (导入报纸): at most this many files and bytes in all at once, checked before
# anything is parsed. Any request body larger than the upload cap plus 1 MB (form fields,
# multipart framing) is refused with 413 before it is read (newsroom/request_limits.py).
NEWSROOM_UPLOAD_MAX_FILES = int(os.environ.get("NEWSROOM_UPLOAD_MAX_FILES", "20"))
NEWSROOM_UPLOAD_MAX_BYTES = int(os.environ.get("NEWSROOM_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))
NEWSROOM_REQUEST_MAX_BYTES = NEWSROOM_UPLOAD_MAX_BYTES + 1024 * 1024
# Django's own limits: an uploaded file above 2.5 MB waits in a temporary file, not in memory;
# the other form fields may hold 2.5 MB; Django refuses outright more files than twice the cap
# (up to that the upload form says what is wrong, in Chinese).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * NEWSROOM_UPLOAD_MAX_FILES

# The publication an import falls back to when the masthead names none we know.
NEWSROOM_DEFAULT_PUBLICATION = os.environ.get("NEWSROOM_DEFAULT_PUBLICATION", "workers-daily")

IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_REFERRER_POLICY = "same-origin"
if env_bool("HTTPS"):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
