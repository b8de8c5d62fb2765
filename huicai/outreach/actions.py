"""Every change of state of a difficulty or a check-in: one function each (S11-5, S12-4, S13-3, S14-4).

Each action takes keyword-only arguments with an explicit actor (``by``) and time (``at``), runs in one
transaction, re-reads the row it changes with ``select_for_update()`` (two commissioners acting at once
are serialised, and the second finds the state changed and is refused), checks the permission and the
allowed source state, writes the change with its event row, and notifies the next level. Notifications
are inbox rows written in the same transaction; email goes after commit.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.accounts.roles import get_scope
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post, UnitAssignment
from huicai.core import transitions
from huicai.core.transitions import ActionRefused, NotAllowed, lock_for_update
from huicai.notifications.actions import notify
from huicai.org.models import UndertakingOrg, Window
from huicai.outreach import access
from huicai.outreach.choices import (
    CHECKIN_OPENED,
    DEPARTURE_CASE,
    DIFFICULTY_ESCALATED,
    DIFFICULTY_RECORDED,
    DIFFICULTY_RESPONDED,
    Category,
    DifficultyAction,
    DifficultyKind,
    DifficultyStatus,
    EmploymentAnswer,
    EntryStatus,
    HolderLevel,
    RoundStatus,
    Source,
)
from huicai.outreach.models import (
    MAX_CONTENT,
    CheckinEntry,
    CheckinRound,
    Difficulty,
    DifficultyEvent,
    TalentStatusChange,
)
from huicai.talents.choices import EmploymentStatus
from huicai.talents.models import Talent

MAX_NOTE = 2000
MAX_ENTRY_NOTE = 500
MAX_TITLE = 100


class OutreachError(ActionRefused):
    """A refused action; the message is for the person who tried it."""


class InvalidTransition(OutreachError, transitions.InvalidTransition):
    """The record is not in a state that allows this step; still a ``OutreachError`` for its callers."""


# --- helpers ----------------------------------------------------------------------------------------


def _text(value, *, required_message=None, limit=MAX_NOTE, label=None):
    value = (value or "").strip()
    if required_message and not value:
        raise OutreachError(required_message, code="required")
    if len(value) > limit:
        raise OutreachError(
            _("%(label)s不能超过 %(limit)d 个字。") % {"label": label or _("内容"), "limit": limit},
            code="too_long",
        )
    return value


def _users(kind, at, **org):
    """The people holding an active post of ``kind`` at an organisation."""
    posts = Post.objects.active_at(at).filter(kind=kind, **org).select_related("user")
    return [post.user for post in posts]


def _unit_commissioner(talent):
    assignment = talent.unit_assignments.open().select_related("post__user").first()
    return assignment.post.user if assignment else None


def _holder_users(difficulty, at):
    """Whom a difficulty waits on now: the talent's unit commissioner, the department's or the window's
    commissioners."""
    if difficulty.holder_level == HolderLevel.UNIT:
        user = _unit_commissioner(difficulty.talent)
        return [user] if user else []
    if difficulty.holder_level == HolderLevel.DEPARTMENT:
        return _users(PostKind.DEPARTMENT, at, department=difficulty.holder_department)
    return _users(PostKind.WINDOW, at, window=difficulty.holder_window)


def _others(users, by):
    return [user for user in users if user is not None and user.pk != by.pk]


def _lock(difficulty):
    return lock_for_update(
        Difficulty.objects.select_related(
            "talent__home_window", "talent__user", "holder_window", "holder_department", "recorded_by"
        ),
        difficulty.pk,
    )


def _refuse_unless(difficulty, step):
    """The state guard of a difficulty's step, from the table the pages and the API read too."""
    access.DIFFICULTY_STEPS.check(step, difficulty, error=InvalidTransition)


def _event(difficulty, *, action, from_status, from_holder, by, at, note="", window=None):
    return DifficultyEvent.objects.create(
        difficulty=difficulty,
        action=action,
        from_status=from_status,
        to_status=difficulty.status,
        from_holder=from_holder,
        to_holder=difficulty.holder_label,
        window=window,
        by=by,
        at=at,
        note=note[:MAX_NOTE],
    )


