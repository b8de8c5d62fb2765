"""Every change of state in supervision and scheduling (W8, W9): one function each.

Each action takes keyword-only arguments with an explicit actor (``by``) and time (``at``), runs in one
transaction, re-reads the row it changes with ``select_for_update()`` (two people acting on one order at
once are serialised; the second finds the state changed and is refused with a clear message), checks the
permission and the allowed source state, writes the change and its history together, and notifies. The
notices are inbox rows written in the same transaction; email and SMS copies leave after the commit.

Cards are issued by the periodic sweep (``jobs.issue_cards``) through ``issue_task_card`` and
``issue_order_card``; the card row is inserted and its notice written in one transaction, and a partial
unique constraint refuses the same card twice, so with any number of sweeps at once a card, and its notice,
happens exactly once.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.accounts.roles import get_scope
from huicai.casework.choices import OPEN_TASK_STATUSES, RUNNING_STATUSES
from huicai.casework.models import Task
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core import transitions
from huicai.core.transitions import ActionRefused, NotAllowed, lock_for_update
from huicai.notifications.actions import notify
from huicai.notifications.choices import DEADLINE_WARNING
from huicai.org.models import Department, Window
from huicai.supervision import access
from huicai.supervision.choices import (
    ORDER_NOTICE,
    ROUND_NOTICE,
    CardColour,
    OrderAction,
    OrderStatus,
    RoundStatus,
)
from huicai.supervision.models import (
    Card,
    DepartmentHead,
    OrderEvent,
    Round,
    RoundEntry,
    SupervisionOrder,
)
from huicai.workdays import calendar


class SupervisionError(ActionRefused):
    """A refused action; the message is for the person who tried it."""


class InvalidTransition(SupervisionError, transitions.InvalidTransition):
    """The record is not in a state that allows this step; still a ``SupervisionError`` for its callers."""


MAX_TEXT = 2000
# A supervision order asks for an answer within days, not months.
MAX_ORDER_DAYS = 60


# --- helpers ----------------------------------------------------------------------------------------


def _today(at) -> datetime.date:
    return timezone.localdate(at)


def _required(value, message, max_length=MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise SupervisionError(message)
    if len(value) > max_length:
        raise SupervisionError(_("内容不能超过 %(n)d 个字。") % {"n": max_length})
    return value


def _optional(value, max_length=MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise SupervisionError(_("内容不能超过 %(n)d 个字。") % {"n": max_length})
    return value


def department_commissioners(department, at) -> list:
    posts = (
        Post.objects.active_at(at)
        .filter(kind=PostKind.DEPARTMENT, department=department)
        .select_related("user")
    )
    return [post.user for post in posts]


def department_heads(department, at) -> list:
    return [
        head.user
        for head in DepartmentHead.objects.active_at(at).filter(department=department).select_related("user")
    ]


def window_commissioners(window, at) -> list:
    posts = Post.objects.active_at(at).filter(kind=PostKind.WINDOW, window=window).select_related("user")
    return [post.user for post in posts]


def yellow_card_days() -> int:
    """Working days before the due date at which a yellow card is shown (0 turns yellow cards off)."""
    return int(getattr(settings, "HUICAI_YELLOW_CARD_DAYS", 1))


def card_colour(due_date, *, today, yellow_days) -> str | None:
    """W9: the card a running task's due date calls for on ``today``, or None.

    Red once the due date has passed (the task is due at the close of that day); yellow while no more than
    ``yellow_days`` working days are left, the due day itself included (0 left on the day).
    """
    if today > due_date:
        return CardColour.RED
    if yellow_days >= 1 and calendar.working_days_between(today, due_date) <= yellow_days:
        return CardColour.YELLOW
    return None


def resolve_due_date(*, today, due_in_days=None, due_date=None) -> datetime.date:
    """An order's date: ``due_in_days`` working days after today, or a given date that is a working day."""
    if (due_in_days is None) == (due_date is None):
        raise SupervisionError(_("请填写答复期限：工作日天数或具体日期，二者选其一。"))
    if due_in_days is not None:
        if isinstance(due_in_days, bool) or not isinstance(due_in_days, int) or due_in_days < 1:
            raise SupervisionError(_("答复期限须至少为 1 个工作日。"))
        if due_in_days > MAX_ORDER_DAYS:
            raise SupervisionError(_("答复期限不能超过 %(n)d 个工作日。") % {"n": MAX_ORDER_DAYS})
        return calendar.add_working_days(today, due_in_days)
    if due_date < today:
        raise SupervisionError(_("答复期限不能早于今天。"))
    if not calendar.is_working_day(due_date):
        raise SupervisionError(
            _("答复期限 %(date)s 不是工作日，请选择工作日。") % {"date": due_date.isoformat()}
        )
    return due_date


