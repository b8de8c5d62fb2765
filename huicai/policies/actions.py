"""Drafting, editing, publishing and expiring policies (S14-5), and pushing new ones to talents (W16).

Every change of a policy goes through one of these functions, whoever calls it (a page, the admin, the
demo loader): each checks the actor's role and the publishing window's jurisdiction, rewrites the search
index when the text changes, and records a ``PolicyEvent``, all in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.accounts.models import User
from huicai.catalogue.models import ServiceItem
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.core.transitions import InvalidTransition, NotAllowed, lock_for_update
from huicai.notifications.actions import notify
from huicai.policies.access import can_act_for_window, can_manage_policies, window_division_ids
from huicai.policies.choices import PolicyEventKind, PolicyStatus
from huicai.policies.models import Policy, PolicyEvent, SearchSynonym
from huicai.policies.search import reindex_policy, segment
from huicai.talents.models import Talent

TEXT_FIELDS = ["title", "issuer", "document_number", "issue_date", "effective_date", "expiry_date", "body"]
TAG_FIELDS = ["categories", "divisions", "service_items"]
NOTIFICATION_KIND = "policy_published"


def _require_window_commissioner(by, window):
    if not can_manage_policies(by):
        raise NotAllowed(_("只有窗口专员可以起草、发布和废止人才政策。"))
    if not can_act_for_window(by, window):
        raise NotAllowed(_("您不是“%(window)s”的窗口专员，不能管理该窗口的政策。") % {"window": window.name})


def _check_regions(window, divisions):
    """S14-5 within W3's tree: a window publishes only for its own jurisdiction. The city window may
    publish for any region and for the whole city; a county window only for its own county."""
    allowed = window_division_ids(window)
    if allowed is None:
        return
    if not divisions:
        raise ValidationError(
            {
                "divisions": _("“%(window)s”只能发布本辖区的政策，请选择适用区域；全市性政策由市级窗口发布。")
                % {"window": window.name}
            }
        )
    outside = [d.name for d in divisions if d.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "divisions": _("“%(window)s”不能发布适用于%(regions)s的政策，超出本窗口辖区。")
                % {"window": window.name, "regions": "、".join(outside)}
            }
        )


def _check_service_items(by, service_items):
    """A policy may name published catalogue items, and items in the making that the actor can see (W7:
    a window drafting a policy and the items it brings in at the same time)."""
    wanted = {item.pk for item in service_items}
    if not wanted:
        return
    usable = ServiceItem.objects.filter(pk__in=wanted).filter(
        Q(published_version__isnull=False) | Q(pk__in=ServiceItem.objects.visible_to(by).values("pk"))
    )
    if len(wanted) != usable.count():
        raise ValidationError({"service_items": _("所选服务事项不存在，或尚未公布且不在您的辖区内。")})


def check_can_draft(*, by, window, divisions) -> None:
    """Raise unless ``by`` may draft a policy for ``window`` applying to ``divisions``. The actions call
    it; the admin form calls it too, so that its errors appear on the form rather than as a crash."""
    _require_window_commissioner(by, window)
    _check_regions(window, list(divisions))


def _record(policy, *, kind, from_status, by, at, note=""):
    PolicyEvent.objects.create(
        policy=policy, kind=kind, from_status=from_status, to_status=policy.status, by=by, at=at, note=note
    )


@transaction.atomic
def create_policy(*, by, at, window, categories=(), divisions=(), service_items=(), **fields) -> Policy:
    """Draft a policy for ``window``. Nothing is public until it is published."""
    divisions = list(divisions)
    check_can_draft(by=by, window=window, divisions=divisions)
    service_items = list(service_items)
    _check_service_items(by, service_items)
    policy = Policy(
        **{name: fields.get(name) for name in TEXT_FIELDS if name in fields},
        window=window,
        status=PolicyStatus.DRAFT,
        created_by=by,
        created_at=at,
        updated_at=at,
    )
    policy.full_clean()
    policy.save()
    policy.categories.set(categories)
    policy.divisions.set(divisions)
    policy.service_items.set(service_items)
    reindex_policy(policy)
    _record(policy, kind=PolicyEventKind.CREATED, from_status="", by=by, at=at)
    return policy


@transaction.atomic
def edit_policy(policy, *, by, at, categories=None, divisions=None, service_items=None, **fields) -> Policy:
    """Change a draft or an in-force policy (a correction); an expired policy is history and stays as it
    was. The search index is rebuilt in the same transaction, so search never sees half an edit."""
    policy = Policy.objects.select_for_update().select_related("window").get(pk=policy.pk)
    _require_window_commissioner(by, policy.window)
    if policy.status == PolicyStatus.EXPIRED:
        raise InvalidTransition(_("已失效的政策不能修改。"))
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"edit_policy() got unexpected fields: {sorted(unknown)}")
    new_divisions = list(divisions) if divisions is not None else list(policy.divisions.all())
    _check_regions(policy.window, new_divisions)
    if service_items is not None:
        service_items = list(service_items)
        _check_service_items(by, service_items)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.updated_at = at
    policy.full_clean()
    policy.save()
    if categories is not None:
        policy.categories.set(categories)
    if divisions is not None:
        policy.divisions.set(new_divisions)
    if service_items is not None:
        policy.service_items.set(service_items)
    reindex_policy(policy)
    _record(policy, kind=PolicyEventKind.EDITED, from_status=policy.status, by=by, at=at)
    return policy


@transaction.atomic
def publish_policy(policy, *, by, at, notify_talents=True) -> tuple[Policy, int]:
    """Publish a draft (draft → in force, S14-5) and, unless told not to, put a notice in the inbox of
    every matching talent who has an account (W16 information push). Returns the policy and the number of
    talents notified.

    The row is locked first so two commissioners pressing "publish" at once publish (and notify) once.
    """
    policy = Policy.objects.select_for_update().select_related("window").get(pk=policy.pk)
    _require_window_commissioner(by, policy.window)
    if policy.status == PolicyStatus.IN_FORCE:
        raise InvalidTransition(_("该政策已经发布，不能重复发布。"))
    if policy.status == PolicyStatus.EXPIRED:
        raise InvalidTransition(_("该政策已经失效，不能再次发布。"))
    # Jurisdiction is checked again: the window's tree may have changed since the draft was written.
    _check_regions(policy.window, list(policy.divisions.all()))
    today = timezone.localdate(at)
    if policy.expiry_date is not None and policy.expiry_date <= today:
        raise InvalidTransition(_("该政策的失效日期已到，不能发布。"))
    from_status = policy.status
    policy.status = PolicyStatus.IN_FORCE
    policy.published_by = by
    policy.published_at = at
    policy.updated_at = at
    policy.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    _record(policy, kind=PolicyEventKind.PUBLISHED, from_status=from_status, by=by, at=at)
    notified = 0
    if notify_talents:
        notified = len(
            notify(
                recipients_of(policy),
                kind=NOTIFICATION_KIND,
                title=_("新政策：%(title)s") % {"title": policy.title[:180]},
                body=_("%(issuer)s发布的政策适用于您，请查看。") % {"issuer": policy.issuer},
                link=policy.get_absolute_url(),
                at=at,
            )
        )
    return policy, notified


@transaction.atomic
def expire_policy(policy, *, by, at, note="") -> Policy:
    """Declare an in-force policy no longer in force (in force → expired). It stays public, marked 已失效."""
    policy = Policy.objects.select_for_update().select_related("window").get(pk=policy.pk)
    _require_window_commissioner(by, policy.window)
    if policy.status == PolicyStatus.DRAFT:
        raise InvalidTransition(_("草稿尚未发布，不能废止。"))
    if policy.status == PolicyStatus.EXPIRED:
        raise InvalidTransition(_("该政策已经失效。"))
    from_status = policy.status
    policy.status = PolicyStatus.EXPIRED
    policy.expired_at = at
    policy.updated_at = at
    policy.save(update_fields=["status", "expired_at", "updated_at"])
    _record(policy, kind=PolicyEventKind.EXPIRED, from_status=from_status, by=by, at=at, note=note)
    return policy


# --- Who a policy is for ---


def matching_talents(policy):
    """The talents a policy applies to: of one of its categories (or any, when it names none), homed at a
    window whose division is one of its regions or lies directly under one (a county under the city), or
    anywhere when it names no region. The division tree is two levels deep (city → county or zone)."""
    talents = Talent.objects.all()
    category_ids = list(policy.categories.values_list("pk", flat=True))
    if category_ids:
        talents = talents.filter(category_id__in=category_ids)
    division_ids = list(policy.divisions.values_list("pk", flat=True))
    if division_ids:
        talents = talents.filter(
            Q(home_window__division_id__in=division_ids)
            | Q(home_window__division__parent_id__in=division_ids)
        )
    return talents


def recipients_of(policy):
    """The user accounts of the matching talents, in one query."""
    return User.objects.filter(is_active=True, talent__in=matching_talents(policy))


# --- Search synonyms (issue 12) ------------------------------------------------------------------------


def _require_synonym_keeper(by):
    if not can_manage_policies(by):
        raise NotAllowed(_("只有窗口专员可以维护政策检索同义词。"))


def _lock_synonym(synonym):
    try:
        return lock_for_update(SearchSynonym.objects.all(), synonym.pk)
    except SearchSynonym.DoesNotExist:
        raise InvalidTransition(_("该同义词已被他人删除。"), code="invalid_transition") from None


def _clean_synonym(phrase, terms):
    phrase = " ".join(str(phrase or "").split())
    words = SearchSynonym(terms=str(terms or "")).term_list()
    errors = {}
    if len(phrase) < 2:
        errors["phrase"] = _("检索用语至少 2 个字。")
    elif not segment(phrase):
        errors["phrase"] = _("检索用语只有标点符号或常用字，检索时不会用到。")
    elif len(phrase) > 30:
        errors["phrase"] = _("检索用语最多 30 个字。")
    if not words:
        errors["terms"] = _("请填写至少一个对应的政策用语。")
    elif phrase in words:
        errors["terms"] = _("对应政策用语不能与检索用语相同。")
    terms = " ".join(dict.fromkeys(words))
    if len(terms) > 200:
        errors["terms"] = _("对应政策用语最多 200 个字。")
    if errors:
        raise ValidationError(errors)
    return phrase, terms


@transaction.atomic
def save_synonym(synonym=None, *, phrase, terms, by, at) -> SearchSynonym:
    """Add a synonym (``synonym`` None) or change one: what people type → the policies' words. Every search
    uses it at once; the change is audited as a configuration change (SECURITY.md)."""
    _require_synonym_keeper(by)
    phrase, terms = _clean_synonym(phrase, terms)
    if synonym is not None:
        synonym = _lock_synonym(synonym)
        before = str(synonym)
    else:
        synonym, before = SearchSynonym(), ""
    if SearchSynonym.objects.filter(phrase=phrase).exclude(pk=synonym.pk).exists():
        raise ValidationError({"phrase": _("“%(phrase)s”已有同义词，请修改原有条目。") % {"phrase": phrase}})
    synonym.phrase, synonym.terms, synonym.updated_by, synonym.updated_at = phrase, terms, by, at
    try:
        with transaction.atomic():  # a concurrent add of the same phrase loses cleanly
            synonym.save()
    except IntegrityError:
        raise ValidationError(
            {"phrase": _("“%(phrase)s”已有同义词，请修改原有条目。") % {"phrase": phrase}}
        ) from None
    detail = f"检索同义词 {before} ⇒ {synonym}" if before else f"新增检索同义词 {synonym}"
    audit.record(AuditEvent.Kind.CONFIG_CHANGE, actor=by, at=at, obj=synonym, detail=detail)
    return synonym


@transaction.atomic
def delete_synonym(synonym, *, by, at) -> None:
    """Remove a synonym; audited with what it said."""
    _require_synonym_keeper(by)
    synonym = _lock_synonym(synonym)
    audit.record(
        AuditEvent.Kind.CONFIG_CHANGE, actor=by, at=at, obj=synonym, detail=f"删除检索同义词 {synonym}"
    )
    synonym.delete()
