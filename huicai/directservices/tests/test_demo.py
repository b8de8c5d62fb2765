"""The demo loader: direct services and appointments in every state for 李明 and a 罗庄区 talent, made
with the real actions, and a second load adds nothing."""

import pytest

from huicai.directservices.demo import load_demo
from huicai.directservices.jobs import send_appointment_reminders
from huicai.directservices.models import Appointment, DirectService
from huicai.directservices.tests.conftest import local
from huicai.testing import kept_for_the_module

AT = local(2026, 3, 3, 10, 0)


@pytest.fixture(scope="module")
def people_and_catalogue_for_the_module(django_db_setup, django_db_blocker):
    # Loaded once for the module; each test runs in a savepoint rolled back within it.
    from huicai.catalogue import demo as catalogue_demo
    from huicai.demo import load_people
    from huicai.workdays import demo as workdays_demo

    with kept_for_the_module(django_db_blocker):
        workdays_demo.load_demo(at=AT)
        load_people(at=AT)
        catalogue_demo.load_demo(at=AT)
        yield


@pytest.fixture
def people_and_catalogue(people_and_catalogue_for_the_module, db):
    pass


def test_the_demo_shows_every_state_and_loads_once(people_and_catalogue):
    load_demo(at=AT)
    counts = (DirectService.objects.count(), Appointment.objects.count())
    load_demo(at=AT)

    assert (DirectService.objects.count(), Appointment.objects.count()) == counts
    li_ming = sorted(
        Appointment.objects.filter(talent__user__username="talent").values_list("status", flat=True)
    )
    assert li_ming == ["cancelled", "completed", "confirmed", "declined", "requested"]
    assert DirectService.objects.filter(talent__user__username="talent").count() == 5
    assert set(DirectService.objects.values_list("outcome", flat=True)) == {"referred", "served"}
    assert DirectService.objects.exclude(talent__user__username="talent").count() == 1
    completed = Appointment.objects.get(status="completed")
    assert completed.starts_at < AT
    assert completed.direct_service.served_at == completed.starts_at


def test_the_demos_confirmed_appointment_is_reminded_on_the_working_day_before(people_and_catalogue):
    load_demo(at=AT)

    result = send_appointment_reminders(at=AT)

    assert result == {"day": "2026-03-04", "due": 1, "reminded": 1}