def _raising_window(by, talent):
    """The window an order comes from: the raiser's own window nearest the talent (a commissioner at both
    the city and a county window raises as the county); the talent's home window for an administrator."""
    scope = get_scope(by)
    mine = [
        (len(path), window_id)
        for window_id, path in zip(scope.window_ids, scope.window_paths, strict=True)
        if talent.home_window.path.startswith(path)
    ]
    if mine:
        return Window.objects.get(pk=max(mine)[1])
    return talent.home_window


# --- department heads -------------------------------------------------------------------------------


@transaction.atomic
def appoint_department_head(*, department, user, by, at, position="") -> DepartmentHead:
    """Record ``user`` as a head of ``department`` from ``at``: cards of the department reach them too."""
    if DepartmentHead.objects.filter(department=department, user=user, active_to__isnull=True).exists():
        raise SupervisionError(_("此人已是该部门的在任负责人。"))
    head = DepartmentHead(
        department=department, user=user, position=_optional(position, 50), active_from=at, appointed_by=by
    )
    head.full_clean()
    head.save()
    return head


@transaction.atomic
def end_department_head(head, *, by, at) -> DepartmentHead:
    head = DepartmentHead.objects.select_for_update().get(pk=head.pk)
    if head.active_to is not None:
        raise InvalidTransition(_("该负责人任期已经结束。"))
    if at <= head.active_from:
        raise SupervisionError(_("截止时间必须晚于起始时间。"))
    head.active_to = at
    head.save(update_fields=["active_to"])
    return head


# --- cards (W9) -------------------------------------------------------------------------------------


def _insert_card(**fields) -> Card | None:
    """Insert a card, or None when it exists already. On PostgreSQL a second sweep inserting the same card
    waits on the unique index until the first commits, then fails here: it never sends the notice again."""
    try:
        with transaction.atomic():
            return Card.objects.create(**fields)
    except IntegrityError:
        return None


@transaction.atomic
def issue_task_card(task, *, at) -> Card | None:
    """W9: give a running task the card its deadline calls for today, once per colour and due date, and tell
    the department's commissioners and head and the window commissioners of the talent's home window.

    ``task.deadline.due_date`` already includes extensions and suspensions; a suspended task is not
    running, so it gets no card. A hotline order's task is judged by the hotline's date when that is sooner
    (S12-2, ``Task.judged_due_date``). Returns the new card, or None when none is due or it was issued before.
    """
    task = Task.objects.select_related("deadline", "department", "application__talent__home_window").get(
        pk=task.pk
    )
    if task.status not in RUNNING_STATUSES or task.deadline_id is None or not task.deadline.is_open:
        return None
    today = _today(at)
    due = task.judged_due_date
    colour = card_colour(due, today=today, yellow_days=yellow_card_days())
    if colour is None:
        return None
    card = _insert_card(
        application=task.application,
        task=task,
        department=task.department,
        colour=colour,
        due_date=due,
        issued_on=today,
        issued_at=at,
    )
    if card is None:
        return None
    facts = {"number": task.number, "department": task.department.name, "date": due.isoformat()}
    if colour == CardColour.YELLOW:
        left = calendar.working_days_between(today, due)
        title = _("黄牌预警：任务%(number)s将于%(date)s到期") % facts
        body = _(
            "%(department)s承办的任务%(number)s办结期限为%(date)s，还剩%(left)d个工作日。请抓紧办理；"
            "确实无法按期办结的，请向人才说明情况并向窗口报备延期。"
        ) % {**facts, "left": left}
    else:
        title = _("红牌：任务%(number)s已超过办结期限（%(date)s）") % facts
        body = (
            _(
                "%(department)s承办的任务%(number)s已超过办结期限%(date)s仍未办结。请立即办结，并向窗口说明逾期原因。"
            )
            % facts
        )
    notify(
        [
            *department_commissioners(task.department, at),
            *department_heads(task.department, at),
            *window_commissioners(task.application.talent.home_window, at),
        ],
        kind=DEADLINE_WARNING,
        title=title,
        body=body,
        link=card.get_absolute_url(),
        at=at,
    )
    Card.objects.filter(pk=card.pk).update(notified_at=at)
    card.notified_at = at
    return card


