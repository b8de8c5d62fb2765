"""Schemathesis against the API, in process, as each role: requests generated from our own OpenAPI schema
never get a 5xx, and every documented response matches the schema.

The run in `make test` is short and seeded (the same requests every time, one world for all roles, so it
stays within about a minute); `make fuzz` runs the same test with more examples per operation
(``HUICAI_FUZZ_EXAMPLES``), a random seed, and lets Hypothesis shrink a failure to its simplest request.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from huicai.talents.api import TalentViewSet
from huicai.testing import bearer
from huicai.wsgi import application

LONG_RUN = "HUICAI_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("HUICAI_FUZZ_EXAMPLES", "2"))
SEED = 2026

ROLES = {
    "window": "chen_jing",
    "department": "zhao_qiang",
    "unit": "wang_fang",
    "talent": "li_ming_user",
    "city": "zhou_min",
    "undertaking": "he_ping",
    "another county's window": "sun_lei",
    "system administrator": "admin",
}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Requests go through the real WSGI app, whose request signals would close the database connection
    (and with it the test's transaction) on PostgreSQL; Django's own test client unhooks them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def token_headers(user):
    return {"Authorization": bearer(user)["HTTP_AUTHORIZATION"]}


def load_schema(headers):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=headers)


def fuzz(operation, headers):
    """Generated requests for one operation; the first failure's message, or None."""

    @hypothesis_settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink]
        if LONG_RUN
        else [Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(headers=headers)
        case.validate_response(
            response, checks=[not_a_server_error, response_schema_conformance], headers=headers
        )

    if not LONG_RUN:
        check = seed(SEED)(check)
    try:
        check()
    except (Exception, BaseExceptionGroup) as failure:  # failed checks come as a group; or an app error
        return f"{operation.label}: {failure}"
    return None


def test_generated_requests_never_get_a_5xx_or_break_the_schema_for_any_role(world, settings):
    settings.DEBUG = False
    schema = load_schema(token_headers(world.zhou_min))
    operations = [result.ok() for result in schema.get_all_operations()]

    failures = []
    for role, persona in ROLES.items():
        headers = token_headers(getattr(world, persona))
        for operation in operations:
            failure = fuzz(operation, headers)
            if failure:
                failures.append(f"[{role}] {failure}")

    assert len(operations) > 50
    assert failures == [], "\n\n".join(failures)


def test_the_fuzzer_reports_a_server_error(world, settings, monkeypatch):
    def crash(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(TalentViewSet, "list", crash)
    settings.DEBUG = False
    headers = token_headers(world.zhou_min)
    talents = load_schema(headers)["/api/v1/talents/"]["GET"]

    failure = fuzz(talents, headers)

    assert failure is not None and "Server error" in failure
