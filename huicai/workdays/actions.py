"""Changing the calendar and the deadlines counted on it (W9, W13).

Every change of the calendar goes through ``enter_official_year``, ``store_provisional_year`` or
``note_calendar_change`` (after an edit in the admin): each replaces the calendar's revision token, so
every process drops its cached copy, and recomputes the open deadlines the change can move. A deadline that
moves keeps a ``DeadlineChange`` (old date, new date, why, when, by whom) and its people are told.
"""

import datetime
import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huicai.core.audit import record
from huicai.core.models import AuditEvent
from huicai.notifications.actions import notify
from huicai.workdays import calendar
from huicai.workdays.choices import DayKind, YearStatus
from huicai.workdays.models import CalendarRevision, CalendarYear, Deadline, DeadlineChange, SpecialDay
from huicai.workdays.sources import (
    PROVISIONAL_SOURCE,
    DayEntry,
    official_days_from_package,
    package_source,
    package_years,
    provisional_days,
)

WEEKDAY_NAMES = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
NOTIFICATION_KIND = "deadline_changed"


def _where(entry: DayEntry) -> str:
    return _("第 %(line)s 行：") % {"line": entry.line} if entry.line else ""


def _kind_label(kind) -> str:
    return DayKind(kind).label


def check_day_entries(*, year: int, days) -> list[DayEntry]:
    """The entries of one year, checked: each date in the year, a known kind, a make-up working day on a
    weekend, and no date given twice with different meanings. Every problem is reported at once (with its
    line in an imported file); identical repeats are kept once."""
    errors = []
    seen = {}
    for entry in days:
        where = _where(entry)
        if entry.kind not in DayKind.values:
            errors.append(where + _("类型“%(kind)s”无法识别，须为“休”或“班”。") % {"kind": entry.kind})
            continue
        if entry.date.year != year:
            errors.append(
                where + _("日期 %(date)s 不在 %(year)s 年内。") % {"date": entry.date, "year": year}
            )
            continue
        if entry.kind == DayKind.WORKDAY and entry.date.weekday() < 5:
            errors.append(
                where
                + _("%(date)s 是%(weekday)s，本来就是工作日，不能登记为调休上班（“班”）。")
                % {"date": entry.date, "weekday": WEEKDAY_NAMES[entry.date.weekday()]}
            )
            continue
        previous = seen.get(entry.date)
        if previous is None:
            seen[entry.date] = entry
        elif previous.kind != entry.kind:
            errors.append(
                where
                + _("%(date)s 重复出现且含义不同：%(first)s为“%(a)s”，此处为“%(b)s”。")
                % {
                    "date": entry.date,
                    "first": _("第 %(line)s 行") % {"line": previous.line} if previous.line else _("前面"),
                    "a": _kind_label(previous.kind),
                    "b": _kind_label(entry.kind),
                }
            )
    if not errors and not seen:
        errors.append(_("没有任何日期，未作更改。"))
    if errors:
        raise ValidationError(errors)
    return sorted(seen.values(), key=lambda entry: entry.date)


def _calendar_changed(*, at) -> None:
    """Replace the revision token (every process reloads) and drop this process's copy now and on commit."""
    token = uuid.uuid4().hex
    if not CalendarRevision.objects.filter(pk=1).update(token=token, changed_at=at):
        CalendarRevision.objects.create(pk=1, token=token, changed_at=at)
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate)


