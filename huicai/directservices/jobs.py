"""Periodic work of the direct-service app, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.core.schedule import Job
from huicai.directservices.choices import AppointmentAction, AppointmentStatus
from huicai.directservices.models import Appointment, AppointmentEvent
from huicai.notifications.actions import notify
from huicai.notifications.choices import APPOINTMENT_REMINDER
from huicai.workdays import calendar


def send_appointment_reminders(*, at) -> dict:
    """S16: the working day before a confirmed appointment, remind the talent (if they have an account),
    their unit commissioner and the commissioner.

    "The working day before" is read on the official calendar: on Friday the reminders go out for
    Monday's appointments, and before a holiday for the first working day after it. Each appointment is
    claimed with a compare-and-swap on ``reminded_at``, in its own transaction with its notices, so two
    schedulers (or a rerun) never remind twice and a failure leaves the appointment to the next run.
    """
    today = timezone.localdate(at)
    day = calendar.add_working_days(today, 1)
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), zone)
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min), zone
    )
    due = list(
        Appointment.objects.filter(
            status=AppointmentStatus.CONFIRMED,
            reminded_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)
    )
    reminded = sum(1 for pk in due if remind(pk, at=at))
    return {"day": day.isoformat(), "due": len(due), "reminded": reminded}


@transaction.atomic
def remind(pk, *, at) -> bool:
    """Claim one appointment's reminder and send it; False when another run claimed it first (or it was
    cancelled meanwhile). The claim and the notices commit together."""
    claimed = Appointment.objects.filter(
        pk=pk, status=AppointmentStatus.CONFIRMED, reminded_at__isnull=True
    ).update(reminded_at=at)
    if claimed != 1:
        return False
    appointment = Appointment.objects.select_related(
        "talent__user", "item_version", "post__user", "window"
    ).get(pk=pk)
    recipients = [appointment.post.user]
    if appointment.talent.user_id:
        recipients.append(appointment.talent.user)
    assignment = appointment.talent.unit_assignments.open().select_related("post__user").first()
    if assignment is not None:
        recipients.append(assignment.post.user)
    notify(
        recipients,
        kind=APPOINTMENT_REMINDER,
        title=_("服务预约提醒：%(slot)s") % {"slot": appointment.slot_label},
        body=_(
            "%(talent)s 预约的“%(item)s”将于%(slot)s进行，服务专员：%(who)s。请人才携带人才卡和身份证件按时到场。"
        )
        % {
            "talent": appointment.talent.name,
            "item": appointment.item_version.name,
            "slot": appointment.slot_label,
            "who": appointment.post.user.get_full_name(),
        },
        link=appointment.get_absolute_url(),
        at=at,
    )
    AppointmentEvent.objects.create(appointment=appointment, action=AppointmentAction.REMIND, by=None, at=at)
    return True


SCHEDULE = [
    # Every morning: the next working day's appointments (on Friday, Monday's), before people set out.
    Job("directservices_appointment_reminders", send_appointment_reminders, daily_at=datetime.time(9, 0)),
]