def _deepest_own_window(scope, talent):
    """Of the user's windows that cover the talent, the one nearest to the talent's home window."""
    covering = [path for path in scope.window_paths if talent.home_window.path.startswith(path)]
    if not covering:
        return None
    return Window.objects.get(path=max(covering, key=len))


# --- difficulties and suggestions -------------------------------------------------------------------


@transaction.atomic
def record_difficulty(*, talent, kind, category, content, by, at) -> Difficulty:
    """S11-5, S12-4, S13-3: record a talent's difficulty or suggestion.

    Anyone who can see the talent may record it, and it starts with the level that collected it: the
    talent's own report and the unit commissioner's go to the unit commissioner (who answers or passes it
    to the window, S11-5); a department commissioner's stays with their department, an undertaking
    commissioner's goes to the department over their institution (S13-3: 向部门专员反馈); a window
    commissioner's stays with their window. Status changes come only from check-ins.
    """
    if not Talent.objects.visible_to(by).filter(pk=talent.pk).exists():
        raise NotAllowed(_("您无权为该人才登记困难或意见建议。"))
    if kind not in (DifficultyKind.DIFFICULTY, DifficultyKind.SUGGESTION):
        raise OutreachError(_("请选择“困难问题”或“意见建议”。"), code="invalid_kind")
    if category not in Category.values:
        raise OutreachError(_("请选择类别。"), code="invalid_category")
    content = _text(content, required_message=_("请填写困难或意见建议的内容。"), limit=MAX_CONTENT)
    scope = get_scope(by)
    fields = {}
    if scope.talent_id == talent.pk:
        fields["source"] = Source.TALENT
    elif access.is_unit_commissioner_of(by, talent):
        fields["source"] = Source.UNIT
    elif (window := _deepest_own_window(scope, talent)) is not None:
        fields.update(source=Source.WINDOW, holder_level=HolderLevel.WINDOW, holder_window=window)
    elif scope.department_ids:
        department_id = min(scope.department_ids)
        fields.update(
            source=Source.DEPARTMENT,
            source_department_id=department_id,
            holder_level=HolderLevel.DEPARTMENT,
            holder_department_id=department_id,
        )
    elif scope.undertaking_org_ids:
        org = UndertakingOrg.objects.get(pk=min(scope.undertaking_org_ids))
        fields.update(
            source=Source.UNDERTAKING,
            source_undertaking_org=org,
            source_department_id=org.department_id,
            holder_level=HolderLevel.DEPARTMENT,
            holder_department_id=org.department_id,
        )
    else:  # a system administrator: the talent's home window handles it
        fields.update(source=Source.WINDOW, holder_level=HolderLevel.WINDOW, holder_window=talent.home_window)
    if "holder_level" not in fields:
        # The talent and the unit commissioner: the unit commissioner holds it; a talent without one
        # (between two assignments) reports straight to the home window.
        if talent.unit_assignments.open().exists():
            fields["holder_level"] = HolderLevel.UNIT
        else:
            fields.update(holder_level=HolderLevel.WINDOW, holder_window=talent.home_window)
    difficulty = Difficulty.objects.create(
        talent=talent,
        kind=kind,
        category=category,
        content=content,
        status=DifficultyStatus.OPEN,
        recorded_by=by,
        recorded_at=at,
        **fields,
    )
    difficulty = Difficulty.objects.select_related(
        "talent__home_window", "holder_window", "holder_department"
    ).get(pk=difficulty.pk)
    _event(difficulty, action=DifficultyAction.RECORD, from_status="", from_holder="", by=by, at=at)
    notify(
        _others(_holder_users(difficulty, at), by),
        kind=DIFFICULTY_RECORDED,
        title=_("新的%(kind)s：%(talent)s") % {"kind": difficulty.get_kind_display(), "talent": talent.name},
        body=content[:200],
        link=difficulty.get_absolute_url(),
        at=at,
    )
    return difficulty


