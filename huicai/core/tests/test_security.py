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


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "HUICAI_TESTING": "0",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-1234567890",
        "HUICAI_DATA_KEY": "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
        "HUICAI_LOOKUP_KEY": "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=",
        "ALLOWED_HOSTS": "huicai.example.cn",
        "SECURE_SSL_REDIRECT": "1",
        "HUICAI_VAR_DIR": str(tmp_path),
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


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
