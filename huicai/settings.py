"""Huicai settings: one file, every value from the environment (see .env.example).

Production differs from the embedded demo only in values: DATABASE_URL selects PostgreSQL, DEBUG=0 turns
on the secure cookie and HSTS settings, and the secrets must then be given explicitly.
"""

import base64
import ipaddress
import json
import os
import re
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from huicai import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.get_str("HUICAI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.get_bool("DEBUG", False)
# Under pytest the test keys and fast settings apply without any variable to remember.
TESTING = env.get_bool("HUICAI_TESTING", "pytest" in sys.modules)


def _dev_secret(name: str, make) -> str:
    """A secret for local and demo use, generated once into var/dev-secrets.json.

    Refused outside DEBUG and tests, so production can never run on a key lying in the work tree.
    """
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (for the demo checkout, run with DEBUG=1: see README)"
        )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-secrets.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    if name not in data:
        data[name] = make()
        path.write_text(json.dumps(data, indent=2))
        path.chmod(0o600)
    return data[name]


def _key32() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


SECRET_KEY = env.get_str("SECRET_KEY") or _dev_secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# AES-256-GCM key for personal data at rest, and a separate HMAC key for exact look-ups (SECURITY.md).
HUICAI_DATA_KEY = env.get_str("HUICAI_DATA_KEY") or _dev_secret("HUICAI_DATA_KEY", _key32)
HUICAI_LOOKUP_KEY = env.get_str("HUICAI_LOOKUP_KEY") or _dev_secret("HUICAI_LOOKUP_KEY", _key32)
# Dotted path of the cipher class; an SM4 backend can be configured here for a 密评 deployment.
HUICAI_CIPHER = env.get_str("HUICAI_CIPHER", "huicai.core.crypto.AesGcmCipher")
# AES-256-GCM key of `manage.py backup` / `restore`, kept apart from the data keys: a stolen backup without it
# reveals nothing, and whoever holds the backups needs no data key. Only the backup job needs it, so a
# production web process may run without it (the command then refuses to start).
HUICAI_BACKUP_KEY = env.get_str("HUICAI_BACKUP_KEY") or (
    _dev_secret("HUICAI_BACKUP_KEY", _key32) if (DEBUG or TESTING) else ""
)
if HUICAI_BACKUP_KEY and HUICAI_BACKUP_KEY in (HUICAI_DATA_KEY, HUICAI_LOOKUP_KEY):
    raise ImproperlyConfigured("HUICAI_BACKUP_KEY must differ from HUICAI_DATA_KEY and HUICAI_LOOKUP_KEY")

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])
# A stale form gets the site's Chinese page (403_csrf.html); an API client gets JSON.
CSRF_FAILURE_VIEW = "huicai.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huicai.core",
    "huicai.accounts",
    "huicai.org",
    "huicai.talents",
    "huicai.commissioners",
    "huicai.notifications",
    "huicai.workdays",
    "huicai.catalogue",
    "huicai.policies",
    "huicai.casework",
    "huicai.directservices",
    "huicai.supervision",
    "huicai.ratings",
    "huicai.hotlines",
    "huicai.outreach",
    "huicai.provsync",
    "huicai.privacy",
    "huicai.archives",
    "huicai.filings",
    "huicai.staffing",
    "huicai.grading",
    "huicai.engagement",
    "huicai.cards",
    "huicai.workbench",
    "huicai.exchange",
    "huicai.api",
    "huicai.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "huicai.core.middleware.RequestIdMiddleware",
    "huicai.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "huicai.accounts.middleware.SessionLifetimeMiddleware",
    "huicai.accounts.middleware.SuperuserMiddleware",
    "huicai.accounts.middleware.SignInGateMiddleware",
    "huicai.core.middleware.AuditDenialsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "huicai.urls"