@transaction.atomic
def start_difficulty(difficulty, *, by, at, note="") -> Difficulty:
    """The holder takes the difficulty in hand (待处理/已上报 → 处理中)."""
    difficulty = _lock(difficulty)
    if not access.holds(by, difficulty):
        raise NotAllowed(_("该事项当前由%(holder)s处理。") % {"holder": difficulty.holder_label})
    _refuse_unless(difficulty, "start")
    note = _text(note, label=_("说明"))
    from_status, holder = difficulty.status, difficulty.holder_label
    difficulty.status = DifficultyStatus.IN_PROGRESS
    difficulty.save(update_fields=["status"])
    _event(
        difficulty,
        action=DifficultyAction.START,
        from_status=from_status,
        from_holder=holder,
        by=by,
        at=at,
        note=note,
    )
    return difficulty


@transaction.atomic
def escalate_difficulty(difficulty, *, note, by, at) -> Difficulty:
    """Pass the difficulty one level up, with a note, and tell the next level (S11-5, S12-4, S14-4).

    The unit commissioner and the department send it to the talent's home window; a window sends it to
    the window it files up to (a county window to the city window). The city window is the top: nothing
    is above it.
    """
    difficulty = _lock(difficulty)
    if not access.holds(by, difficulty):
        raise NotAllowed(_("只有当前处理方（%(holder)s）可以上报。") % {"holder": difficulty.holder_label})
    _refuse_unless(difficulty, "escalate")
    note = _text(note, required_message=_("请填写上报说明。"), label=_("上报说明"))
    if difficulty.holder_level == HolderLevel.WINDOW:
        target = difficulty.holder_window.parent
        if target is None:
            raise InvalidTransition(
                _("市级窗口已是最高一级，不能再上报；请直接答复。"), code="no_higher_level"
            )
    else:
        target = difficulty.talent.home_window
    from_status, holder = difficulty.status, difficulty.holder_label
    difficulty.status = DifficultyStatus.ESCALATED
    difficulty.holder_level = HolderLevel.WINDOW
    difficulty.holder_window = target
    difficulty.holder_department = None
    difficulty.escalated_at = at
    difficulty.save(
        update_fields=["status", "holder_level", "holder_window", "holder_department", "escalated_at"]
    )
    _event(
        difficulty,
        action=DifficultyAction.ESCALATE,
        from_status=from_status,
        from_holder=holder,
        by=by,
        at=at,
        note=note,
        window=target,
    )
    notify(
        _users(PostKind.WINDOW, at, window=target),
        kind=DIFFICULTY_ESCALATED,
        title=_("%(holder)s上报的%(kind)s：%(talent)s")
        % {"holder": holder, "kind": difficulty.get_kind_display(), "talent": difficulty.talent.name},
        body=note[:200],
        link=difficulty.get_absolute_url(),
        at=at,
    )
    return difficulty


@transaction.atomic
def respond_to_difficulty(difficulty, *, response, resolved=False, by, at) -> Difficulty:
    """The holder answers: 已解决 when the difficulty is solved, 已答复 otherwise (an explanation, a
    suggestion taken note of). The talent, the person who recorded it and the unit commissioner are told."""
    difficulty = _lock(difficulty)
    if not access.holds(by, difficulty):
        raise NotAllowed(_("只有当前处理方（%(holder)s）可以答复。") % {"holder": difficulty.holder_label})
    if difficulty.status == DifficultyStatus.CLOSED:
        raise InvalidTransition(_("该事项已关闭，不能再答复。"), code="invalid_transition")
    _refuse_unless(difficulty, "respond")
    response = _text(response, required_message=_("请填写答复内容。"), label=_("答复"))
    from_status, holder = difficulty.status, difficulty.holder_label
    difficulty.status = DifficultyStatus.RESOLVED if resolved else DifficultyStatus.RESPONDED
    difficulty.response = response
    difficulty.responded_by = by
    difficulty.responded_at = at
    difficulty.save(update_fields=["status", "response", "responded_by", "responded_at"])
    _event(
        difficulty,
        action=DifficultyAction.RESPOND,
        from_status=from_status,
        from_holder=holder,
        by=by,
        at=at,
        note=response,
    )
    notify(
        _others([difficulty.talent.user, difficulty.recorded_by, _unit_commissioner(difficulty.talent)], by),
        kind=DIFFICULTY_RESPONDED,
        title=_("%(kind)s%(status)s：%(holder)s")
        % {
            "kind": difficulty.get_kind_display(),
            "status": difficulty.get_status_display(),
            "holder": holder,
        },
        body=response[:200],
        link=difficulty.get_absolute_url(),
        at=at,
    )
    return difficulty


