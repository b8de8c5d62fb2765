"""API rate limits are shared by all worker processes (issue 13.3): counted in the database per real
client, one window at a time."""

import datetime

import pytest
import time_machine
from django.db import connection

from huicai.core import ratelimit
from huicai.core.models import RateCounter
from huicai.schedule import get_job

NOW = datetime.datetime(2026, 3, 2, 9, 0, 30, tzinfo=datetime.UTC)
URL = "/api/v1/policies/"


@pytest.fixture
def two_per_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"},
    }
    from rest_framework import settings as drf_settings
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = drf_settings.api_settings.DEFAULT_THROTTLE_RATES
    yield
    SimpleRateThrottle.THROTTLE_RATES = drf_settings.api_settings.DEFAULT_THROTTLE_RATES


def test_the_count_lives_in_the_database_where_every_process_sees_it(world, client, two_per_minute):
    with time_machine.travel(NOW, tick=False):
        client.get(URL)

    counter = RateCounter.objects.get(name="throttle:throttle_anon_127.0.0.1")
    assert counter.hits == 1
    assert counter.window_start == ratelimit.window_start(NOW, 60)


def test_the_third_request_in_a_minute_is_refused_whichever_process_answers(world, client, two_per_minute):
    with time_machine.travel(NOW, tick=False):
        # Another worker process already answered this client twice in this minute.
        RateCounter.objects.create(
            name="throttle:throttle_anon_127.0.0.1", window_start=ratelimit.window_start(NOW, 60), hits=2
        )

        response = client.get(URL)

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 30


def test_a_new_minute_opens_a_new_window(world, client, two_per_minute):
    with time_machine.travel(NOW, tick=False) as traveller:
        statuses = [client.get(URL).status_code for _ in range(3)]
        traveller.shift(datetime.timedelta(seconds=30))
        statuses.append(client.get(URL).status_code)

    assert statuses == [200, 200, 429, 200]


def test_clients_behind_the_trusted_proxy_are_counted_apart(world, client, two_per_minute, settings):
    settings.HUICAI_TRUSTED_PROXIES = ["10.0.0.5"]
    proxy = {"REMOTE_ADDR": "10.0.0.5"}

    with time_machine.travel(NOW, tick=False):
        first = [client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy).status_code for _ in range(3)]
        other = client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy).status_code

    assert first == [200, 200, 429]
    assert other == 200


def test_one_upsert_counts_each_hit(db):
    totals = [ratelimit.hit("probe", seconds=60, at=NOW) for _ in range(3)]

    assert totals == [1, 2, 3]
    assert RateCounter.objects.get(name="probe").hits == 3


def test_old_windows_are_pruned_by_a_scheduled_job(db):
    ratelimit.hit("old", seconds=60, at=NOW - datetime.timedelta(days=2))
    ratelimit.hit("new", seconds=60, at=NOW)

    result = get_job("prune_rate_counters").resolve()(at=NOW)

    assert result == {"deleted": 1}
    assert list(RateCounter.objects.values_list("name", flat=True)) == ["new"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="documents the SQLite version the upsert needs")
def test_sqlite_is_new_enough_for_the_upsert():
    import sqlite3

    assert sqlite3.sqlite_version_info >= (3, 35)
