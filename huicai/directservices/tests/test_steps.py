"""The appointment's step table and its actions agree: from every state, each step is refused by its action
exactly when the table (which the detail page reads to offer the step) does not list the state."""

import datetime

import pytest
from django.db import transaction

from huicai.directservices import actions
from huicai.directservices.access import APPOINTMENT_STEPS
from huicai.directservices.choices import AppointmentStatus
from huicai.directservices.models import Appointment
from huicai.directservices.tests.conftest import book, local
from huicai.directservices.views import _available_steps

WEDNESDAY = local(2026, 3, 4, 10, 0)
ON_THE_DAY = WEDNESDAY + datetime.timedelta(minutes=5)


def appointment_in(direct, status):
    """An appointment with zhao_qiang brought to ``status`` by the real actions."""
    world = direct.world
    appointment = book(direct, start=WEDNESDAY)
    if status in (AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED):
        actions.confirm_appointment(appointment, by=world.zhao_qiang, at=world.at)
    if status == AppointmentStatus.COMPLETED:
        actions.complete_appointment(
            appointment, place="公安窗口", outcome="served", by=world.zhao_qiang, at=ON_THE_DAY
        )
    elif status == AppointmentStatus.DECLINED:
        actions.decline_appointment(appointment, reason="当天外出培训", by=world.zhao_qiang, at=world.at)
    elif status == AppointmentStatus.CANCELLED:
        actions.cancel_appointment(appointment, reason="行程有变", by=world.li_ming_user, at=world.at)
    appointment = Appointment.objects.get(pk=appointment.pk)
    assert appointment.status == status
    return appointment


def take(step, appointment, *, by, at):
    if step == "confirm":
        return actions.confirm_appointment(appointment, by=by, at=at)
    if step == "decline":
        return actions.decline_appointment(appointment, reason="另有安排", by=by, at=at)
    if step == "cancel":
        return actions.cancel_appointment(appointment, reason="另有安排", by=by, at=at)
    return actions.complete_appointment(appointment, place="公安窗口", outcome="served", by=by, at=ON_THE_DAY)


@pytest.mark.parametrize("status", AppointmentStatus.values)
@pytest.mark.parametrize("step", [step.name for step in APPOINTMENT_STEPS])
def test_the_action_refuses_a_step_from_exactly_the_states_its_table_does_not_list(direct, step, status):
    world = direct.world
    appointment = appointment_in(direct, status)
    events = appointment.events.count()
    listed = status in APPOINTMENT_STEPS[step].statuses
    refusal = str(APPOINTMENT_STEPS[step].refusal) % {"status": AppointmentStatus(status).label}

    try:
        with transaction.atomic():
            take(step, appointment, by=world.zhao_qiang, at=world.at)
        refused = None
    except actions.InvalidTransition as error:
        refused = error.messages[0]

    assert (refused == refusal) is not listed
    assert (step in _available_steps(world.zhao_qiang, appointment, at=world.at)) is listed
    if not listed:
        assert Appointment.objects.get(pk=appointment.pk).status == status
        assert appointment.events.count() == events