@transaction.atomic
def issue_order_card(order, *, at) -> Card | None:
    """W9 限时办结: a supervision order still unanswered after its date turns red by itself, once per date;
    the department's commissioners and head and the window that raised it are told."""
    order = SupervisionOrder.objects.select_related("task__department", "window").get(pk=order.pk)
    today = _today(at)
    if not order.is_overdue_on(today):
        return None
    department = order.task.department
    card = _insert_card(
        application=order.task.application,
        task=order.task,
        order=order,
        department=department,
        colour=CardColour.RED,
        due_date=order.due_date,
        issued_on=today,
        issued_at=at,
    )
    if card is None:
        return None
    OrderEvent.objects.create(
        order=order,
        action=OrderAction.OVERDUE,
        from_status=order.status,
        to_status=order.status,
        by=None,
        at=at,
        note=_("超过答复期限 %(date)s 未答复。") % {"date": order.due_date.isoformat()},
    )
    facts = {"number": order.task.number, "department": department.name, "date": order.due_date.isoformat()}
    notify(
        [
            *department_commissioners(department, at),
            *department_heads(department, at),
            *window_commissioners(order.window, at),
        ],
        kind=DEADLINE_WARNING,
        title=_("红牌：任务%(number)s的督办事项逾期未答复（期限%(date)s）") % facts,
        body=_("%(department)s对任务%(number)s的督办事项超过答复期限%(date)s仍未书面答复，请立即答复。")
        % facts,
        link=order.get_absolute_url(),
        at=at,
    )
    Card.objects.filter(pk=card.pk).update(notified_at=at)
    card.notified_at = at
    return card


def stage_card_recipients(clock, at) -> tuple[list, list]:
    """Who is told of a stage's card: (those who may open the card, those told with a link to the case).

    The holder first: a window's commissioners; a department's commissioners and head; a unit's
    commissioner (who follows the case, not the supervision board). The window of the talent's home
    supervises every stage and is told too.
    """
    from huicai.casework.choices import Holder

    supervising = window_commissioners(clock.application.talent.home_window, at)
    if clock.holder == Holder.WINDOW:
        return [*window_commissioners(clock.window, at), *supervising], []
    if clock.holder == Holder.DEPARTMENT:
        return [
            *department_commissioners(clock.department, at),
            *department_heads(clock.department, at),
            *supervising,
        ], []
    return supervising, [clock.unit_post.user] if clock.unit_post_id else []


@transaction.atomic
def issue_stage_card(clock, *, at) -> Card | None:
    """W9, W13, S12-2: give an open stage clock (triage, acceptance, reroute, supplement, informing) the card
    its due date calls for today, once per colour and due date, charged to the stage's holder: the window,
    the department, or the unit (supplement and informing count against the unit, not the department).
    Returns the new card, or None when none is due, the stage has ended, or it was issued before."""
    from huicai.casework.models import StageClock

    clock = StageClock.objects.select_related(
        "deadline",
        "application__talent__home_window",
        "task",
        "window",
        "department",
        "employer",
        "unit_post__user",
    ).get(pk=clock.pk)
    if not clock.is_open:
        return None
    today = _today(at)
    due = clock.deadline.due_date
    colour = card_colour(due, today=today, yellow_days=yellow_card_days())
    # Most stages last a working day or two: judged from the day they start, every one would be "due
    # soon" at once and the warning would mean nothing. A stage is warned from the day after it starts.
    if colour is None or (colour == CardColour.YELLOW and today <= clock.deadline.start_date):
        return None
    card = _insert_card(
        application=clock.application,
        task=clock.task,
        clock=clock,
        department=clock.department,
        colour=colour,
        due_date=due,
        issued_on=today,
        issued_at=at,
    )
    if card is None:
        return None
    subject = clock.task.number if clock.task_id else clock.application.number
    facts = {
        "subject": subject,
        "stage": clock.get_stage_display(),
        "holder": clock.holder_name,
        "date": due.isoformat(),
    }
    if colour == CardColour.YELLOW:
        title = _("黄牌预警：%(subject)s的“%(stage)s”环节将于%(date)s到期") % facts
        body = _(
            "%(holder)s负责的%(subject)s“%(stage)s”环节期限为%(date)s，还剩%(left)d个工作日，请及时办理。"
        ) % {
            **facts,
            "left": calendar.working_days_between(today, due),
        }
    else:
        title = _("红牌：%(subject)s的“%(stage)s”环节已超过期限（%(date)s）") % facts
        body = _("%(holder)s负责的%(subject)s“%(stage)s”环节已超过期限%(date)s仍未完成，请立即办理。") % facts
    supervisors, unit = stage_card_recipients(clock, at)
    notify(supervisors, kind=DEADLINE_WARNING, title=title, body=body, link=card.get_absolute_url(), at=at)
    if unit:
        case = clock.task or clock.application
        notify(unit, kind=DEADLINE_WARNING, title=title, body=body, link=case.get_absolute_url(), at=at)
    Card.objects.filter(pk=card.pk).update(notified_at=at)
    card.notified_at = at
    return card


