"""W10: a rating the hotline collected on its return visit becomes a rating of the service it transferred."""

import pytest

from huicai.casework import actions as casework
from huicai.casework.models import Task
from huicai.core.models import AuditEvent
from huicai.hotlines.choices import RatingImport
from huicai.hotlines.models import InboundRating
from huicai.hotlines.tests.conftest import order, push
from huicai.ratings.choices import Channel
from huicai.ratings.models import Rating, Rectification

ORDERS = "/hotlines/inbound/12345/orders/"
RATINGS = "/hotlines/inbound/12345/ratings/"


@pytest.fixture
def completed(case, client, frozen):
    """li_ming's 12345 order, transferred to 市公安局, accepted and completed."""
    world = case.world
    push(client, ORDERS, order(world))
    task = casework.accept_task(Task.objects.get(), by=world.zhao_qiang, at=world.at)
    return casework.complete_task(
        task, result="handled", note="已办结落户。", by=world.zhao_qiang, at=world.at
    )


def rating(**overrides):
    return {"order_id": "12345-2026-000101", "level": "满意", "comment": "办得很快。", **overrides}


def test_a_hotline_rating_of_a_completed_order_becomes_a_rating_of_its_task(completed, client):
    response = push(client, RATINGS, rating())

    recorded = Rating.objects.get()
    inbound = InboundRating.objects.get()
    assert response.status_code == 201
    assert response.json() == {"status": "recorded", "order_id": "12345-2026-000101", "duplicate": False}
    assert (recorded.task, recorded.channel, recorded.hotline, recorded.external_ref, recorded.overall) == (
        completed,
        Channel.HOTLINE,
        "12345",
        "12345-2026-000101",
        4,
    )
    assert recorded.comment == "办得很快。"
    assert (inbound.status, inbound.rating_ref, inbound.level) == (RatingImport.RECORDED, recorded.pk, 4)


def test_the_hotlines_numeric_code_is_mapped_and_a_bad_one_opens_a_rectification(completed, client):
    response = push(client, RATINGS, rating(level=2, comment="等了很久才有人联系。"))

    assert response.status_code == 201
    assert Rating.objects.get().overall == 2
    assert Rectification.objects.count() == 1


def test_the_same_rating_again_returns_the_first_and_another_one_is_refused(completed, client):
    push(client, RATINGS, rating())

    again = push(client, RATINGS, rating())
    other = push(client, RATINGS, rating(level="非常不满意"))

    assert (again.status_code, again.json()["duplicate"]) == (200, True)
    assert (other.status_code, other.json()["code"]) == (409, "order_conflict")
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    "payload, status, code",
    [
        (rating(order_id="12345-2026-999999"), 422, "unknown_order"),
        (rating(level="还行"), 422, "unknown_level"),
        (rating(level=6), 422, "unknown_level"),
        ({"level": "满意"}, 400, "malformed"),
    ],
    ids=["unknown order", "unknown word", "out of range", "no order id"],
)
def test_a_rating_that_cannot_be_placed_is_refused_and_recorded(completed, client, payload, status, code):
    response = push(client, RATINGS, payload)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not Rating.objects.exists()
    assert InboundRating.objects.get().refusal == code
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.WEBHOOK_REJECTED, result=code).exists()


def test_a_rating_of_an_order_not_yet_completed_is_refused(case, client, frozen):
    push(client, ORDERS, order(case.world))

    response = push(client, RATINGS, rating())

    assert (response.status_code, response.json()["code"]) == (422, "rating_refused")
    assert "尚未办结" in response.json()["message"]
    assert not Rating.objects.exists()


def test_an_unsigned_rating_is_refused(completed, client):
    response = client.post(RATINGS, data=b"{}", content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (401, "missing_headers")
    assert not InboundRating.objects.exists()