@transaction.atomic
def close_difficulty(difficulty, *, by, at, note="") -> Difficulty:
    """Close an answered difficulty: the holder, or the talent once satisfied with the answer."""
    difficulty = _lock(difficulty)
    if not (access.holds(by, difficulty) or access.is_talent(by, difficulty.talent)):
        raise NotAllowed(_("只有当前处理方或人才本人可以关闭。"))
    if difficulty.status == DifficultyStatus.CLOSED:
        raise InvalidTransition(_("该事项已关闭。"), code="invalid_transition")
    _refuse_unless(difficulty, "close")
    note = _text(note, label=_("说明"))
    from_status, holder = difficulty.status, difficulty.holder_label
    difficulty.status = DifficultyStatus.CLOSED
    difficulty.closed_by = by
    difficulty.closed_at = at
    difficulty.save(update_fields=["status", "closed_by", "closed_at"])
    _event(
        difficulty,
        action=DifficultyAction.CLOSE,
        from_status=from_status,
        from_holder=holder,
        by=by,
        at=at,
        note=note,
    )
    return difficulty


@transaction.atomic
def link_catalogue_change(difficulty, *, item, version=None, note="", by, at) -> Difficulty:
    """W7: a window records that the difficulty led to a new or optimised green-channel item.

    The item must be one the window can see in the staff catalogue, or a published one; the version, when
    given, must be a version of that item. Allowed in any state: the catalogue change often comes after
    the talent has been answered.
    """
    difficulty = _lock(difficulty)
    scope = get_scope(by)
    if not scope.window_ids or not access.is_window_over(by, difficulty):
        raise NotAllowed(_("只有服务窗口可以关联服务事项调整。"))
    visible = ServiceItem.objects.visible_to(by) | ServiceItem.objects.published()
    if not visible.filter(pk=item.pk).exists():
        raise OutreachError(_("未找到该服务事项，或您无权查看。"), code="invalid_item")
    if version is not None and version.item_id != item.pk:
        raise OutreachError(_("所选版本不属于该服务事项。"), code="invalid_version")
    note = _text(note, label=_("说明"), limit=300)
    difficulty.catalogue_item = item
    difficulty.catalogue_version = version
    difficulty.catalogue_note = note
    difficulty.catalogue_linked_by = by
    difficulty.catalogue_linked_at = at
    difficulty.save(
        update_fields=[
            "catalogue_item",
            "catalogue_version",
            "catalogue_note",
            "catalogue_linked_by",
            "catalogue_linked_at",
        ]
    )
    label = f"{item.code} {item.name}" + (f"（第{version.number}版）" if version else "")
    _event(
        difficulty,
        action=DifficultyAction.LINK_CATALOGUE,
        from_status=difficulty.status,
        from_holder=difficulty.holder_label,
        by=by,
        at=at,
        note=f"{label}{'：' + note if note else ''}",
    )
    return difficulty


# --- status check-ins -------------------------------------------------------------------------------