# --- supervision orders (督办, W9) -------------------------------------------------------------------


def _lock_order(order) -> SupervisionOrder:
    return lock_for_update(
        SupervisionOrder.objects.select_related(
            "task__department", "task__application__talent__home_window", "window"
        ),
        order.pk,
    )


def _refuse_unless(order, step):
    """The state guard of an order's step, from the table the order page reads too."""
    access.ORDER_STEPS.check(step, order, error=InvalidTransition)


def _move(order, to_status, *, action, by, at, note="", fields=()) -> OrderEvent:
    from_status = order.status
    order.status = to_status
    order.save(update_fields=["status", *fields])
    return OrderEvent.objects.create(
        order=order, action=action, from_status=from_status, to_status=to_status, by=by, at=at, note=note
    )


@transaction.atomic
def raise_order(task, *, content, due_in_days=None, due_date=None, by, at) -> SupervisionOrder:
    """W9: a window commissioner demands a written answer from the department on one open task of its
    jurisdiction, by a date (working days from today, or a working day). One live order per task."""
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("department", "application__talent__home_window")
        .get(pk=task.pk)
    )
    if not access.can_raise_order(by, task):
        raise NotAllowed(_("只有辖区窗口专员可以督办该任务。"))
    if task.status not in OPEN_TASK_STATUSES:
        raise InvalidTransition(
            _("任务当前状态为“%(status)s”，不能督办。") % {"status": task.get_status_display()},
            code="invalid_transition",
        )
    content = _required(content, _("请填写督办要求。"))
    due = resolve_due_date(today=_today(at), due_in_days=due_in_days, due_date=due_date)
    if SupervisionOrder.objects.live().filter(task=task).exists():
        raise SupervisionError(_("该任务已有未办结的督办事项，请在原督办事项中跟进。"))
    order = SupervisionOrder.objects.create(
        task=task,
        window=_raising_window(by, task.application.talent),
        content=content,
        due_date=due,
        raised_by=by,
        raised_at=at,
    )
    OrderEvent.objects.create(
        order=order,
        action=OrderAction.RAISE,
        from_status="",
        to_status=order.status,
        by=by,
        at=at,
        note=content,
    )
    notify(
        [*department_commissioners(task.department, at), *department_heads(task.department, at)],
        kind=ORDER_NOTICE,
        title=_("督办：任务%(number)s，请于%(date)s前书面答复")
        % {"number": task.number, "date": due.isoformat()},
        body=content,
        link=order.get_absolute_url(),
        at=at,
    )
    return order


@transaction.atomic
def respond_to_order(order, *, response, by, at) -> SupervisionOrder:
    """The department answers an open order in writing; the window that raised it is told."""
    order = _lock_order(order)
    if not access.can_respond_to_order(by, order):
        raise NotAllowed(_("只有承办部门的部门专员可以答复督办事项。"))
    _refuse_unless(order, "respond")
    order.response = _required(response, _("请填写书面答复。"))
    order.responded_by = by
    order.responded_at = at
    _move(
        order,
        OrderStatus.ANSWERED,
        action=OrderAction.RESPOND,
        by=by,
        at=at,
        note=order.response,
        fields=["response", "responded_by", "responded_at"],
    )
    notify(
        [order.raised_by, *window_commissioners(order.window, at)],
        kind=ORDER_NOTICE,
        title=_("督办答复：任务%(number)s") % {"number": order.task.number},
        body=order.response,
        link=order.get_absolute_url(),
        at=at,
    )
    return order


