"""Security headers, production settings, and no personal data in logs (SECURITY.md)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from huicai.core.logging import redact

ROOT = Path(__file__).resolve().parents[3]


def test_responses_carry_the_security_headers(client, db):
    response = client.get("/accounts/login/")

    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) >= 8


def production_environment(tmp_path):
    """The production values of .env.example, plus the secrets it leaves empty (they must be given).

    An empty value in .env.example means "the default", so it is left unset, as a deployment would.
    """
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        if value:
            values[name] = value
    return {
        **values,
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-1234567890",
        "HUICAI_DATA_KEY": "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
        "HUICAI_LOOKUP_KEY": "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=",
        "HUICAI_BACKUP_KEY": "Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=",
        "ALLOWED_HOSTS": "huicai.example.cn",
        "HUICAI_VAR_DIR": str(tmp_path),
        **({"DATABASE_URL": os.environ["DATABASE_URL"]} if os.environ.get("DATABASE_URL") else {}),
    }


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_passes_without_a_warning_with_the_production_values_of_env_example(tmp_path):
    env = production_environment(tmp_path)

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert env["DEBUG"] == "0"
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_carry_the_host_prefix_and_redirect_to_https(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, "
        "s.SECURE_SSL_REDIRECT)"
    )

    result = manage("shell", "-c", code, env=production_environment(tmp_path))

    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid", "__Host-csrftoken", "True", "True", "/", "/", "None", "None", "True"
    ]  # fmt: skip


def test_a_host_prefixed_cookie_without_the_secure_flag_is_refused_at_start(tmp_path):
    env = {**production_environment(tmp_path), "SESSION_COOKIE_SECURE": "0"}
    env["SESSION_COOKIE_NAME"] = "__Host-sessionid"

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "cookie __Host-sessionid needs the Secure flag" in result.stderr


def test_the_backup_key_must_differ_from_the_data_keys(tmp_path):
    env = production_environment(tmp_path)
    env["HUICAI_BACKUP_KEY"] = env["HUICAI_DATA_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "HUICAI_BACKUP_KEY must differ from HUICAI_DATA_KEY" in result.stderr


def test_the_content_security_policy_allows_no_foreign_base_uri(client, db):
    response = client.get("/accounts/login/")

    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert directives["base-uri"] in ("'self'", "'none'")


def test_production_refuses_to_start_without_explicit_secrets(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "HUICAI_TESTING": "0",
        "HUICAI_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_log_filter_masks_id_numbers_and_mobiles():
    line = "talent 37282219820517031X phoned from 13812345678 about card YM2026000001"

    assert redact(line) == "talent 372822********031X phoned from 138****5678 about card YM2026000001"


def test_a_whole_flow_logs_no_personal_data(world, login, caplog):
    caplog.set_level(logging.DEBUG)
    client = login(world.chen_jing)
    client.post("/accounts/login/", {"username": world.li_ming.id_number, "password": world.li_ming.mobile})
    client.get(f"/talents/{world.li_ming.pk}/")
    client.post(f"/talents/{world.li_ming.pk}/reveal/")
    client.get(f"/talents/?q={world.li_ming.id_number}")
    client.get(f"/talents/{world.liu_yang.pk}/")  # a 404 is logged with its path

    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (world.li_ming.id_number, world.li_ming.mobile, world.liu_yang.id_number):
        assert secret not in logged
