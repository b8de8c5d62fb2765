"""Changes to the commissioner registry and to talents' one-to-one unit commissioners (S6, S19)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post, UnitAssignment


class AssignmentError(ValidationError):
    """A unit commissioner assignment that the rules refuse; the message is for the person."""


@transaction.atomic
def appoint_commissioner(
    *, user, kind, organisation, by, at, is_full_time=True, is_manager=False, position="", office_phone=""
):
    """Open a commissioner post for ``user`` at ``organisation`` (employer, department, institution or
    window, according to ``kind``). The database check refuses a post whose organisation does not match."""
    field = {
        PostKind.UNIT: "employer",
        PostKind.DEPARTMENT: "department",
        PostKind.UNDERTAKING: "undertaking_org",
        PostKind.WINDOW: "window",
    }[PostKind(kind)]
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
    return post


@transaction.atomic
def end_post(post, *, by, at):
    """Close a post. A unit post that is still some talent's one-to-one contact cannot close (S6):
    reassign those talents first."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.active_to is not None:
        raise ValidationError(_("该岗位已经结束。"))
    if post.kind == PostKind.UNIT and post.assignments.open().exists():
        raise ValidationError(_("该单位专员仍有对接的人才，请先为这些人才更换单位专员。"))
    post.active_to = at
    post.save(update_fields=["active_to"])
    return post


@transaction.atomic
def assign_unit_commissioner(talent, *, post, by, at, reason=""):
    """Make ``post`` the talent's one-to-one unit commissioner from ``at`` (S6).

    Closes the open period, if any, and opens the new one in one transaction; the talent row is locked
    first so two concurrent reassignments are serialised, and the partial unique constraint is the last
    guard. Who, when and why are kept on both periods.
    """
    from huicai.talents.models import Talent

    talent = Talent.objects.select_for_update().get(pk=talent.pk)
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
