"""S16: a reminder the working day before a confirmed appointment, once, read on the official calendar."""

from huicai.directservices import actions
from huicai.directservices.jobs import remind, send_appointment_reminders
from huicai.directservices.tests.conftest import book, local
from huicai.notifications.choices import APPOINTMENT_REMINDER
from huicai.notifications.models import Notification


def confirmed(direct, start):
    appointment = book(direct, start=start)
    return actions.confirm_appointment(appointment, by=direct.world.zhao_qiang, at=direct.world.at)


def reminded_users(kind=APPOINTMENT_REMINDER):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_friday_run_reminds_everyone_of_mondays_appointment_once(direct):
    monday = confirmed(direct, local(2026, 3, 9, 10))
    tuesday = confirmed(direct, local(2026, 3, 10, 10))
    friday_morning = local(2026, 3, 6, 9)

    first = send_appointment_reminders(at=friday_morning)
    second = send_appointment_reminders(at=friday_morning)

    assert first == {"day": "2026-03-09", "due": 1, "reminded": 1}
    assert second == {"day": "2026-03-09", "due": 0, "reminded": 0}
    assert reminded_users() == ["li_ming", "wang_fang", "zhao_qiang"]
    monday.refresh_from_db()
    tuesday.refresh_from_db()
    assert monday.reminded_at == friday_morning
    assert tuesday.reminded_at is None
    assert monday.events.last().action == "remind"


def test_before_a_holiday_the_reminder_is_for_the_first_working_day_after_it(direct):
    # Qingming 2026: Saturday 4 to Monday 6 April are days off.
    after_holiday = confirmed(direct, local(2026, 4, 7, 9))

    on_thursday = send_appointment_reminders(at=local(2026, 4, 2, 9))
    on_friday = send_appointment_reminders(at=local(2026, 4, 3, 9))

    assert on_thursday["reminded"] == 0
    assert on_friday == {"day": "2026-04-07", "due": 1, "reminded": 1}
    after_holiday.refresh_from_db()
    assert after_holiday.reminded_at is not None


def test_a_make_up_working_saturday_is_reminded_on_friday(direct):
    confirmed(direct, local(2026, 5, 9, 9))

    assert send_appointment_reminders(at=local(2026, 5, 8, 9))["reminded"] == 1


def test_requested_and_cancelled_appointments_are_not_reminded(direct):
    world = direct.world
    book(direct, start=local(2026, 3, 9, 10))
    cancelled = confirmed(direct, local(2026, 3, 9, 14))
    actions.cancel_appointment(cancelled, reason="行程有变", by=world.li_ming_user, at=world.at)

    result = send_appointment_reminders(at=local(2026, 3, 6, 9))

    assert result["reminded"] == 0
    assert reminded_users() == []


def test_two_schedulers_claiming_one_appointment_remind_once(direct):
    """Both found it due; the compare-and-swap on reminded_at lets only the first send."""
    appointment = confirmed(direct, local(2026, 3, 9, 10))
    friday = local(2026, 3, 6, 9)

    outcomes = [remind(appointment.pk, at=friday), remind(appointment.pk, at=friday)]

    assert outcomes == [True, False]
    assert reminded_users() == ["li_ming", "wang_fang", "zhao_qiang"]
