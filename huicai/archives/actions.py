"""The two things that happen to an archive: staff state why they open it, and every reading is audited.

The archive itself changes nothing: it is read from the other apps' records (``timeline.py``). What must
be written is who read it and why (PIPL art. 51, SECURITY.md: reveals and exports of personal data are
audited and kept three years). Staff state a reason first (``state_reason``); each view and export is then
one audit row (``record_reading``) that names the basis and, for staff, the reason row it was made under.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from huicai.archives import access
from huicai.archives.choices import REASON_VALID_FOR, Basis, Purpose, Reading
from huicai.archives.models import ArchiveReason
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.core.transitions import ActionRefused, NotAllowed

NOTE_MAX = ArchiveReason._meta.get_field("note").max_length


@transaction.atomic
def state_reason(talent, *, purpose, note, by, at, request=None) -> ArchiveReason:
    """Staff say why they open ``talent``'s archive; the reason lets them in for ``REASON_VALID_FOR``.

    Only those who must give a reason give one: the window chain over the talent and the system
    administrator (access.NEEDS_REASON). The talent and their unit commissioner need none, and anyone else
    may not open the archive at all, whatever reason they would give.
    """
    basis = access.archive_basis(by, talent)
    if basis is None:
        raise NotAllowed(_("您无权查阅该人才的服务档案。"))
    if basis not in access.NEEDS_REASON:
        raise ActionRefused(_("您查阅本人或所联系人才的档案，无需说明事由。"), code="no_reason_needed")
    if purpose not in Purpose.values:
        raise ActionRefused(_("请选择查阅事由。"), code="invalid_purpose")
    note = (note or "").strip()
    if not note:
        raise ActionRefused(_("请说明查阅该人才档案的具体事由。"), code="note_required")
    if len(note) > NOTE_MAX:
        raise ActionRefused(_("事由说明不能超过 %(max)d 个字。") % {"max": NOTE_MAX}, code="note_too_long")
    return ArchiveReason.objects.create(
        talent=talent,
        user=by,
        purpose=purpose,
        note=note,
        stated_at=at,
        expires_at=at + REASON_VALID_FOR,
    )


def live_reason(talent, *, by, at) -> ArchiveReason | None:
    """The newest reason ``by`` stated for ``talent`` that still lets them in at ``at``, if any."""
    return ArchiveReason.objects.live(user=by, talent=talent, at=at).order_by("-stated_at", "-id").first()


@transaction.atomic
def record_reading(talent, *, reading, by, at, request=None, reason=None, detail="") -> AuditEvent:
    """One view or export of ``talent``'s archive, audited with who and why.

    Views are ``reveal`` rows and exports ``export`` rows, on the talent, so the talent's own access log
    (privacy) lists them. Staff must hold a live reason of their own for this talent; the row names it.
    ``detail`` adds what was read (the filters), never personal data.
    """
    basis = access.archive_basis(by, talent)
    if basis is None:
        raise NotAllowed(_("您无权查阅该人才的服务档案。"))
    if reading not in Reading.values:
        raise ActionRefused(_("未知的档案操作。"), code="invalid_reading")
    why = Basis(basis).value
    if basis in access.NEEDS_REASON:
        live = (
            reason is not None
            and reason.user_id == by.pk
            and reason.talent_id == talent.pk
            and reason.stated_at <= at < reason.expires_at
        )
        if not live:
            raise ActionRefused(_("请先说明查阅该人才档案的事由。"), code="reason_required")
        why = f"{why}; {reason.audit_text}"
    kind = AuditEvent.Kind.REVEAL if reading == Reading.VIEW else AuditEvent.Kind.EXPORT
    text = f"archive {reading}; {why}"
    if detail:
        text = f"{text}; {detail}"
    return audit.record(kind, request=request, actor=by, at=at, obj=talent, detail=text)
