"""Changes to the commissioner registry and to talents' one-to-one unit commissioners (S4–S9, S19).

Every change is one function here, called by the window's pages, the API, the admin and the importer alike:
appoint a commissioner, end a post (handing its talents and open work to a successor in the same
transaction), transfer a person to another organisation, correct a post's contact particulars
(``change_post_contact``), and reassign talents between unit commissioners of one employer. Each writes a
``PostEvent`` (or, for a talent, the assignment periods themselves) so the registry's history is complete.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huicai.commissioners.choices import PostEventKind, PostKind
from huicai.commissioners.models import Post, PostEvent, UnitAssignment
from huicai.core.masking import mask_phone
from huicai.core.transitions import ActionRefused

ORGANISATION_FIELD = {
    PostKind.UNIT: "employer",
    PostKind.DEPARTMENT: "department",
    PostKind.UNDERTAKING: "undertaking_org",
    PostKind.WINDOW: "window",
}


class AssignmentError(ActionRefused):
    """A unit commissioner assignment that the rules refuse; the message is for the person."""


class PostError(ValidationError):
    """A change to a commissioner post that the rules refuse; the message is for the person."""


@transaction.atomic
def appoint_commissioner(
    *, user, kind, organisation, by, at, is_full_time=True, is_manager=False, position="", office_phone=""
):
    """Open a commissioner post for ``user`` at ``organisation`` (employer, department, institution or
    window, according to ``kind``). The database check refuses a post whose organisation does not match."""
    field = ORGANISATION_FIELD[PostKind(kind)]
    post = Post(
        user=user,
        kind=kind,
        is_full_time=is_full_time,
        is_manager=is_manager,
        position=position,
        office_phone=office_phone,
        active_from=at,
        **{field: organisation},
    )
    post.full_clean()
    post.save()
    PostEvent.objects.create(post=post, kind=PostEventKind.APPOINTED, by=by, at=at, note=str(organisation))
    return post


# The particulars of a post that ``change_post_contact`` corrects (S19 change of contact), with their labels.
CONTACT_FIELDS = {"position": _("职务"), "office_phone": _("办公电话"), "is_full_time": _("专职")}


def _shown(field, value) -> str:
    """A particular as the history shows it: phone numbers masked (138****1234), never whole."""
    if field == "office_phone":
        return mask_phone(value) or "—"
    if field == "is_full_time":
        return _("专职") if value else _("兼职")
    return value or "—"


@transaction.atomic
def change_post_contact(post, *, by, at, note="", expected=None, **values):
    """Correct the particulars of an active post (position, office phone, full-time: ``CONTACT_FIELDS``),
    the one way the pages, the admin and the importer change them (S19 change of contact).

    Only the keywords given are changed. The post row is locked; ``expected`` (field -> the value the
    caller saw) refuses the change when someone else changed that field meanwhile, so neither's work is
    lost silently. When nothing differs, nothing is written and None is returned (a re-import of the same
    file makes no event); otherwise one ``CONTACT_CHANGED`` event keeps old -> new in ``data`` and a masked
    line in ``note``, which staffing's sweep turns into a change record."""
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"change_post_contact() got unexpected fields: {sorted(unknown)}")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.active_to is not None:
        raise PostError(_("该岗位已经结束，不能再修改联系方式。"))
    for field, seen in (expected or {}).items():
        if getattr(post, field) != seen:
            raise PostError(
                _("该专员的%(label)s刚刚被他人修改，请刷新后重试。") % {"label": CONTACT_FIELDS[field]}
            )
    changes = {}
    for field, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        old = getattr(post, field)
        if old != value:
            changes[field] = (old, value)
            setattr(post, field, value)
    if not changes:
        return None
    post.full_clean()
    post.save(update_fields=list(changes))
    shown = "；".join(
        f"{CONTACT_FIELDS[field]}：{_shown(field, old)} → {_shown(field, new)}"
        for field, (old, new) in changes.items()
    )
    note = f"{note}：{shown}" if note else shown
    PostEvent.objects.create(
        post=post,
        kind=PostEventKind.CONTACT_CHANGED,
        by=by,
        at=at,
        note=note[:500],
        data={"changes": {field: {"old": old, "new": new} for field, (old, new) in changes.items()}},
    )
    return post