@transaction.atomic
def enter_official_year(*, year: int, days, source: str, by, at, reason: str = "") -> CalendarYear:
    """Enter the State Council's notice for ``year`` (W9, W13: limits are counted on the official calendar).

    A year that was provisional (or absent) becomes official and its provisional days are replaced by
    ``days``. A year that is already official is amended: new dates are added, a date that already has the
    other meaning is refused (delete it in the admin first if the notice really changed it). Nothing is
    saved unless everything is valid. Then every open deadline that the change moves is recomputed.
    """
    source = (source or "").strip()
    if not source:
        raise ValidationError(_("请注明依据，例如“国办发明电〔2025〕7号”。"))
    entries = check_day_entries(year=year, days=days)
    calendar_year = CalendarYear.objects.select_for_update().filter(pk=year).first()
    if calendar_year is not None and calendar_year.is_official:
        existing = {day.date: day for day in calendar_year.days.all()}
        conflicts = [
            _where(entry)
            + _(
                "%(date)s 在已生效的 %(year)s 年官方日历中为“%(old)s”，不能改为“%(new)s”；如通知确有更正，请先在管理后台删除该日。"
            )
            % {
                "date": entry.date,
                "year": year,
                "old": existing[entry.date].get_kind_display(),
                "new": _kind_label(entry.kind),
            }
            for entry in entries
            if entry.date in existing and existing[entry.date].kind != entry.kind
        ]
        if conflicts:
            raise ValidationError(conflicts)
        new_entries = [entry for entry in entries if entry.date not in existing]
        if source in calendar_year.source:
            merged_source = calendar_year.source
        else:
            merged_source = f"{calendar_year.source}；{source}"[:300]
        if not new_entries and merged_source == calendar_year.source:
            return calendar_year  # the same notice entered again: nothing changes
    else:
        new_entries = entries
        merged_source = source[:300]
        if calendar_year is None:
            calendar_year = CalendarYear(year=year)
        else:
            calendar_year.days.all().delete()
    calendar_year.status = YearStatus.OFFICIAL
    calendar_year.source = merged_source
    calendar_year.updated_at = at
    calendar_year.updated_by = by
    calendar_year.full_clean(validate_unique=False)
    calendar_year.save()
    SpecialDay.objects.bulk_create(
        SpecialDay(calendar_year=calendar_year, date=entry.date, kind=entry.kind, name=entry.name[:60])
        for entry in new_entries
    )
    _calendar_changed(at=at)
    record(
        AuditEvent.Kind.CONFIG_CHANGE,
        actor=by,
        at=at,
        obj=calendar_year,
        detail=_("录入 %(year)s 年官方工作日历 %(count)s 天") % {"year": year, "count": len(new_entries)},
    )
    recompute_open_deadlines(
        years=[year],
        by=by,
        at=at,
        reason=reason or _("录入%(year)s年官方工作日历（%(source)s）") % {"year": year, "source": source},
    )
    return calendar_year


@transaction.atomic
def store_provisional_year(*, year: int, at) -> CalendarYear | None:
    """Store ``year``'s provisional calendar (computed by rule) so administrators can see it, unless the
    year is already stored. Changes no deadline: the calendar computes the same days for an absent year."""
    if CalendarYear.objects.filter(pk=year).exists():
        return None
    calendar_year = CalendarYear.objects.create(
        year=year, status=YearStatus.PROVISIONAL, source=PROVISIONAL_SOURCE, updated_at=at
    )
    SpecialDay.objects.bulk_create(
        SpecialDay(calendar_year=calendar_year, date=entry.date, kind=entry.kind, name=entry.name)
        for entry in provisional_days(year)
    )
    _calendar_changed(at=at)
    return calendar_year


@transaction.atomic
def note_calendar_change(*, years, by, at, reason: str = "") -> list[Deadline]:
    """After an administrator edited a year's days in the admin: reload everywhere, recompute deadlines."""
    years = sorted(set(years))
    CalendarYear.objects.filter(pk__in=years).update(updated_at=at, updated_by=by)
    _calendar_changed(at=at)
    for year in years:
        record(
            AuditEvent.Kind.CONFIG_CHANGE,
            actor=by,
            at=at,
            detail=_("修改 %(year)s 年工作日历") % {"year": year},
        )
    label = "、".join(str(year) for year in years)
    return recompute_open_deadlines(
        years=years, by=by, at=at, reason=reason or _("管理员修改%(years)s年工作日历") % {"years": label}
    )


def seed_calendar(*, at, years=None, through_year: int | None = None) -> dict:
    """Load the official years chinese-calendar covers (all of them, or ``years``) and store provisional
    years after them up to ``through_year``. Idempotent: an official year already stored is left alone."""
    covered = package_years()
    wanted = [year for year in (years or covered) if year in covered]
    official = set(
        CalendarYear.objects.filter(pk__in=wanted, status=YearStatus.OFFICIAL).values_list("year", flat=True)
    )
    entered = []
    for year in wanted:
        if year not in official:
            enter_official_year(
                year=year, days=official_days_from_package(year), source=package_source(year), by=None, at=at
            )
            entered.append(year)
    stored = []
    for year in range(covered.stop, (through_year or 0) + 1):
        if store_provisional_year(year=year, at=at) is not None:
            stored.append(year)
    return {"official": entered, "provisional": stored}


@transaction.atomic
def open_deadline(
    *, start_date: datetime.date, working_days: int, label: str, responsible=(), at
) -> Deadline:
    """Start a limit of ``working_days`` working days counted from ``start_date`` (W9, W13).

    The day of acceptance is not counted; the deadline is flagged provisional when its count runs into a
    year without an official calendar.
    """
    if isinstance(working_days, bool) or not isinstance(working_days, int):
        raise ValidationError(_("办结时限须为整数个工作日。"), code="limit")
    if working_days < 1:
        raise ValidationError(
            _("办结时限须至少为 1 个工作日，收到的是 %(value)s。") % {"value": working_days}, code="limit"
        )
    deadline = Deadline(label=label, start_date=start_date, working_days=working_days, opened_at=at)
    try:
        due = deadline.calculate_due()
    except ValueError as error:
        raise ValidationError(str(error), code="limit") from error
    deadline.due_date = due.date
    deadline.is_provisional = due.provisional
    deadline.full_clean()
    deadline.save()
    deadline.responsible.set([user for user in responsible if user is not None])
    return deadline


