"""The settings of issue 13.3 fail loudly at start-up on bad values, not at the first request."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def manage_check(tmp_path, **variables):
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "1", "HUICAI_VAR_DIR": str(tmp_path), **variables}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "HUICAI_TRUSTED_PROXIES",
            "10.0.0.0/33",
            "HUICAI_TRUSTED_PROXIES: '10.0.0.0/33' is not an address or CIDR",
        ),
        ("HUICAI_API_RATE_ANON", "sixty", "HUICAI_API_RATE_ANON must look like 60/min"),
        ("HUICAI_AUDIT_RETENTION_DAYS", "30", "HUICAI_AUDIT_RETENTION_DAYS"),
    ],
)
def test_a_bad_value_stops_the_start(tmp_path, variable, value, message):
    result = manage_check(tmp_path, **{variable: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_good_values_start(tmp_path):
    result = manage_check(
        tmp_path,
        HUICAI_TRUSTED_PROXIES="127.0.0.1,10.0.0.0/8,::1",
        HUICAI_API_RATE_ANON="30/min",
        HUICAI_AUDIT_RETENTION_DAYS="365",
    )

    assert result.returncode == 0, result.stderr
