"""The read-only admin of notifications and deliveries: nothing editable, no address in clear."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huicai.notifications.actions import notify
from huicai.notifications.choices import SERVICE_RESULT
from huicai.notifications.models import Delivery, Notification

EMAIL = "wang.fang@linyi-pharma.example"


@pytest.fixture
def deliveries(world):
    world.wang_fang.email = EMAIL
    world.wang_fang.save(update_fields=["email"])
    notify([world.wang_fang, world.li_ming_user], kind=SERVICE_RESULT, title="您的申请已办结", at=world.at)
    return Delivery.objects.all()


def test_the_delivery_list_shows_addresses_masked(login, world, deliveries):
    response = login(world.admin).get(reverse("admin:notifications_delivery_changelist"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "w***@linyi-pharma.example" in body
    assert "138****5678" in body
    assert EMAIL not in body
    assert world.li_ming.mobile not in body


def test_the_delivery_list_costs_the_same_queries_for_many_rows(login, world, deliveries):
    client = login(world.admin)
    url = reverse("admin:notifications_delivery_changelist")
    with CaptureQueriesContext(connection) as two_rows:
        client.get(url)
    for _i in range(10):
        notify([world.wang_fang, world.li_ming_user], kind=SERVICE_RESULT, title="又一条", at=world.at)

    with CaptureQueriesContext(connection) as twenty_two_rows:
        response = client.get(url)

    assert response.context["cl"].result_count == 22
    assert len(twenty_two_rows) == len(two_rows)


def test_a_notification_shows_its_deliveries_masked(login, world, deliveries):
    notification = Notification.objects.get(recipient=world.li_ming_user)

    response = login(world.admin).get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "138****5678" in body
    assert world.li_ming.mobile not in body


@pytest.mark.parametrize("model", ["notification", "delivery"])
def test_nothing_can_be_added_changed_or_deleted(login, world, deliveries, model):
    client = login(world.admin)
    obj = deliveries.first() if model == "delivery" else Notification.objects.first()

    add = client.get(reverse(f"admin:notifications_{model}_add"))
    delete = client.post(reverse(f"admin:notifications_{model}_delete", args=[obj.pk]), {"post": "yes"})
    change = client.get(reverse(f"admin:notifications_{model}_change", args=[obj.pk]))

    assert (add.status_code, delete.status_code) == (403, 403)
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert type(obj).objects.filter(pk=obj.pk).exists()
