"""The inbox over the API (issue 12): the signed-in user's own notifications, paginated; mark one or all
read; the unread count. Another user's notification is a 404, as on the page."""

import pytest
from django.test import Client

from huicai.api.tests.conformance import errors_against_schema
from huicai.notifications.actions import notify
from huicai.notifications.models import Notification
from huicai.testing import bearer


@pytest.fixture
def inbox(world):
    """Three messages for li_ming, one for chen_jing."""
    for title in ["政策一", "政策二", "政策三"]:
        notify([world.li_ming_user], kind="policy_published", title=title, link="/policies/", at=world.at)
    (other,) = notify([world.chen_jing], kind="catalogue.filed", title="事项报备", at=world.at)
    return other


@pytest.fixture
def li_ming(world):
    """A client of li_ming's, signed in with a token (as a phone app would be)."""
    client = Client()
    client.defaults.update(bearer(world.li_ming_user))
    return client


def test_the_talent_lists_their_own_notifications_newest_first(li_ming, inbox):
    response = li_ming.get("/api/v1/notifications/")

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert [n["title"] for n in response.json()["results"]] == ["政策三", "政策二", "政策一"]
    assert response.json()["results"][0]["read"] is False
    assert errors_against_schema(response, "GET", "/api/v1/notifications/") == []


def test_the_list_is_paginated_at_a_fixed_query_count(world, li_ming, django_assert_max_num_queries):
    for n in range(60):
        notify([world.li_ming_user], kind="policy_published", title=f"政策{n}", at=world.at)

    with django_assert_max_num_queries(4):
        first = li_ming.get("/api/v1/notifications/")
    second = li_ming.get("/api/v1/notifications/?page=2")

    assert first.json()["count"] == 60
    assert len(first.json()["results"]) == 50
    assert len(second.json()["results"]) == 10


def test_marking_one_read_lowers_the_unread_count(li_ming, world, inbox):
    first = Notification.objects.filter(recipient=world.li_ming_user).first()

    before = li_ming.get("/api/v1/notifications/unread-count/").json()
    read = li_ming.post(f"/api/v1/notifications/{first.pk}/read/")
    after = li_ming.get("/api/v1/notifications/unread-count/").json()
    unread = li_ming.get("/api/v1/notifications/?unread=1").json()

    assert before == {"unread": 3}
    assert read.status_code == 200 and read.json()["read"] is True and read.json()["read_at"] is not None
    assert after == {"unread": 2}
    assert first.pk not in [n["id"] for n in unread["results"]]
    assert errors_against_schema(read, "POST", "/api/v1/notifications/{id}/read/") == []


def test_marking_all_read_marks_only_ones_own(li_ming, world, inbox):
    response = li_ming.post("/api/v1/notifications/read-all/")

    assert response.json() == {"marked": 3}
    assert li_ming.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    inbox.refresh_from_db()
    assert inbox.read_at is None


def test_another_users_notification_is_not_found_and_stays_unread(li_ming, inbox):
    seen = li_ming.get(f"/api/v1/notifications/{inbox.pk}/")
    read = li_ming.post(f"/api/v1/notifications/{inbox.pk}/read/")

    assert seen.status_code == 404 and read.status_code == 404
    assert read.json()["code"] == "not_found"
    inbox.refresh_from_db()
    assert inbox.read_at is None


def test_anonymous_callers_are_told_to_authenticate(db):
    response = Client().get("/api/v1/notifications/unread-count/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