@transaction.atomic
def close_order(order, *, accept, note="", due_in_days=None, due_date=None, by, at) -> SupervisionOrder:
    """The window reviews the department's answer: accepts it (the order is closed), or sends it back with a
    note (open again, optionally with a new date), which puts the task back on top of the queue."""
    order = _lock_order(order)
    if not access.can_review_order(by, order):
        raise NotAllowed(_("只有发出督办的窗口可以确认或退回答复。"))
    _refuse_unless(order, "close")
    if accept:
        order.review_note = _optional(note)
        order.closed_by = by
        order.closed_at = at
        _move(
            order,
            OrderStatus.CLOSED,
            action=OrderAction.ACCEPT,
            by=by,
            at=at,
            note=order.review_note,
            fields=["review_note", "closed_by", "closed_at"],
        )
        title = _("督办已办结：任务%(number)s") % {"number": order.task.number}
    else:
        order.review_note = _required(note, _("退回重办须写明意见。"))
        fields = ["review_note"]
        if due_in_days is not None or due_date is not None:
            order.due_date = resolve_due_date(today=_today(at), due_in_days=due_in_days, due_date=due_date)
            fields.append("due_date")
        _move(
            order,
            OrderStatus.OPEN,
            action=OrderAction.REOPEN,
            by=by,
            at=at,
            note=order.review_note,
            fields=fields,
        )
        title = _("督办退回重办：任务%(number)s，请于%(date)s前重新答复") % {
            "number": order.task.number,
            "date": order.due_date.isoformat(),
        }
    notify(
        [*department_commissioners(order.task.department, at), order.responded_by],
        kind=ORDER_NOTICE,
        title=title,
        body=order.review_note,
        link=order.get_absolute_url(),
        at=at,
    )
    return order


@transaction.atomic
def withdraw_order(order, *, reason, by, at) -> SupervisionOrder:
    """The window withdraws a live order (raised by mistake, or no longer needed), with the reason."""
    order = _lock_order(order)
    if not access.can_review_order(by, order):
        raise NotAllowed(_("只有发出督办的窗口可以撤销督办事项。"))
    _refuse_unless(order, "withdraw")
    order.review_note = _required(reason, _("请说明撤销原因。"))
    order.closed_by = by
    order.closed_at = at
    _move(
        order,
        OrderStatus.WITHDRAWN,
        action=OrderAction.WITHDRAW,
        by=by,
        at=at,
        note=order.review_note,
        fields=["review_note", "closed_by", "closed_at"],
    )
    notify(
        department_commissioners(order.task.department, at),
        kind=ORDER_NOTICE,
        title=_("督办已撤销：任务%(number)s") % {"number": order.task.number},
        body=order.review_note,
        link=order.get_absolute_url(),
        at=at,
    )
    return order


# --- scheduling rounds (调度, W8) ---------------------------------------------------------------------


@transaction.atomic
def open_round(*, window, title, answer_due_date, note="", by, at) -> Round:
    """W8: a window opens a scheduling round over every open task of its jurisdiction (its subtree).

    The round is a snapshot: one entry per task open now, with its department, status and due date now.
    The departments concerned are told; the window row is locked so two openings for one window are
    serialised, and a partial unique constraint keeps one open round per window.
    """
    if not (access.is_window_staff(by) and access.is_window_over_window(by, window)):
        raise NotAllowed(_("只有本窗口的窗口专员可以发起调度。"))
    window = Window.objects.select_for_update().get(pk=window.pk)
    title = _required(title, _("请填写调度主题。"), 100)
    note = _optional(note)
    today = _today(at)
    if answer_due_date < today:
        raise SupervisionError(_("答复期限不能早于今天。"))
    if not calendar.is_working_day(answer_due_date):
        raise SupervisionError(
            _("答复期限 %(date)s 不是工作日，请选择工作日。") % {"date": answer_due_date.isoformat()}
        )
    if Round.objects.filter(window=window, status=RoundStatus.OPEN).exists():
        raise SupervisionError(_("该窗口已有进行中的调度，请先结束后再发起。"))
    tasks = list(
        Task.objects.open()
        .filter(application__talent__home_window__path__startswith=window.path)
        .select_related("deadline")
        .order_by("department_id", "id")
    )
    if not tasks:
        raise SupervisionError(_("辖区内没有未办结的任务，无需调度。"))
    round_ = Round.objects.create(
        window=window,
        title=title,
        note=note,
        answer_due_date=answer_due_date,
        opened_by=by,
        opened_at=at,
        opened_on=today,
        # The opening notice is the day's notice: chasing starts on the next working day.
        last_chased_on=today,
    )
    RoundEntry.objects.bulk_create(
        [
            RoundEntry(
                round=round_,
                task=task,
                department_id=task.department_id,
                task_status=task.status,
                due_date=task.deadline.due_date if task.deadline_id else None,
            )
            for task in tasks
        ]
    )
    counts = {}
    for task in tasks:
        counts[task.department_id] = counts.get(task.department_id, 0) + 1
    for department in Department.objects.filter(pk__in=counts).order_by("pk"):
        notify(
            department_commissioners(department, at),
            kind=ROUND_NOTICE,
            title=_("调度：%(window)s「%(title)s」，请于%(date)s前答复%(n)d项任务的进展")
            % {
                "window": window.name,
                "title": title,
                "date": answer_due_date.isoformat(),
                "n": counts[department.pk],
            },
            body=note,
            link=round_.get_absolute_url(),
            at=at,
        )
    return round_


