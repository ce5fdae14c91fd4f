"""Rumbo's one settings module, driven by environment variables.

SQLite is the embedded default; set DATABASE_URL (e.g. postgres://user@host:5432/db) for PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("RUMBO_DEBUG", True)
SECRET_KEY = os.environ.get("RUMBO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set RUMBO_SECRET_KEY when RUMBO_DEBUG is off.")
    SECRET_KEY = "rumbo-development-only-secret-key-change-me-in-production"

ALLOWED_HOSTS = [
    h for h in os.environ.get("RUMBO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("RUMBO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Serves the API docs' Swagger UI from its own static files (no CDN: Rumbo works offline).
    "ninja",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "rumbo.core",
    "rumbo.geo",
    "rumbo.territories",
    "rumbo.team",
    "rumbo.customers",
    "rumbo.catalog",
    "rumbo.orders",
    "rumbo.coverage",
    "rumbo.interactions",
    "rumbo.prospects",
    "rumbo.targets",
    "rumbo.seasons",
    "rumbo.imports",
    "rumbo.reports",
    "rumbo.review",
    "rumbo.design",
    "rumbo.visits",
    "rumbo.quotas",
    "rumbo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "rumbo.urls"
WSGI_APPLICATION = "rumbo.wsgi.application"
ASGI_APPLICATION = "rumbo.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "rumbo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "rumbo.core.context_processors.shell",
            ],
            "builtins": [
                "rumbo.core.templatetags.rumbo",
                "template_partials.templatetags.partials",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'rumbo.sqlite3'}",
        conn_max_age=int(os.environ.get("RUMBO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound on the server, and a statement prepared the second time a connection
    # runs it: PostgreSQL then skips parsing and planning the statements every order repeats
    # (about half its CPU per order). Behind a transaction-mode pooler, prepare_threshold None.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["rumbo.core.backends.RumboBackend"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "core:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "rumbo" / "locale"]
TIME_ZONE = os.environ.get("RUMBO_TIME_ZONE", "America/Lima")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["rumbo.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "rumbo" / "static",
    # Third-party front-end packages come from npm (package.json); never copied by hand.
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("RUMBO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "rumbo_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("RUMBO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Login attempts allowed per username and per client address in the window below.
RUMBO_LOGIN_ATTEMPTS = int(os.environ.get("RUMBO_LOGIN_ATTEMPTS", "10"))
RUMBO_LOGIN_WINDOW_S = int(os.environ.get("RUMBO_LOGIN_WINDOW_S", "300"))
# A deployment may draw a tile layer under the boundaries; offline (empty) by default.
RUMBO_MAP_TILE_URL = os.environ.get("RUMBO_MAP_TILE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RUMBO_LOG_LEVEL", "WARNING")},
}