@transaction.atomic
def close_deadline(deadline, *, at) -> Deadline:
    """Stop the clock: the task it belongs to is finished. Closing twice changes nothing."""
    Deadline.objects.filter(pk=deadline.pk, is_open=True).update(is_open=False, closed_at=at)
    deadline.refresh_from_db(fields=["is_open", "closed_at"])
    return deadline


@transaction.atomic
def postpone_deadline(deadline, *, new_due_date: datetime.date, reason: str, by, at) -> Deadline:
    """W13: a task that cannot finish on time gets a new completion date, with the reason on record.

    The new date must be a later working day; it is kept as a number of working days from the start, so a
    later correction of the calendar moves it like any other limit (and says so).
    """
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    reason = (reason or "").strip()
    if not deadline.is_open:
        raise ValidationError(_("该时限已办结，不能延期。"))
    if not reason:
        raise ValidationError(_("请说明延期原因。"))
    if new_due_date <= deadline.due_date:
        raise ValidationError(
            _("新的办结日期须晚于原截止日期 %(date)s。") % {"date": deadline.due_date.isoformat()}
        )
    cal = calendar.get_calendar()
    if not cal.is_working_day(new_due_date):
        raise ValidationError(_("新的办结日期 %(date)s 不是工作日。") % {"date": new_due_date.isoformat()})
    old_due_date = deadline.due_date
    deadline.working_days = cal.working_days_between(deadline.start_date, new_due_date)
    due = deadline.calculate_due(cal)
    deadline.due_date = due.date
    deadline.is_provisional = due.provisional
    deadline.full_clean()
    deadline.save(update_fields=["working_days", "due_date", "is_provisional"])
    DeadlineChange.objects.create(
        deadline=deadline,
        old_due_date=old_due_date,
        new_due_date=deadline.due_date,
        is_provisional=deadline.is_provisional,
        reason=reason[:300],
        at=at,
        by=by,
    )
    return deadline


@transaction.atomic
def recompute_open_deadlines(*, years, by, at, reason: str = "") -> list[Deadline]:
    """Recompute every open deadline whose counted days fall in ``years``; record and announce the moves.

    A deadline whose date stays but which no longer rests on a provisional year just loses its flag. The
    people responsible for moved deadlines get one notification each, listing their deadlines.
    Queries: a constant number plus one notification insert per person told.
    """
    reason = (reason or _("工作日历变更")).strip()[:300]
    cal = calendar.get_calendar()
    candidates = list(Deadline.objects.open().touching_years(years).select_for_update().order_by("pk"))
    moved, changes, reflagged = [], [], []
    for deadline in candidates:
        due = deadline.calculate_due(cal)
        if due.date != deadline.due_date:
            changes.append(
                DeadlineChange(
                    deadline=deadline,
                    old_due_date=deadline.due_date,
                    new_due_date=due.date,
                    is_provisional=due.provisional,
                    reason=reason,
                    at=at,
                    by=by,
                )
            )
            deadline.due_date = due.date
            deadline.is_provisional = due.provisional
            moved.append(deadline)
        elif due.provisional != deadline.is_provisional:
            deadline.is_provisional = due.provisional
            reflagged.append(deadline)
    if moved or reflagged:
        Deadline.objects.bulk_update(moved + reflagged, ["due_date", "is_provisional"])
    if changes:
        DeadlineChange.objects.bulk_create(changes)
    _tell_responsible(moved, changes, reason=reason, at=at)
    return moved


def _tell_responsible(moved, changes, *, reason, at) -> None:
    if not moved:
        return
    prefetch_related_objects(moved, "responsible")
    by_user = defaultdict(list)
    users = {}
    for deadline, change in zip(moved, changes, strict=True):
        for user in deadline.responsible.all():
            users[user.pk] = user
            by_user[user.pk].append(change)
    for pk, user_changes in by_user.items():
        count = len(user_changes)
        if count == 1:
            title = _("办结时限已调整：%(label)s") % {"label": user_changes[0].deadline.label}
        else:
            title = ngettext("%(count)s 项办结时限已调整", "%(count)s 项办结时限已调整", count) % {
                "count": count
            }
        lines = [
            _("%(label)s：截止日期由 %(old)s 改为 %(new)s%(flag)s")
            % {
                "label": change.deadline.label,
                "old": change.old_due_date.isoformat(),
                "new": change.new_due_date.isoformat(),
                "flag": _("（暂定）") if change.is_provisional else "",
            }
            for change in user_changes
        ]
        lines.append(_("原因：%(reason)s") % {"reason": reason})
        notify([users[pk]], kind=NOTIFICATION_KIND, title=title[:200], body="\n".join(lines), at=at)