@transaction.atomic
def open_checkin_round(*, window, title, by, at, due_date=None, note="") -> CheckinRound:
    """S14-4: a window asks, for every talent at home in its jurisdiction, whether they are still employed
    and still living in Linyi. The unit commissioners and the talents with an account are told.

    The window row is locked first, so two commissioners opening a round at once are serialised and the
    second finds the first round open (the database's partial unique constraint guards it as well).
    """
    window = Window.objects.select_for_update().get(pk=window.pk)
    if not access.is_staff_of_window(by, window):
        raise NotAllowed(_("只有本窗口的窗口专员可以发起状态调度。"))
    title = _text(title, required_message=_("请填写调度名称。"), limit=MAX_TITLE, label=_("名称"))
    note = _text(note, label=_("说明"))
    today = timezone.localdate(at)
    if due_date is not None and due_date < today:
        raise OutreachError(_("答复截止日期不能早于今天。"), code="past_due_date")
    if CheckinRound.objects.filter(window=window, status=RoundStatus.OPEN).exists():
        raise InvalidTransition(_("该窗口已有进行中的状态调度，请先结束后再发起新一轮。"), code="round_open")
    checkin_round = CheckinRound.objects.create(
        window=window,
        title=title,
        note=note,
        due_date=due_date,
        opened_by=by,
        opened_at=at,
        # The opening notice is today's reminder: chasing starts on the next working day.
        last_chased_date=today,
    )
    talents = Talent.objects.filter(home_window__path__startswith=window.path).order_by("pk")
    CheckinEntry.objects.bulk_create(
        [CheckinEntry(round=checkin_round, talent_id=pk) for pk in talents.values_list("pk", flat=True)]
    )
    unit_posts = Post.objects.filter(
        pk__in=UnitAssignment.objects.open().filter(talent_id__in=talents.values("pk")).values("post_id")
    ).select_related("user")
    users = [post.user for post in unit_posts]
    users += [talent.user for talent in talents.filter(user__isnull=False).select_related("user")]
    due = due_date.isoformat() if due_date else _("尽快")
    notify(
        users,
        kind=CHECKIN_OPENED,
        title=_("%(window)s状态调度：%(title)s") % {"window": window.name, "title": title},
        body=_("请于%(due)s前确认人才是否在职、是否在临沂居住。") % {"due": due},
        link=reverse("outreach:pending"),
        at=at,
    )
    return checkin_round


@transaction.atomic
def answer_checkin(entry, *, employment_status, lives_in_linyi, by, at, note="") -> CheckinEntry:
    """S14-4: the unit commissioner (or the talent) answers for one talent; the talent's record is updated
    with the dates confirmed, and a ``TalentStatusChange`` keeps the old and new values.

    A talent found to have left (已离职) or no longer living in Linyi opens a case of kind "status change"
    for the window that runs the round, unless one is still open for them. An answer may be corrected while
    the round is open; a closed round takes no answers. The round is locked before the entry, as closing
    does, so an answer and a close cannot cross.
    """
    checkin_round = CheckinRound.objects.select_for_update().select_related("window").get(pk=entry.round_id)
    entry = (
        CheckinEntry.objects.select_for_update(of=("self",))
        .select_related("talent__home_window")
        .get(pk=entry.pk)
    )
    if not access.may_answer(by, entry):
        raise NotAllowed(_("只有该人才的单位专员或人才本人可以答复。"))
    if checkin_round.status != RoundStatus.OPEN:
        raise InvalidTransition(_("本轮调度已结束，不能再答复。"), code="round_closed")
    if employment_status not in EmploymentAnswer.values:
        raise OutreachError(_("请选择在职状态。"), code="invalid_employment")
    if lives_in_linyi not in (True, False):
        raise OutreachError(_("请选择是否在临沂居住。"), code="invalid_residence")
    note = _text(note, limit=MAX_ENTRY_NOTE, label=_("备注"))
    today = timezone.localdate(at)
    talent = Talent.objects.select_for_update().get(pk=entry.talent_id)
    TalentStatusChange.objects.create(
        talent=talent,
        entry=entry,
        round=checkin_round,
        old_employment_status=talent.employment_status,
        new_employment_status=employment_status,
        old_lives_in_linyi=talent.lives_in_linyi,
        new_lives_in_linyi=lives_in_linyi,
        note=note,
        by=by,
        at=at,
    )
    Talent.objects.filter(pk=talent.pk).update(
        employment_status=employment_status,
        employment_confirmed_date=today,
        lives_in_linyi=lives_in_linyi,
        residence_confirmed_date=today,
        updated_at=at,
    )
    entry.status = EntryStatus.ANSWERED
    entry.employment_status = employment_status
    entry.lives_in_linyi = lives_in_linyi
    entry.note = note
    entry.answered_by = by
    entry.answered_at = at
    entry.save(
        update_fields=["status", "employment_status", "lives_in_linyi", "note", "answered_by", "answered_at"]
    )
    if employment_status == EmploymentStatus.LEFT or not lives_in_linyi:
        _open_departure_case(entry, checkin_round, by=by, at=at)
    return entry