def open_work_of(post):
    """The applications a unit post filed on which it still owes something: open ones (their supplements,
    补正) and closed ones with a result the talent has not been told (告知, S11-3). They go to whoever takes
    over (S6, W13)."""
    from django.db.models import Exists, OuterRef, Q

    # commissioners sits below casework and imports none of it: the models by name, the states by value
    # (casework.choices: ApplicationStatus draft/submitted/in_progress, TaskStatus completed).
    Application = apps.get_model("casework", "Application")
    Task = apps.get_model("casework", "Task")
    untold = Task.objects.filter(application=OuterRef("pk"), status="completed", informed_at__isnull=True)
    return Application.objects.filter(
        Q(status__in=["draft", "submitted", "in_progress"]) | Q(Exists(untold)),
        unit_post=post,
    )


@transaction.atomic
def end_post(post, *, by, at, successor=None, to_gap=False, reason=""):
    """Close a post at ``at``, in one action (S6, S19).

    A unit post's talents go to ``successor`` (another active unit commissioner of the same employer) or,
    when the person ending it says so (``to_gap``), into the coverage gap, where the window board lists
    them until someone is assigned; neither refuses, so nobody leaves talents behind by accident. Its
    open applications, with the supplements and informing it owes, go to the successor; with open work and
    no successor the post cannot end, since an application filed by a unit commissioner always has one.
    The post row is locked first, so two windows ending it at once end it once.
    """
    Talent = apps.get_model("talents", "Talent")  # the layer above, by name

    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.active_to is not None:
        raise PostError(_("该岗位已经结束。"))
    if post.active_from >= at:
        raise PostError(_("结束时间必须晚于任职起始时间。"))
    if successor is not None:
        successor = Post.objects.get(pk=successor.pk)  # the caller's copy may be stale
        if post.kind != PostKind.UNIT:
            raise PostError(_("只有单位专员岗位需要指定接替人。"))
        if successor.pk == post.pk:
            raise PostError(_("接替人不能是被结束的岗位本身。"))
        if successor.kind != PostKind.UNIT or successor.employer_id != post.employer_id:
            raise PostError(_("接替人必须是同一用人单位的单位专员。"))
        if not successor.is_active_at(at):
            raise PostError(_("接替的单位专员岗位不在任职期内。"))
    open_work = list(open_work_of(post).select_for_update().order_by("pk"))
    if open_work and successor is None:
        raise PostError(
            _("该专员还有 %(count)d 件未办结的申办，请指定接替的单位专员。") % {"count": len(open_work)}
        )
    if successor is None and not to_gap and post.kind == PostKind.UNIT and post.assignments.open().exists():
        raise PostError(_("该单位专员仍有对接的人才，请指定接替的单位专员，或确认将这些人才列入待配备名单。"))
    reason = reason or _("单位专员岗位结束")
    # Lock the talents in a fixed order (by id), as assign_unit_commissioner does one at a time, so this
    # and a concurrent reassignment cannot deadlock, and neither leaves a talent with an ended post.
    talent_ids = list(post.assignments.open().order_by("talent_id").values_list("talent_id", flat=True))
    locked = list(Talent.objects.select_for_update().filter(pk__in=talent_ids).order_by("pk"))
    # Re-read under the locks: a talent moved elsewhere meanwhile stays where they were moved.
    still_here = set(post.assignments.open().filter(talent__in=locked).values_list("talent_id", flat=True))
    talents = [talent for talent in locked if talent.pk in still_here]
    for talent in talents:
        if successor is not None:
            assign_unit_commissioner(talent, post=successor, by=by, at=at, reason=reason)
        else:
            release_unit_commissioner(talent, by=by, at=at, reason=reason)
    # Still open (a reassignment raced us between the list and the locks): refuse rather than orphan.
    if post.assignments.open().exists():
        raise PostError(_("该岗位的对接人才刚刚发生变化，请刷新后重试。"))
    for application in open_work:
        application.unit_post = successor
        application.version += 1
        application.save(update_fields=["unit_post", "version"])
    post.active_to = at
    post.save(update_fields=["active_to"])
    PostEvent.objects.create(
        post=post,
        kind=PostEventKind.ENDED,
        by=by,
        at=at,
        note=reason,
        data={
            "successor_id": successor.pk if successor else None,
            "talent_ids": [t.pk for t in talents],
            "application_ids": [a.pk for a in open_work],
        },
    )
    if successor is not None and (talents or open_work):
        PostEvent.objects.create(
            post=successor,
            kind=PostEventKind.TALENTS_HANDED_OVER,
            by=by,
            at=at,
            note=_("接替 %(name)s：%(talents)d 名人才，%(applications)d 件未办结申办")
            % {"name": post.user, "talents": len(talents), "applications": len(open_work)},
            data={"from_post_id": post.pk},
        )
        _tell_successor(successor, post=post, talents=len(talents), applications=len(open_work), at=at)
    return post


