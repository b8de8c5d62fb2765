"""The talent's service archive as one chronological list (统一建档, W14, S16–S18).

The archive copies nothing: it is read, when asked for, from the records each app keeps. A **source** is one
small function per kind, ``(talent, *, start, end, viewer) -> iterable of Entry``, that reads its app's
models through their own permission-scoped querysets (``visible_to(viewer)``), so the archive can never
show a viewer more than that app's pages would. ``SOURCES`` maps each kind to its function; ``entries()``
runs them and sorts the result.

Each source costs one query (with its joins) whatever the number of rows, so an archive page costs the same
number of queries for a talent with five records as for one with five thousand.

Interface for other apps (keep the names): ``entries(talent, *, start=None, end=None, viewer)`` and
``KINDS`` (code -> Chinese label).
"""

import datetime
import functools
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy

from huicai.archives import access
from huicai.cards.models import CardApplication, CardApplicationEvent
from huicai.casework.models import Application, CaseEvent, Material, Task
from huicai.commissioners.models import UnitAssignment
from huicai.directservices.models import DirectService
from huicai.engagement.selectors import grants_for_talent
from huicai.filings.models import Filing
from huicai.filings.selectors import unit_reports_for_talent
from huicai.outreach.choices import DifficultyAction, EntryStatus
from huicai.outreach.models import CheckinEntry, Difficulty, DifficultyEvent
from huicai.ratings.access import handles_rectifications
from huicai.ratings.choices import RectificationAction
from huicai.ratings.models import Rating, Rectification, RectificationEvent
from huicai.talents.models import Talent, TalentCard, TalentCardEvent, TalentEvent

# Every kind of entry, in the order the filters and the workbook's sheets list them.
KINDS = {
    "direct_service": gettext_lazy("直接服务"),
    "application": gettext_lazy("申办"),
    "task": gettext_lazy("办理任务"),
    "material": gettext_lazy("申办材料"),
    "result": gettext_lazy("办理结果"),
    "rating": gettext_lazy("服务评价"),
    "rectification": gettext_lazy("差评整改"),
    "checkin": gettext_lazy("状态调度"),
    "card": gettext_lazy("人才卡"),
    "commissioner": gettext_lazy("单位专员变更"),
    "difficulty": gettext_lazy("困难和意见建议"),
    "record": gettext_lazy("人才信息变更"),
    # W14: the unit commissioner's periodic reports to the window (the filings app).
    "unit_report": gettext_lazy("单位专员定期报告"),
    # W16-1: what the window granted without an application (免申即享, the engagement app).
    "grant": gettext_lazy("免申即享"),
    # S11-4: the talent's 惠才卡 applications and the window's decisions (the cards app).
    "card_application": gettext_lazy("惠才卡申请"),
}

# Longest text an entry carries from a free-text field (a difficulty's content, a rating's comment).
DETAIL_MAX = 300


@dataclass(frozen=True)
class Entry:
    """One dated fact in a talent's archive: when, of which kind, a title, what it said, where it is kept
    (a link the viewer may open, or ""), and the numbers it is known by (application, task, card …)."""

    at: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    link: str = ""
    refs: tuple = ()

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


# An archive of a few thousand entries translates the same few dozen strings and choice labels thousands of
# times; each lookup goes through the translation machinery's thread-local state, which made up half of the
# time to build a long archive (manage.py bench_archive). Both are remembered per language.


@functools.lru_cache(maxsize=512)
def _translated(language, message) -> str:
    return gettext(message)


def _(message) -> str:
    return _translated(get_language(), message)


@functools.lru_cache(maxsize=512)
def _choice_label(model, field, value, language) -> str:
    return str(dict(model._meta.get_field(field).flatchoices).get(value, value))


def _display(obj, field) -> str:
    """``obj.get_<field>_display()``, remembered per model, field, value and language."""
    return _choice_label(type(obj), field, getattr(obj, field), get_language())


def _period(field, start, end) -> Q:
    """Rows whose ``field`` lies in [start, end); either end may be open (None)."""
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lt": end})
    return condition


def _join(*parts) -> str:
    return "；".join(str(part) for part in parts if part not in (None, ""))


def _cut(text) -> str:
    text = (text or "").strip()
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _department(department) -> str:
    return department.short_name or department.name


def _yes_no(value) -> str:
    return {True: _("是"), False: _("否")}.get(value, _("待确认"))


# --- the sources: one per kind ------------------------------------------------------------------------


