"""Every change to the catalogue: drafting and revising items (each change a new version), filing them
with the upper window, acknowledging or returning them there, and publishing at the city window (W7).

Pages, the admin and the demo loader all call these functions; none of them writes an item directly.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from huicai.catalogue.access import can_draft_for, can_edit_item, can_review_item
from huicai.catalogue.choices import FilingStatus
from huicai.catalogue.models import ServiceItem, ServiceItemEvent, ServiceItemVersion, compute_reform
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.transitions import InvalidTransition, NotAllowed, lock_for_update
from huicai.notifications.actions import notify

# The fields of the working copy a drafting window may set; window, status and publication are set
# only by these actions, and the code only while the item has never been published.
EDITABLE_FIELDS = {
    "code",
    "name",
    "category",
    "mode",
    "content",
    "department",
    "legal_days",
    "committed_days",
    "location_and_hours",
    "conditions",
    "materials",
    "steps",
    "fees",
    "legal_basis",
    "consult_phone",
    "complaint_phone",
    "visit_count",
    "accepts_shandong_card",
    "accepts_yimeng_card",
}


class NotYourItem(NotAllowed):
    """The person may see the item but not do this to it."""


def _refuse_unknown_fields(fields):
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable through the catalogue actions: {sorted(unknown)}")


def _lock(item) -> ServiceItem:
    """Re-read the item under a row lock, so two people acting on it at once are serialised. Only the
    item row is locked: the windows are read, not changed (and PostgreSQL refuses FOR UPDATE on the
    nullable side of the parent-window join)."""
    return lock_for_update(ServiceItem.objects.select_related("window__parent"), item.pk)


def _record(item, *, from_status, to_status, by, at, note="", version=None):
    return ServiceItemEvent.objects.create(
        item=item, version=version, from_status=from_status, to_status=to_status, by=by, at=at, note=note
    )


def _new_version(item, *, by, at, reason) -> ServiceItemVersion:
    last = item.versions.aggregate(last=Max("number"))["last"] or 0
    version = ServiceItemVersion.capture(item, number=last + 1, by=by, at=at, reason=reason)
    version.save()
    return version


def _window_staff(window, *, at):
    posts = Post.objects.filter(kind=PostKind.WINDOW, window=window).active_at(at).select_related("user")
    return [post.user for post in posts]


@transaction.atomic
def create_item(
    *, window, by, at, undertaking_orgs=(), talent_categories=(), reason="", **fields
) -> ServiceItem:
    """Draft a new item for ``window`` (W7 新增的服务事项) and capture it as version 1.

    The level follows the window: the city window drafts city items, a county or park window the items
    of its own division. Everything is validated before anything is written.
    """
    _refuse_unknown_fields(fields)
    if not can_draft_for(by, window, at=at):
        raise NotYourItem(_("只能为本窗口起草服务事项。"))
    item = ServiceItem(window=window, status=FilingStatus.DRAFT, created_at=at, updated_at=at, **fields)
    item.take_level_from_window()
    item.prepare_materials()
    item.full_clean()
    undertaking_orgs, talent_categories = list(undertaking_orgs), list(talent_categories)
    item.check_undertaking_orgs(undertaking_orgs)
    item.save()
    item.undertaking_orgs.set(undertaking_orgs)
    item.talent_categories.set(talent_categories)
    version = _new_version(item, by=by, at=at, reason=reason or _("新增事项"))
    _record(
        item, from_status="", to_status=FilingStatus.DRAFT, by=by, at=at, note=version.reason, version=version
    )
    return item


@transaction.atomic
def revise_item(item, *, by, at, reason, undertaking_orgs, talent_categories, **fields) -> ServiceItem:
    """Change the working copy and capture the change as a new version (W7 优化的服务事项).

    A filed item cannot change until the upper window has answered. Revising a published item starts a
    new draft: talents keep seeing the published version until the revision is acknowledged. A save that
    changes nothing makes no version.
    """
    _refuse_unknown_fields(fields)
    item = _lock(item)
    if not can_edit_item(by, item, at=at):
        raise NotYourItem(_("只有起草该事项的窗口可以修改它。"))
    item.check_editable()
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写修改原因。")})
    if "code" in fields and fields["code"] != item.code and item.published_version_id is not None:
        raise ValidationError({"code": _("已公布事项的编码不能修改。")})
    for name, value in fields.items():
        setattr(item, name, value)
    if "materials" in fields:
        item.prepare_materials()
    item.full_clean()
    undertaking_orgs, talent_categories = list(undertaking_orgs), list(talent_categories)
    item.check_undertaking_orgs(undertaking_orgs)
    item.updated_at = at
    item.save()
    item.undertaking_orgs.set(undertaking_orgs)
    item.talent_categories.set(talent_categories)
    latest = item.versions.order_by("-number").first()
    if latest is not None and latest.data == item.snapshot():
        return item
    version = _new_version(item, by=by, at=at, reason=reason.strip())
    if item.status == FilingStatus.ACKNOWLEDGED:
        item.status = FilingStatus.DRAFT
        item.save(update_fields=["status"])
        _record(
            item,
            from_status=FilingStatus.ACKNOWLEDGED,
            to_status=FilingStatus.DRAFT,
            by=by,
            at=at,
            note=version.reason,
            version=version,
        )
    return item


@transaction.atomic
def file_item(item, *, by, at, note="") -> ServiceItem:
    """W7: a new or optimised item drafted by a county or park window is filed with its upper window.

    Allowed from draft and from returned (after the window corrected what it was told). The upper
    window's commissioners are told in the same transaction.
    """
    item = _lock(item)
    if not can_edit_item(by, item, at=at):
        raise NotYourItem(_("只有起草该事项的窗口可以报备。"))
    if item.window.parent_id is None:
        raise InvalidTransition(_("市级窗口没有上一级窗口，请直接发布。"))
    if item.status not in (FilingStatus.DRAFT, FilingStatus.RETURNED):
        raise InvalidTransition(_("只有草稿或已退回的事项可以报备。"))
    from_status = item.status
    item.status = FilingStatus.FILED
    item.updated_at = at
    item.save(update_fields=["status", "updated_at"])
    version = item.versions.order_by("-number").first()
    _record(
        item, from_status=from_status, to_status=FilingStatus.FILED, by=by, at=at, note=note, version=version
    )
    notify(
        _window_staff(item.window.parent, at=at),
        kind="catalogue.filed",
        title=_("%(window)s报备服务事项“%(name)s”") % {"window": item.window.name, "name": item.name},
        body=note,
        link=item.get_absolute_url(),
        at=at,
    )
    return item


def _publish(item, *, by, at) -> ServiceItemVersion:
    """Make the latest version the one talents see, stamped with the reform figures against the version
    published before it (W7: 改革成果面向社会公布)."""
    version = item.versions.order_by("-number").first()
    previous = item.published_version
    stamp = {"published_at": at, "published_by": by}
    if previous is not None:
        reform = compute_reform(previous, version)
        stamp.update(
            days_cut=reform.days_cut,
            steps_cut=reform.steps_cut,
            materials_cut=reform.materials_cut,
            visits_cut=reform.visits_cut,
        )
    # Compare-and-swap: a version is published once; the item row lock makes a second attempt wait here.
    stamped = ServiceItemVersion.objects.filter(pk=version.pk, published_at__isnull=True).update(**stamp)
    if stamped != 1:
        raise InvalidTransition(_("该版本已经公布。"))
    version.refresh_from_db()
    item.published_version = version
    return version


def _tell_drafters(item, *, by, at, kind, title, body=""):
    filer = (
        item.events.filter(to_status=FilingStatus.FILED).order_by("-at", "-id").select_related("by").first()
    )
    recipients = _window_staff(item.window, at=at)
    if filer is not None:
        recipients.append(filer.by)
    notify(recipients, kind=kind, title=title, body=body, link=item.get_absolute_url(), at=at)


@transaction.atomic
def acknowledge_item(item, *, by, at, note="") -> ServiceItem:
    """W7: the upper window acknowledges a filed item, which is thereby published in the catalogue."""
    item = _lock(item)
    if not can_review_item(by, item, at=at):
        raise NotYourItem(_("只有上级窗口可以确认备案。"))
    if item.status != FilingStatus.FILED:
        raise InvalidTransition(_("只有已报备的事项可以确认备案。"))
    version = _publish(item, by=by, at=at)
    item.status = FilingStatus.ACKNOWLEDGED
    item.updated_at = at
    item.save(update_fields=["status", "published_version", "updated_at"])
    _record(
        item,
        from_status=FilingStatus.FILED,
        to_status=FilingStatus.ACKNOWLEDGED,
        by=by,
        at=at,
        note=note,
        version=version,
    )
    _tell_drafters(
        item,
        by=by,
        at=at,
        kind="catalogue.acknowledged",
        title=_("服务事项“%(name)s”已确认备案并公布") % {"name": item.name},
        body=note,
    )
    return item


@transaction.atomic
def return_item(item, *, by, at, reason) -> ServiceItem:
    """W7: the upper window returns a filed item with the reason; the drafting window may then correct it
    and file it again."""
    item = _lock(item)
    if not can_review_item(by, item, at=at):
        raise NotYourItem(_("只有上级窗口可以退回报备。"))
    if item.status != FilingStatus.FILED:
        raise InvalidTransition(_("只有已报备的事项可以退回。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时请填写退回原因。")})
    item.status = FilingStatus.RETURNED
    item.updated_at = at
    item.save(update_fields=["status", "updated_at"])
    version = item.versions.order_by("-number").first()
    _record(
        item,
        from_status=FilingStatus.FILED,
        to_status=FilingStatus.RETURNED,
        by=by,
        at=at,
        note=reason,
        version=version,
    )
    _tell_drafters(
        item,
        by=by,
        at=at,
        kind="catalogue.returned",
        title=_("服务事项“%(name)s”被退回") % {"name": item.name},
        body=reason,
    )
    return item


@transaction.atomic
def publish_item(item, *, by, at, note="") -> ServiceItem:
    """The city window has no upper window: it publishes its own items (W7 面向社会公布) directly."""
    item = _lock(item)
    if not can_edit_item(by, item, at=at):
        raise NotYourItem(_("只有市级窗口可以直接发布本窗口的事项。"))
    if item.window.parent_id is not None:
        raise InvalidTransition(_("县区和园区窗口的事项须报上一级窗口备案后公布。"))
    if item.status != FilingStatus.DRAFT:
        raise InvalidTransition(_("只有草稿状态的事项可以发布。"))
    version = _publish(item, by=by, at=at)
    item.status = FilingStatus.ACKNOWLEDGED
    item.updated_at = at
    item.save(update_fields=["status", "published_version", "updated_at"])
    _record(
        item,
        from_status=FilingStatus.DRAFT,
        to_status=FilingStatus.ACKNOWLEDGED,
        by=by,
        at=at,
        note=note,
        version=version,
    )
    return item