WSGI_APPLICATION = "huicai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "huicai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huicai.notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Database: SQLite (WAL, synchronous=FULL) by default, PostgreSQL through DATABASE_URL. ---
DATABASE_URL = env.get_str("DATABASE_URL")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env.get_int("DB_CONN_MAX_AGE", 60, minimum=0))
    if _db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://…)")
    _db.setdefault("OPTIONS", {})
    # SECURITY.md durability: no acknowledged write is lost.
    _db["OPTIONS"].setdefault("options", "-c synchronous_commit=on")
    _db["CONN_HEALTH_CHECKS"] = True
    if env.get_str("TEST_DB_NAME"):
        _db["TEST"] = {"NAME": env.get_str("TEST_DB_NAME")}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env.get_str("SQLITE_PATH", str(VAR_DIR / "huicai.sqlite3")),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        },
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security (SECURITY.md). ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["huicai.accounts.backends.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "huicai.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "huicai.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "huicai.accounts.validators.CommonPasswordValidator"},
    {"NAME": "huicai.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "huicai.accounts.validators.PasswordHistoryValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Login lockout: HUICAI_LOGIN_MAX_FAILURES within the window locks the account for HUICAI_LOGIN_LOCK_MINUTES.
HUICAI_LOGIN_MAX_FAILURES = env.get_int("HUICAI_LOGIN_MAX_FAILURES", 5, minimum=1)
HUICAI_LOGIN_WINDOW_MINUTES = env.get_int("HUICAI_LOGIN_WINDOW_MINUTES", 15, minimum=1)
HUICAI_LOGIN_LOCK_MINUTES = env.get_int("HUICAI_LOGIN_LOCK_MINUTES", 30, minimum=1)
HUICAI_LOGIN_MAX_FAILURES_PER_IP = env.get_int("HUICAI_LOGIN_MAX_FAILURES_PER_IP", 30, minimum=1)
# Second factor (TOTP, django-otp): the roles that must use one (the city may add "unit" or "talent"; the
# others may turn it on). Role names as in accounts/roles.py.
HUICAI_OTP_REQUIRED_ROLES = env.get_list(
    "HUICAI_OTP_REQUIRED_ROLES",
    ["department", "undertaking", "window", "window_manager", "city_admin", "system_admin"],
)
# "Remember this device today": a verified browser skips the code until this local hour (24 = midnight).
HUICAI_OTP_REMEMBER_UNTIL_HOUR = env.get_int("HUICAI_OTP_REMEMBER_UNTIL_HOUR", 20, minimum=0)
OTP_TOTP_ISSUER = env.get_str("HUICAI_OTP_ISSUER", "惠才")
# Passwords: staff passwords expire after this many days; the last N passwords cannot be used again.
HUICAI_PASSWORD_MAX_AGE_DAYS = env.get_int("HUICAI_PASSWORD_MAX_AGE_DAYS", 90, minimum=1)
HUICAI_PASSWORD_HISTORY = env.get_int("HUICAI_PASSWORD_HISTORY", 5, minimum=0)
# A reset link is valid this long and once (Django's token: it dies with the password it was made for).
PASSWORD_RESET_TIMEOUT = env.get_int("HUICAI_PASSWORD_RESET_MINUTES", 60, minimum=1) * 60
# Accounts with no sign-in for this many days are disabled by the nightly job (window managers re-enable).
HUICAI_DORMANT_DAYS = env.get_int("HUICAI_DORMANT_DAYS", 90, minimum=1)
# Audit retention (SECURITY.md): security events at least this many days (≥184, six months), reveals and
# exports of personal data at least this many (≥1096, three years); older rows are archived with their
# hash chain as JSON lines into HUICAI_AUDIT_ARCHIVE_DIR by the daily archive_audit_events job.
HUICAI_AUDIT_RETENTION_DAYS = env.get_int("HUICAI_AUDIT_RETENTION_DAYS", 184, minimum=184)
HUICAI_AUDIT_PERSONAL_DATA_RETENTION_DAYS = env.get_int(
    "HUICAI_AUDIT_PERSONAL_DATA_RETENTION_DAYS", 1096, minimum=1096
)
# 三员分立: the superuser is for installation; off in production, a superuser cannot use the web at all
# (manage.py still works). Every superuser request is audited either way.
HUICAI_SUPERUSER_WEB_LOGIN = env.get_bool("HUICAI_SUPERUSER_WEB_LOGIN", True)
# Talents' requests about their personal data (PIPL art. 50) are answered within this many working days.
HUICAI_PRIVACY_REQUEST_WORKING_DAYS = env.get_int("HUICAI_PRIVACY_REQUEST_WORKING_DAYS", 15, minimum=1)
# Filings up the window tree (W14, S18): how often a unit commissioner reports to the window ("month" or
# "quarter"), and each kind's due date in working days after its period ends; reminders go out this many
# working days before; a filing over this many talents is built by the task worker, with a progress bar.
HUICAI_FILING_UNIT_PERIOD = env.get_str("HUICAI_FILING_UNIT_PERIOD", "month")
if HUICAI_FILING_UNIT_PERIOD not in ("month", "quarter"):
    raise ImproperlyConfigured("HUICAI_FILING_UNIT_PERIOD must be 'month' or 'quarter'")
HUICAI_FILING_DUE_WORKING_DAYS = {
    "unit": env.get_int("HUICAI_FILING_UNIT_DUE_WORKING_DAYS", 5, minimum=1),
    "quarterly": env.get_int("HUICAI_FILING_QUARTERLY_DUE_WORKING_DAYS", 10, minimum=1),
    "annual": env.get_int("HUICAI_FILING_ANNUAL_DUE_WORKING_DAYS", 15, minimum=1),
}
HUICAI_FILING_REMIND_WORKING_DAYS = env.get_int("HUICAI_FILING_REMIND_WORKING_DAYS", 2, minimum=0)
HUICAI_FILING_INLINE_TALENTS = env.get_int("HUICAI_FILING_INLINE_TALENTS", 2000, minimum=0)
HUICAI_AUDIT_ARCHIVE_DIR = Path(env.get_str("HUICAI_AUDIT_ARCHIVE_DIR", str(VAR_DIR / "audit-archive")))
# Sessions: 30 minutes idle (the cookie is renewed on every request), 12 hours absolute.
SESSION_COOKIE_AGE = env.get_int("HUICAI_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
HUICAI_SESSION_ABSOLUTE_HOURS = env.get_int("HUICAI_SESSION_ABSOLUTE_HOURS", 12, minimum=1)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.get_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env.get_bool("CSRF_COOKIE_SECURE", not DEBUG)
# The __Host- prefix makes the browser refuse these cookies unless they are Secure, for Path=/ and without
# a Domain, so no sibling subdomain of the government domain can plant or overwrite them. A browser drops a
# __Host- cookie that is not Secure, so plain names remain for a DEBUG demo over http.
SESSION_COOKIE_NAME = env.get_str(
    "SESSION_COOKIE_NAME", "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
)
CSRF_COOKIE_NAME = env.get_str("CSRF_COOKIE_NAME", "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken")
for _name, _secure in ((SESSION_COOKIE_NAME, SESSION_COOKIE_SECURE), (CSRF_COOKIE_NAME, CSRF_COOKIE_SECURE)):
    if _name.startswith("__Host-") and not _secure:
        raise ImproperlyConfigured(f"cookie {_name} needs the Secure flag (a browser drops it otherwise)")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs); the client address then comes
# from that header, so per-IP limits apply to the real client and not to the proxy (huicai.core.audit).
HUICAI_TRUSTED_PROXIES = env.get_list("HUICAI_TRUSTED_PROXIES", [])
for _proxy in HUICAI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"HUICAI_TRUSTED_PROXIES: {_proxy!r} is not an address or CIDR") from _exc
if env.get_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language and time. ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.get_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT", str(VAR_DIR / "uploads")))
HUICAI_UPLOAD_MAX_BYTES = env.get_int("HUICAI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Largest spreadsheet a window may import (issue 11): a 20,000-row talents file is about 1.5 MB.
HUICAI_IMPORT_MAX_BYTES = env.get_int("HUICAI_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

# --- Background work: Django's Tasks API on the database queue (SQLite and PostgreSQL alike). ---
TASKS = {
    "default": {
        "BACKEND": env.get_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Mail and SMS. ---
EMAIL_BACKEND = env.get_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "huicai@localhost")
# A send slower than this is abandoned and retried (the delivery lease is 30 minutes).
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 30, minimum=1)
# Absolute address of the site, for links in email and SMS.
HUICAI_BASE_URL = env.get_str("HUICAI_BASE_URL", "")
HUICAI_SMS_BACKEND = env.get_str(
    "HUICAI_SMS_BACKEND",
    "huicai.notifications.sms.LocmemSmsBackend" if TESTING else "huicai.notifications.sms.ConsoleSmsBackend",
)
HUICAI_SMS_GATEWAY_URL = env.get_str("HUICAI_SMS_GATEWAY_URL", "")
HUICAI_SMS_GATEWAY_API_KEY = env.get_str("HUICAI_SMS_GATEWAY_API_KEY", "")
HUICAI_SMS_GATEWAY_SIGN_NAME = env.get_str("HUICAI_SMS_GATEWAY_SIGN_NAME", "")
HUICAI_SMS_GATEWAY_TEMPLATE_ID = env.get_str("HUICAI_SMS_GATEWAY_TEMPLATE_ID", "")
HUICAI_SMS_GATEWAY_TIMEOUT = env.get_int("HUICAI_SMS_GATEWAY_TIMEOUT", 10, minimum=1)

# --- Supervision (W8, W9). ---
# A yellow card this many working days before a deadline (0 turns yellow cards off).
HUICAI_YELLOW_CARD_DAYS = env.get_int("HUICAI_YELLOW_CARD_DAYS", 1, minimum=0)
# Notices go out only on working days within these local hours ("HH:MM", end exclusive).
HUICAI_WORKING_HOURS_START = env.get_str("HUICAI_WORKING_HOURS_START", "08:30")
HUICAI_WORKING_HOURS_END = env.get_str("HUICAI_WORKING_HOURS_END", "17:30")
# Stage clocks (W9, W13, S12-2): working days each step of a case may take before it is carded.
# The window's triage of a submitted application (split it, or route a hotline order).
HUICAI_STAGE_TRIAGE_DAYS = env.get_int("HUICAI_STAGE_TRIAGE_DAYS", 1, minimum=1)
# A department's acceptance of a task routed to it (accept, ask for materials, or return it).
HUICAI_STAGE_ACCEPTANCE_DAYS = env.get_int("HUICAI_STAGE_ACCEPTANCE_DAYS", 1, minimum=1)
# The window's reroute of a task a department returned.
HUICAI_STAGE_REROUTE_DAYS = env.get_int("HUICAI_STAGE_REROUTE_DAYS", 1, minimum=1)
# The unit commissioner's supplement after a request for materials (counted against the unit).
HUICAI_STAGE_SUPPLEMENT_DAYS = env.get_int("HUICAI_STAGE_SUPPLEMENT_DAYS", 5, minimum=1)
# The unit commissioner's informing the talent of a completed task's result (counted against the unit).
HUICAI_STAGE_INFORMING_DAYS = env.get_int("HUICAI_STAGE_INFORMING_DAYS", 1, minimum=1)
# W13 and the 12345 rules: working days a task's extensions may add in total before a further one needs
# the window's approval (超长延期), not only its acknowledgement.
HUICAI_EXTENSION_CAP_DAYS = env.get_int("HUICAI_EXTENSION_CAP_DAYS", 10, minimum=0)

# --- Ratings (W10, W9). ---
# Working days after completion during which a service may be rated (platform / unit commissioner).
HUICAI_RATING_WINDOW_DAYS = env.get_int("HUICAI_RATING_WINDOW_DAYS", 5, minimum=1)
# Working days a department has to answer a rectification after a bad rating.
HUICAI_RECTIFICATION_DAYS = env.get_int("HUICAI_RECTIFICATION_DAYS", 5, minimum=1)
# A second bad rating of the same item and department within this many months is a recurrence.
HUICAI_RECURRENCE_MONTHS = env.get_int("HUICAI_RECURRENCE_MONTHS", 6, minimum=1)

# --- Commissioner management (S20, S22). ---
# The yearly minimum of a commissioner's training hours; fewer are listed.
HUICAI_TRAINING_MIN_HOURS = env.get_int("HUICAI_TRAINING_MIN_HOURS", 24, minimum=1)
# A yearly scorecard total below this is listed for an accountability notice.
HUICAI_ACCOUNTABILITY_BELOW = env.get_int("HUICAI_ACCOUNTABILITY_BELOW", 60, minimum=1)

# --- Window grading (W17–W20). ---
# Working days after a yearly evaluation is published during which a window may object to its result.
HUICAI_GRADING_OBJECTION_DAYS = env.get_int("HUICAI_GRADING_OBJECTION_DAYS", 10, minimum=1)
# The longest deadline, in working days, a 约谈 rectification plan may ask for.
HUICAI_GRADING_PLAN_MAX_DAYS = env.get_int("HUICAI_GRADING_PLAN_MAX_DAYS", 120, minimum=1)
# --- Hotlines (W10, S12-2): signing secrets (several, space- or comma-separated, during a rotation) and
# the callback addresses results are sent back to. An empty secret accepts nothing. ---
HUICAI_HOTLINE_12345_SECRET = env.get_str("HUICAI_HOTLINE_12345_SECRET", "")
HUICAI_HOTLINE_PROVINCIAL_SECRET = env.get_str("HUICAI_HOTLINE_PROVINCIAL_SECRET", "")
HUICAI_HOTLINE_12345_CALLBACK_URL = env.get_str("HUICAI_HOTLINE_12345_CALLBACK_URL", "")
HUICAI_HOTLINE_PROVINCIAL_CALLBACK_URL = env.get_str("HUICAI_HOTLINE_PROVINCIAL_CALLBACK_URL", "")
HUICAI_HOTLINE_TIMEOUT = env.get_int("HUICAI_HOTLINE_TIMEOUT", 10, minimum=1)

# --- Provincial sync (W15): where the outbox of talents' and cards' changes is posted, signed with
# HMAC-SHA256 like the webhooks (several secrets during a rotation, the first signs). Empty URL or secret:
# nothing is sent, the outbox still fills for the windows' downloads. ---
HUICAI_PROVINCE_SYNC_URL = env.get_str("HUICAI_PROVINCE_SYNC_URL", "")
HUICAI_PROVINCE_SYNC_SECRET = env.get_str("HUICAI_PROVINCE_SYNC_SECRET", "")
HUICAI_PROVINCE_SYNC_TIMEOUT = env.get_int("HUICAI_PROVINCE_SYNC_TIMEOUT", 30, minimum=1)
HUICAI_PROVINCE_SYNC_BATCH_SIZE = env.get_int("HUICAI_PROVINCE_SYNC_BATCH_SIZE", 500, minimum=1)

# --- REST API. ---


def _rate(name: str, default: str) -> str:
    """A DRF rate such as 60/min, refused at start-up when malformed rather than at the first request."""
    value = env.get_str(name, default)
    if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must look like 60/min (N/sec|min|hour|day), got {value!r}")
    return value


# API tokens (huicai.accounts.tokens): a token got by signing in lasts this many hours (as a session at most);
# one the security administrator issues to a system account lasts at most this many days.
HUICAI_API_TOKEN_HOURS = env.get_int("HUICAI_API_TOKEN_HOURS", 12, minimum=1)
HUICAI_API_TOKEN_MAX_DAYS = env.get_int("HUICAI_API_TOKEN_MAX_DAYS", 365, minimum=1)
API_DESCRIPTION = """临沂市高层次人才服务体系：人才、专员、窗口与服务事项。

## 如何登录

**程序（令牌）**：`POST /api/v1/tokens/sign-in/`，请求体 `{"username": …, "password": …}`；已绑定动态码的账号
另加 `"otp"`（验证器当前的 6 位动态码或一个恢复码）。返回的 `token` 只显示这一次，之后每个请求带请求头
`Authorization: Bearer <token>`。令牌 12 小时后过期（`HUICAI_API_TOKEN_HOURS`）；`POST /api/v1/tokens/sign-out/`
立即作废。失败次数与网页登录一同计入账号锁定（15 分钟内 5 次锁定 30 分钟）和按 IP 的限流。须使用动态码而尚未
绑定的账号、密码已过期的工作人员账号，须先在网页上完成绑定或改密，才能获取令牌（403）。

**系统账号**：对接程序（如 12345 热线）使用无登录密码的系统账号，由安全管理员通过 `POST /api/v1/tokens/`
签发带范围（`full` 与账号权限相同、`read` 只读、`hotline` 仅热线相关接口）和到期时间的令牌；持有人或安全管理员
可随时 `POST /api/v1/tokens/{id}/revoke/` 撤销。服务器只保存令牌的哈希。

**浏览器（会话）**：在网页登录后，本页的“Try it out”使用同一会话；POST 等请求须在请求头 `X-CSRFToken` 中带上
`csrftoken` Cookie 的值。

## 答复

错误统一为 `{"code", "message", "errors"}`：400 数据有误（`errors` 按字段列出，选项错误时列出全部合法选项），
401 未登录或令牌无效（带 `WWW-Authenticate`），403 无权，404 不存在或无权查看，409 版本冲突（`If-Match`）或
状态不允许。各步骤的 `allowed_steps` 列出当前用户此刻可执行的步骤。
"""
REST_FRAMEWORK = {
    # The bearer token first: a request without credentials is then a 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "huicai.accounts.tokens.BearerTokenAuthentication",
        "huicai.accounts.tokens.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "huicai.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "huicai.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "huicai.api.errors.exception_handler",
    # Rates of the throttled endpoints (huicai.core.throttles), counted in the database (RateCounter), so
    # a limit holds across all worker processes, not per process.
    "DEFAULT_THROTTLE_RATES": {
        "anon": _rate("HUICAI_API_RATE_ANON", "60/min"),
        "user": _rate("HUICAI_API_RATE_USER", "1200/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "惠才 Huicai API",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Several models have a "status"; name each choice set after its class so the schema is stable.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "huicai.casework.choices.ApplicationStatus",
        "TaskStatusEnum": "huicai.casework.choices.TaskStatus",
        "ConsentMethodEnum": "huicai.casework.choices.ConsentMethod",
        "CardStatusEnum": "huicai.talents.choices.CardStatus",
        "CardApplicationStatusEnum": "huicai.cards.choices.ApplicationStatus",
        "CardApplicationPurposeEnum": "huicai.cards.choices.Purpose",
        "PolicyStatusEnum": "huicai.policies.choices.PolicyStatus",
        "FilingStatusEnum": "huicai.catalogue.choices.FilingStatus",
        "AppointmentStatusEnum": "huicai.directservices.choices.AppointmentStatus",
        "AppointmentSideEnum": "huicai.directservices.choices.Side",
        "DirectServiceOutcomeEnum": "huicai.directservices.choices.Outcome",
        "AppointmentActionEnum": "huicai.directservices.choices.AppointmentAction",
        "RatingLevelEnum": "huicai.ratings.choices.Level",
        "RatingModeEnum": "huicai.ratings.choices.Mode",
        "RatingChannelEnum": "huicai.ratings.choices.Channel",
        "RectificationStatusEnum": "huicai.ratings.choices.RectificationStatus",
        "RectificationActionEnum": "huicai.ratings.choices.RectificationAction",
        "DifficultyStatusEnum": "huicai.outreach.choices.DifficultyStatus",
        "DifficultyKindEnum": "huicai.outreach.choices.DifficultyKind",
        "RecordableKindEnum": "huicai.outreach.choices.RecordableKind",
        "DifficultyCategoryEnum": "huicai.outreach.choices.Category",
        "DifficultySourceEnum": "huicai.outreach.choices.Source",
        "HolderLevelEnum": "huicai.outreach.choices.HolderLevel",
        "DifficultyActionEnum": "huicai.outreach.choices.DifficultyAction",
        "CheckinRoundStatusEnum": "huicai.outreach.choices.RoundStatus",
        "CheckinEntryStatusEnum": "huicai.outreach.choices.EntryStatus",
        "EmploymentAnswerEnum": "huicai.outreach.choices.EmploymentAnswer",
        "EmploymentStatusEnum": "huicai.talents.choices.EmploymentStatus",
        "ServiceCategoryEnum": "huicai.catalogue.choices.Category",
        "ServiceModeEnum": "huicai.catalogue.choices.ServiceMode",
        "CardKindEnum": "huicai.talents.choices.CardKind",
        "TaskResultEnum": "huicai.casework.choices.Result",
        "InformChannelEnum": "huicai.casework.choices.InformChannel",
        "ResponseKindEnum": "huicai.ratings.choices.ResponseKind",
        "CallbackResultEnum": "huicai.ratings.choices.CallbackResult",
        "RatingHotlineEnum": "huicai.ratings.choices.Hotline",
        "CardColourEnum": "huicai.supervision.choices.CardColour",
        "SupervisionOrderStatusEnum": "huicai.supervision.choices.OrderStatus",
        "SchedulingRoundStatusEnum": "huicai.supervision.choices.RoundStatus",
        "PolicyEventKindEnum": "huicai.policies.choices.PolicyEventKind",
    },
}

# --- Logging: never personal data in clear (see huicai.core.logging). ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "huicai.core.logging.RedactPersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    # jieba and fontTools (fpdf2 subsetting the CJK font) say a line per step at INFO: quiet them.
    "loggers": {"jieba": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Name shown on pages and in the admin.
HUICAI_SITE_NAME = env.get_str("HUICAI_SITE_NAME", "临沂市高层次人才服务平台")
DEMO_PASSWORD = env.get_str("HUICAI_DEMO_PASSWORD", "Huicai-Demo-2026")

os.environ.setdefault("JIEBA_CACHE", str(VAR_DIR / "jieba.cache"))

# 惠才卡 applications (S11-4): the window decides within this many working days; a card's holder and unit
# commissioner are reminded this many days before it expires; a renewal may be applied for this many days
# before the card's last day.
HUICAI_CARD_REVIEW_WORKING_DAYS = env.get_int("HUICAI_CARD_REVIEW_WORKING_DAYS", 5, minimum=1)
HUICAI_CARD_RENEWAL_NOTICE_DAYS = env.get_int("HUICAI_CARD_RENEWAL_NOTICE_DAYS", 60, minimum=1)
HUICAI_CARD_RENEWAL_DAYS = env.get_int("HUICAI_CARD_RENEWAL_DAYS", 90, minimum=1)