def direct_services(talent, *, start, end, viewer):
    """W12, S16: each service given on the talent's card, with who served, where and what came of it."""
    services = (
        DirectService.objects.visible_to(viewer)
        .filter(talent=talent)
        .filter(_period("served_at", start, end))
        .select_related("item_version", "department", "served_by", "card")
    )
    link = DirectService(talent=talent).get_absolute_url()  # the same list for every service of the talent
    for service in services:
        yield Entry(
            at=service.served_at,
            kind="direct_service",
            title=_("直接服务：%(item)s") % {"item": service.item_version.name},
            detail=_join(
                _department(service.department),
                _("服务专员 %(name)s") % {"name": _name(service.served_by)},
                service.place,
                _display(service, "outcome"),
                service.outcome_reason,
                _cut(service.note),
            ),
            link=link,
            refs=(service.card.number,),
        )


def _case_events(talent, viewer):
    """The talent's case events on the applications the viewer may see."""
    applications = Application.objects.visible_to(viewer).filter(talent=talent)
    return CaseEvent.objects.filter(application__in=applications).select_related("application", "by")


def applications(talent, *, start, end, viewer):
    """W13, S17: each step of each application as a whole (created, submitted, split, withdrawn, closed)."""
    events = _case_events(talent, viewer).filter(task__isnull=True).filter(_period("at", start, end))
    for event in events:
        application = event.application
        moved = f"{event.from_label} → {event.to_label}" if event.from_status != event.to_status else ""
        yield Entry(
            at=event.at,
            kind="application",
            title=_("申办 %(number)s：%(action)s")
            % {"number": application.number, "action": _display(event, "action")},
            detail=_join(moved, _name(event.by), _cut(event.note)),
            link=application.get_absolute_url(),
            refs=(application.number,),
        )


def tasks(talent, *, start, end, viewer):
    """W13, S17: each step of each department's task, on the tasks the viewer may see."""
    visible = Task.objects.visible_to(viewer).filter(application__talent=talent)
    events = (
        _case_events(talent, viewer)
        .filter(task__in=visible)
        .filter(_period("at", start, end))
        .select_related("task__department")
    )
    for event in events:
        task = event.task
        moved = f"{event.from_label} → {event.to_label}" if event.from_status != event.to_status else ""
        yield Entry(
            at=event.at,
            kind="task",
            title=_("任务 %(number)s（%(department)s）：%(action)s")
            % {
                "number": task.number,
                "department": _department(task.department),
                "action": _display(event, "action"),
            },
            detail=_join(moved, _name(event.by), _cut(event.note)),
            link=task.get_absolute_url(),
            refs=(event.application.number, task.number),
        )


def materials(talent, *, start, end, viewer):
    """The materials filed for the talent's applications (casework's need-to-know door)."""
    rows = (
        Material.objects.visible_to(viewer)
        .filter(application__talent=talent)
        .filter(_period("uploaded_at", start, end))
        .select_related("application", "application_item__item_version", "uploaded_by")
    )
    for material in rows:
        yield Entry(
            at=material.uploaded_at,
            kind="material",
            title=_("材料：%(name)s") % {"name": material.name},
            detail=_join(
                material.application_item.item_version.name,
                material.original_name,
                _("上传人 %(name)s") % {"name": _name(material.uploaded_by)},
            ),
            link=material.get_absolute_url(),
            refs=(material.application.number,),
        )


def results(talent, *, start, end, viewer):
    """Each task's result as the department completed it, with whether a result document is on file."""
    rows = (
        Task.objects.visible_to(viewer)
        .filter(application__talent=talent, completed_at__isnull=False)
        .exclude(result="")
        .filter(_period("completed_at", start, end))
        .select_related("application", "department", "completed_by")
    )
    for task in rows:
        yield Entry(
            at=task.completed_at,
            kind="result",
            title=_("办理结果：%(department)s %(result)s")
            % {"department": _department(task.department), "result": _display(task, "result")},
            detail=_join(
                _cut(task.result_note),
                _("附结果文书") if task.result_document else "",
                _("已告知人才") if task.informed_at else _("尚未告知人才"),
            ),
            link=task.get_absolute_url(),
            refs=(task.application.number, task.number),
        )


def ratings(talent, *, start, end, viewer):
    """W10: each rating of the talent's services, whoever gave it (platform, unit commissioner, hotline)."""
    rows = (
        Rating.objects.visible_to(viewer)
        .filter(talent=talent)
        .filter(_period("rated_at", start, end))
        .select_related("department")
    )
    for rating in rows:
        yield Entry(
            at=rating.rated_at,
            kind="rating",
            title=_("服务评价：%(service)s") % {"service": rating.service_name},
            detail=_join(
                _department(rating.department),
                _("总体评价 %(level)s") % {"level": _display(rating, "overall")},
                _display(rating, "channel"),
                _cut(rating.comment),
            ),
            refs=(rating.external_ref,) if rating.external_ref else (),
        )