def _open_departure_case(entry, checkin_round, *, by, at):
    """A case for the window: the talent has left their job or Linyi (one open case per talent at a time)."""
    talent = entry.talent
    already = Difficulty.objects.filter(talent=talent, kind=DifficultyKind.STATUS_CHANGE).exclude(
        status=DifficultyStatus.CLOSED
    )
    if already.exists():
        return None
    facts = []
    if entry.employment_status == EmploymentStatus.LEFT:
        facts.append(_("已离职"))
    if not entry.lives_in_linyi:
        facts.append(_("不在临沂居住"))
    content = _("状态调度“%(title)s”答复：%(talent)s%(facts)s。") % {
        "title": checkin_round.title,
        "talent": talent.name,
        "facts": "、".join(facts),
    }
    if entry.note:
        content += _("备注：%(note)s") % {"note": entry.note}
    difficulty = Difficulty.objects.create(
        talent=talent,
        kind=DifficultyKind.STATUS_CHANGE,
        category=Category.WORK if entry.employment_status == EmploymentStatus.LEFT else Category.LIFE,
        content=content,
        source=Source.CHECKIN,
        holder_level=HolderLevel.WINDOW,
        holder_window=checkin_round.window,
        recorded_by=by,
        recorded_at=at,
        checkin_entry=entry,
    )
    _event(difficulty, action=DifficultyAction.RECORD, from_status="", from_holder="", by=by, at=at)
    notify(
        _others(_users(PostKind.WINDOW, at, window=checkin_round.window), by),
        kind=DEPARTURE_CASE,
        title=_("人才状态变化待处理：%(talent)s") % {"talent": talent.name},
        body=content[:200],
        link=difficulty.get_absolute_url(),
        at=at,
    )
    return difficulty


@transaction.atomic
def close_checkin_round(checkin_round, *, by, at) -> int:
    """End a round: the entries still unanswered are marked 未答复. Returns how many were."""
    checkin_round = CheckinRound.objects.select_for_update().select_related("window").get(pk=checkin_round.pk)
    if not access.is_staff_of_window(by, checkin_round.window):
        raise NotAllowed(_("只有发起调度的窗口可以结束本轮调度。"))
    if checkin_round.status != RoundStatus.OPEN:
        raise InvalidTransition(_("本轮调度已结束。"), code="round_closed")
    unanswered = CheckinEntry.objects.filter(round=checkin_round, status=EntryStatus.PENDING).update(
        status=EntryStatus.NO_ANSWER
    )
    checkin_round.status = RoundStatus.CLOSED
    checkin_round.closed_by = by
    checkin_round.closed_at = at
    checkin_round.save(update_fields=["status", "closed_by", "closed_at"])
    return unanswered


def pending_entries_by_unit_user(checkin_round):
    """{unit commissioner user: number of unanswered entries of their talents} for one round."""
    assignments = (
        UnitAssignment.objects.open()
        .filter(
            talent__checkin_entries__round=checkin_round,
            talent__checkin_entries__status=EntryStatus.PENDING,
        )
        .select_related("post__user")
    )
    counts = {}
    users = {}
    for assignment in assignments:
        user = assignment.post.user
        users[user.pk] = user
        counts[user.pk] = counts.get(user.pk, 0) + 1
    return {users[pk]: n for pk, n in counts.items()}