def _lock_round(round_) -> Round:
    return lock_for_update(Round.objects.select_related("window"), round_.pk)


@transaction.atomic
def answer_entry(entry, *, progress, obstacle="", expected_date=None, by, at) -> RoundEntry:
    """W8: the department answers for one task of an open round: its progress, any obstacle, and when it
    expects to finish. An answer may be corrected while the round is open; the latest one counts."""
    entry = RoundEntry.objects.select_for_update(of=("self",)).select_related("round").get(pk=entry.pk)
    if not access.can_answer_entry(by, entry):
        raise NotAllowed(_("只有该任务所属部门的部门专员可以答复。"))
    if not entry.round.is_open:
        raise InvalidTransition(_("本轮调度已结束，不能再答复。"), code="invalid_transition")
    entry.progress = _required(progress, _("请填写进展情况。"))
    entry.obstacle = _optional(obstacle)
    if expected_date is not None and expected_date < _today(at):
        raise SupervisionError(_("预计办结日期不能早于今天。"))
    entry.expected_date = expected_date
    entry.answered_by = by
    entry.answered_at = at
    entry.save(update_fields=["progress", "obstacle", "expected_date", "answered_by", "answered_at"])
    return entry


@transaction.atomic
def close_round(round_, *, by, at) -> Round:
    """The window closes the round; the report as of today is computed and kept with it."""
    round_ = _lock_round(round_)
    if not access.can_manage_round(by, round_):
        raise NotAllowed(_("只有发起调度的窗口可以结束调度。"))
    if not round_.is_open:
        raise InvalidTransition(_("本轮调度已经结束。"), code="invalid_transition")
    round_.report = round_.build_report(_today(at))
    round_.status = RoundStatus.CLOSED
    round_.closed_by = by
    round_.closed_at = at
    round_.save(update_fields=["report", "status", "closed_by", "closed_at"])
    return round_


@transaction.atomic
def chase_round(round_, *, at) -> int:
    """Tell each department with unanswered entries in an open round, at most once per working day.

    The day is claimed by a compare-and-swap on ``last_chased_on``, in the same transaction as the
    notices: two schedulers at once chase once, and a failure leaves the day to the next run. Returns the
    number of departments chased.
    """
    today = _today(at)
    claimed = (
        Round.objects.filter(pk=round_.pk, status=RoundStatus.OPEN)
        .filter(Q(last_chased_on__isnull=True) | Q(last_chased_on__lt=today))
        .update(last_chased_on=today)
    )
    if claimed != 1:
        return 0
    round_ = Round.objects.select_related("window").get(pk=round_.pk)
    waiting = dict(
        round_.entries.filter(answered_at__isnull=True)
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    for department in Department.objects.filter(pk__in=waiting).order_by("pk"):
        notify(
            department_commissioners(department, at),
            kind=ROUND_NOTICE,
            title=_("催报：%(window)s「%(title)s」尚有%(n)d项任务未答复，答复期限%(date)s")
            % {
                "window": round_.window.name,
                "title": round_.title,
                "n": waiting[department.pk],
                "date": round_.answer_due_date.isoformat(),
            },
            link=round_.get_absolute_url(),
            at=at,
        )
    return len(waiting)