def _tell_successor(successor, *, post, talents, applications, at):
    from huicai.notifications.actions import notify

    notify(
        [successor.user],
        kind="unit_handover",
        title=_("您已接替 %(name)s 对接 %(talents)d 名人才、%(applications)d 件未办结申办")
        % {"name": post.user, "talents": talents, "applications": applications},
        link="/workbench/",
        at=at,
    )


@transaction.atomic
def transfer_post(post, *, organisation, by, at, successor=None, to_gap=False, reason=""):
    """Move a commissioner to another organisation of the same kind: the old post ends (handing over as
    ``end_post`` does) and a new one opens for the same person, with the same particulars (S19)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.organisation == organisation:
        raise PostError(_("调任的目标单位与现任单位相同。"))
    ended = end_post(post, by=by, at=at, successor=successor, to_gap=to_gap, reason=reason or _("调任"))
    new_post = appoint_commissioner(
        user=ended.user,
        kind=ended.kind,
        organisation=organisation,
        is_full_time=ended.is_full_time,
        is_manager=ended.is_manager,
        position=ended.position,
        office_phone=ended.office_phone,
        by=by,
        at=at,
    )
    PostEvent.objects.create(
        post=ended,
        kind=PostEventKind.TRANSFERRED,
        by=by,
        at=at,
        note=str(organisation),
        data={"new_post_id": new_post.pk},
    )
    return new_post


@transaction.atomic
def assign_unit_commissioner(talent, *, post, by, at, reason=""):
    """Make ``post`` the talent's one-to-one unit commissioner from ``at`` (S6).

    Closes the open period, if any, and opens the new one in one transaction; the talent row is locked
    first so two concurrent reassignments are serialised, and the partial unique constraint is the last
    guard. Who, when and why are kept on both periods.
    """
    # Locked through the talent's own class: talents builds on posts, so commissioners does not import it.
    talent = type(talent).objects.select_for_update().get(pk=talent.pk)
    if post.kind != PostKind.UNIT:
        raise AssignmentError(_("只能指定单位专员作为人才的一对一联系人。"))
    if not post.is_active_at(at):
        raise AssignmentError(_("该单位专员岗位不在任职期内。"))
    if post.employer_id != talent.employer_id:
        raise AssignmentError(_("单位专员必须来自人才所在的用人单位。"))
    current = talent.unit_assignments.open().select_for_update().first()
    if current is not None:
        if current.post_id == post.pk:
            raise AssignmentError(_("该专员已经是此人才的单位专员。"))
        if current.active_from >= at:
            raise AssignmentError(_("更换时间不能早于当前对接的起始时间。"))
        current.active_to = at
        current.ended_by = by
        current.end_reason = reason
        current.save(update_fields=["active_to", "ended_by", "end_reason"])
    try:
        with transaction.atomic():
            return UnitAssignment.objects.create(
                talent=talent, post=post, active_from=at, assigned_by=by, reason=reason
            )
    except IntegrityError as exc:
        raise AssignmentError(_("该人才已有在岗的单位专员；如需更换，请使用“更换单位专员”。")) from exc


@transaction.atomic
def reassign_talents(talents, *, post, by, at, reason=""):
    """Move several talents to ``post`` at once (bulk reassignment between unit commissioners of one
    employer, S6): all or none. Talents already with ``post`` are left as they are. Returns how many
    moved."""
    moved = 0
    for talent in sorted(talents, key=lambda t: t.pk):
        if talent.unit_assignments.open().filter(post=post).exists():
            continue
        assign_unit_commissioner(talent, post=post, by=by, at=at, reason=reason)
        moved += 1
    return moved


def release_unit_commissioner(talent, *, by, at, reason):
    """Close the talent's open unit commissioner period, if any, leaving the talent in the coverage gap
    until someone is assigned (S6). The caller holds the talent row locked (inside its own transaction):
    this is a step of ``change_employer`` and ``end_post``, not an action on its own. Returns the closed
    period, or None when the talent had none."""
    current = talent.unit_assignments.open().select_for_update().first()
    if current is None:
        return None
    if current.active_from >= at:
        raise AssignmentError(_("更换时间不能早于当前对接的起始时间。"))
    current.active_to = at
    current.ended_by = by
    current.end_reason = reason
    current.save(update_fields=["active_to", "ended_by", "end_reason"])
    return current