def rectifications(talent, *, start, end, viewer):
    """W10: each step of the rectifications the talent's bad ratings opened. An appeal's reasons are between
    the department and the window (as on the rectification page): others see that it was appealed."""
    visible = Rectification.objects.visible_to(viewer).filter(talent=talent)
    events = (
        RectificationEvent.objects.filter(rectification__in=visible)
        .filter(_period("at", start, end))
        .select_related("rectification__department", "by")
    )
    show_appeal = handles_rectifications(viewer)
    for event in events:
        rectification = event.rectification
        note = event.note if show_appeal or event.action != RectificationAction.APPEAL else ""
        yield Entry(
            at=event.at,
            kind="rectification",
            title=_("整改（%(department)s）：%(action)s")
            % {"department": _department(rectification.department), "action": _display(event, "action")},
            detail=_join(rectification.service_name, _name(event.by), _cut(note)),
            link=rectification.get_absolute_url(),
        )


def checkins(talent, *, start, end, viewer):
    """S14-4: each status check-in answered for the talent (employed? living in Linyi?) or left unanswered."""
    rows = (
        CheckinEntry.objects.visible_to(viewer)
        .filter(talent=talent)
        .exclude(status=EntryStatus.PENDING)
        .filter(
            Q(answered_at__isnull=False) & _period("answered_at", start, end)
            | Q(answered_at__isnull=True) & _period("round__closed_at", start, end)
        )
        .select_related("round", "answered_by")
    )
    for entry in rows:
        if entry.status == EntryStatus.ANSWERED:
            at = entry.answered_at
            detail = _join(
                _("在职状态 %(status)s") % {"status": _display(entry, "employment_status")},
                _("在临沂居住 %(answer)s") % {"answer": _yes_no(entry.lives_in_linyi)},
                _("答复人 %(name)s") % {"name": _name(entry.answered_by)},
                _cut(entry.note),
            )
        else:
            at = entry.round.closed_at
            detail = _("本轮调度结束时未答复")
        yield Entry(
            at=at,
            kind="checkin",
            title=_("状态调度：%(round)s") % {"round": entry.round.title},
            detail=detail,
        )


def cards(talent, *, start, end, viewer):
    """W12, S16: each card issued to the talent and each change of its status."""
    visible = TalentCard.objects.visible_to(viewer).filter(talent=talent)
    events = (
        TalentCardEvent.objects.filter(card__in=visible)
        .filter(_period("at", start, end))
        .select_related("card")
    )
    for event in events:
        card = event.card
        if event.from_status:
            before, after = _display(event, "from_status"), _display(event, "to_status")
            change = f"{before} → {after}"
        else:
            change = _("发卡（有效期至 %(date)s）") % {"date": card.valid_until_date.isoformat()}
        yield Entry(
            at=event.at,
            kind="card",
            title=_("人才卡：%(card)s") % {"card": _display(card, "kind")},
            detail=_join(change, _cut(event.note)),
            refs=(card.number,),
        )


def commissioners(talent, *, start, end, viewer):
    """S6, S19: each unit commissioner's one-to-one period with the talent, when it began and when it ended."""
    talents = Talent.objects.visible_to(viewer).filter(pk=talent.pk)
    periods = UnitAssignment.objects.filter(talent__in=talents).select_related("post__user", "post__employer")
    if start is not None or end is not None:
        # A period that began or ended within [start, end). (An empty Q would swallow the OR, hence the if.)
        periods = periods.filter(
            _period("active_from", start, end) | Q(active_to__isnull=False) & _period("active_to", start, end)
        )
    for period in periods:
        name = _name(period.post.user)
        employer = period.post.employer.name if period.post.employer_id else ""
        if _within(period.active_from, start, end):
            yield Entry(
                at=period.active_from,
                kind="commissioner",
                title=_("单位专员对接开始：%(name)s") % {"name": name},
                detail=_join(employer, period.reason),
            )
        if period.active_to is not None and _within(period.active_to, start, end):
            yield Entry(
                at=period.active_to,
                kind="commissioner",
                title=_("单位专员对接结束：%(name)s") % {"name": name},
                detail=_join(employer, period.end_reason),
            )


def _within(moment, start, end) -> bool:
    return (start is None or moment >= start) and (end is None or moment < end)


def difficulties(talent, *, start, end, viewer):
    """S11-5, S12-4, S14-4: each step of the difficulties and suggestions the talent raised."""
    visible = Difficulty.objects.visible_to(viewer).filter(talent=talent)
    events = (
        DifficultyEvent.objects.filter(difficulty__in=visible)
        .filter(_period("at", start, end))
        .select_related("difficulty", "by")
    )
    for event in events:
        difficulty = event.difficulty
        # The first step carries what the talent raised; the later ones what was done about it.
        said = difficulty.content if event.action == DifficultyAction.RECORD else event.note
        moved = f"{event.from_holder} → {event.to_holder}" if event.from_holder != event.to_holder else ""
        yield Entry(
            at=event.at,
            kind="difficulty",
            title=_("%(kind)s：%(action)s")
            % {"kind": _display(difficulty, "kind"), "action": _display(event, "action")},
            detail=_join(_cut(said), moved, _name(event.by)),
            link=difficulty.get_absolute_url(),
        )


def records(talent, *, start, end, viewer):
    """Changes to the talent's record the other kinds do not tell: employer changes, accounts, gaps."""
    talents = Talent.objects.visible_to(viewer).filter(pk=talent.pk)
    events = (
        TalentEvent.objects.filter(talent__in=talents).filter(_period("at", start, end)).select_related("by")
    )
    for event in events:
        yield Entry(
            at=event.at,
            kind="record",
            title=_("人才信息：%(kind)s") % {"kind": _display(event, "kind")},
            detail=_join(_cut(event.note), _name(event.by)),
        )


def unit_reports(talent, *, start, end, viewer):
    """W14: each filed report of the talent's unit commissioner that lists the talent; linked for those who
    may open the filing (the unit commissioner and the window chain)."""
    start_day = timezone.localdate(start) if start is not None else None
    end_day = timezone.localdate(end) - datetime.timedelta(days=1) if end is not None else None
    reports = list(unit_reports_for_talent(talent, start=start_day, end=end_day))
    openable = set(
        Filing.objects.visible_to(viewer).filter(pk__in=[r.pk for r in reports]).values_list("pk", flat=True)
    )
    for report in reports:
        filed = report.first_filed_at or report.opened_at
        yield Entry(
            at=filed,
            kind="unit_report",
            title=_("单位专员定期报告：%(start)s 至 %(end)s")
            % {"start": report.period_start_date.isoformat(), "end": report.period_end_date.isoformat()},
            detail=_join(report.get_status_display(), _name(report.filer_post.user)),
            link=report.get_absolute_url() if report.pk in openable else "",
        )


def grants(talent, *, start, end, viewer):
    """W16-1: each 免申即享 grant, with the condition the talent met and the window that granted it."""
    for grant in grants_for_talent(talent, start=start, end=end):
        yield Entry(
            at=grant.granted_at,
            kind="grant",
            title=_("免申即享：%(title)s") % {"title": grant.title},
            detail=_join(_cut(grant.reason), grant.window.name, _name(grant.granted_by)),
        )


def card_applications(talent, *, start, end, viewer):
    """S11-4: each step of the talent's 惠才卡 applications (submitted, returned, corrected, approved)."""
    visible = CardApplication.objects.visible_to(viewer).filter(talent=talent)
    events = (
        CardApplicationEvent.objects.filter(application__in=visible)
        .filter(_period("at", start, end))
        .select_related("application", "by")
    )
    for event in events:
        application = event.application
        yield Entry(
            at=event.at,
            kind="card_application",
            title=_("惠才卡申请：%(kind)s%(purpose)s · %(step)s")
            % {
                "kind": application.get_kind_display(),
                "purpose": application.get_purpose_display(),
                "step": event.get_kind_display(),
            },
            detail=_join(_cut(event.note), _name(event.by)),
            link=reverse("cards:detail", args=[application.pk]),
        )


# Each kind's source.
SOURCES = {
    "direct_service": direct_services,
    "application": applications,
    "task": tasks,
    "material": materials,
    "result": results,
    "rating": ratings,
    "rectification": rectifications,
    "checkin": checkins,
    "card": cards,
    "commissioner": commissioners,
    "difficulty": difficulties,
    "record": records,
    "unit_report": unit_reports,
    "grant": grants,
    "card_application": card_applications,
}


def moment(value):
    """A date as the local midnight that starts it, a datetime as itself, None as None."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def entries(talent, *, start=None, end=None, viewer, kinds=None) -> list[Entry]:
    """Everything in ``talent``'s archive that ``viewer`` may see, between ``start`` (inclusive) and ``end``
    (exclusive), oldest first. Dates count from local midnight, so a quarter is ``start=date(2026, 7, 1),
    end=date(2026, 10, 1)``. ``kinds`` (codes of ``KINDS``) leaves out the others' queries.

    A viewer who may not open the archive (access.archive_basis) gets nothing: the archive is shown to the
    talent, their unit commissioner and their window chain only. Whether staff stated a reason is the
    page's business (views.py), not this function's.
    """
    if access.archive_basis(viewer, talent) is None:
        return []
    start, end = moment(start), moment(end)
    rows = []
    for kind, source in SOURCES.items():
        if kinds is None or kind in kinds:
            rows.extend(source(talent, start=start, end=end, viewer=viewer))
    order = {kind: index for index, kind in enumerate(KINDS)}
    rows.sort(key=lambda entry: (entry.at, order.get(entry.kind, len(order))))
    return rows
