"""Pages of events, achievements, pushes and 政策找人 (W5-4, W5-5, W16-1).

The talent's pages (``mine``, an invitation, a push, an achievement to consent to) are single-column and fit
a phone; so does the door's check-in form. Every change is a POST that calls one action and redirects; a
refused action comes back as a message (or the form's error) and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huicai.accounts.roles import get_scope
from huicai.catalogue.models import ServiceItem
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.engagement import access, actions, forms
from huicai.engagement.choices import AchievementStatus, Rsvp
from huicai.engagement.matching import find_matches, talents_for_matching
from huicai.engagement.models import (
    Achievement,
    ArrivalDate,
    EligibilityRule,
    Gathering,
    Invitation,
    Photo,
    Preference,
    Push,
    PushReceipt,
)
from huicai.engagement.selectors import grants_for_talent, possible_benefits, push_counts
from huicai.policies.models import Policy
from huicai.talents.models import Talent

PAGE_SIZE = 25


def _page(request, rows, size=PAGE_SIZE):
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _refused(request, error):
    messages.error(request, " ".join(error.messages))


def _staff_only(user):
    if not access.is_window_staff(user):
        raise PermissionDenied


# --- gatherings (W5-4) ------------------------------------------------------------------------------


@login_required
def gathering_list(request):
    _staff_only(request.user)
    gatherings = (
        Gathering.objects.visible_to(request.user).select_related("window").order_by("-starts_at", "-id")
    )
    return render(request, "engagement/gathering_list.html", {"page": _page(request, gatherings)})


@login_required
def gathering_create(request):
    _staff_only(request.user)
    form = forms.GatheringForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            gathering = actions.create_gathering(**form.cleaned_data, by=request.user, at=timezone.now())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("活动已创建，请邀请人才。"))
            return redirect(gathering)
    return render(request, "engagement/gathering_form.html", {"form": form})


@login_required
def gathering_detail(request, pk):
    gathering = access.get_gathering_for_user(request.user, pk)
    if not access.acts_for_window(request.user, gathering.window):
        # A talent's view of the gathering is their own invitation page.
        return redirect("engagement:my_gathering", pk=gathering.pk)
    invitations = gathering.invitations.select_related("talent__employer", "attendance_by").order_by(
        "talent__name", "id"
    )
    summary = {
        "invited": gathering.invitations.count(),
        "accepted": gathering.invitations.filter(rsvp=Rsvp.ACCEPTED).count(),
        "declined": gathering.invitations.filter(rsvp=Rsvp.DECLINED).count(),
        "attended": gathering.invitations.filter(attended_at__isnull=False).count(),
    }
    return render(
        request,
        "engagement/gathering_detail.html",
        {
            "gathering": gathering,
            "page": _page(request, invitations),
            "summary": summary,
            "invite_form": forms.AudienceForm(user=request.user),
            "checkin_form": forms.CardCheckInForm(),
            "photo_form": forms.PhotoForm(),
            "photos": gathering.photos.all(),
        },
    )


@login_required
@require_POST
def gathering_invite(request, pk):
    gathering = access.get_gathering_for_user(request.user, pk)
    form = forms.AudienceForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(gathering)
    try:
        invitations = actions.invite_talents(gathering, **form.audience(), by=request.user, at=timezone.now())
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已邀请 %(count)d 位人才。") % {"count": len(invitations)})
    return redirect(gathering)


@login_required
@require_POST
def gathering_checkin(request, pk):
    """The door: the talent card's QR code scanned into the field (a scanner types it) or its number."""
    gathering = access.get_gathering_for_user(request.user, pk)
    form = forms.CardCheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["text"][0])
        return redirect(gathering)
    try:
        invitation = actions.check_in_with_card(
            gathering, text=form.cleaned_data["text"], by=request.user, at=timezone.now()
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s 签到成功。") % {"name": invitation.talent.name})
    return redirect(gathering)


@login_required
@require_POST
def gathering_tick(request, pk, invitation_pk):
    gathering = access.get_gathering_for_user(request.user, pk)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("talent"),
        pk=invitation_pk,
        gathering=gathering,
    )
    try:
        actions.check_in_from_list(gathering, talent=invitation.talent, by=request.user, at=timezone.now())
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s 签到成功。") % {"name": invitation.talent.name})
    return redirect(gathering)


@login_required
@require_POST
def gathering_photo(request, pk):
    gathering = access.get_gathering_for_user(request.user, pk)
    form = forms.PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(gathering)
    try:
        actions.add_gathering_photo(
            gathering,
            file=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
            by=request.user,
            at=timezone.now(),
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("照片已上传。"))
    return redirect(gathering)


@login_required
@require_POST
def gathering_close(request, pk):
    gathering = access.get_gathering_for_user(request.user, pk)
    try:
        actions.close_gathering(gathering, by=request.user, at=timezone.now())
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("活动已结束。"))
    return redirect(gathering)


@login_required
@require_POST
def gathering_cancel(request, pk):
    gathering = access.get_gathering_for_user(request.user, pk)
    try:
        actions.cancel_gathering(
            gathering,
            reason=request.POST.get("reason", "")[:500],
            by=request.user,
            at=timezone.now(),
            expected_version=request.POST.get("version") or None,
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("活动已取消，已通知受邀人才。"))
    return redirect(gathering)


# --- the talent's own pages (phone) ------------------------------------------------------------------


def _own_talent(user) -> Talent:
    talent_id = get_scope(user).talent_id
    if not talent_id:
        raise PermissionDenied
    return Talent.objects.select_related("category", "employer", "home_window").get(pk=talent_id)


@login_required
def mine(request):
    """ "您可能可以享受" with the reasons, grants, invitations, pushes, achievements and the opt-out."""
    talent = _own_talent(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    invitations = (
        Invitation.objects.filter(talent=talent, gathering__ends_at__gt=now)
        .select_related("gathering")
        .order_by("gathering__starts_at")[:10]
    )
    receipts = (
        PushReceipt.objects.filter(talent=talent).select_related("push").order_by("-push__sent_at", "-id")
    )
    preference = Preference.objects.filter(talent=talent).first()
    return render(
        request,
        "engagement/mine.html",
        {
            "talent": talent,
            "benefits": possible_benefits(talent, today),
            "grants": grants_for_talent(talent),
            "invitations": invitations,
            "page": _page(request, receipts, 10),
            "achievements": Achievement.objects.filter(talent=talent).order_by("-achieved_date", "-id")[:10],
            "opted_out": bool(preference and preference.offers_opted_out),
        },
    )


@login_required
def my_gathering(request, pk):
    talent = _own_talent(request.user)
    # Through the gathering's own primary key, whose lookup answers "no such row" for an id beyond the
    # database's integer range, rather than through the foreign key column, which raises on it.
    invitation = (
        Invitation.objects.filter(gathering__in=Gathering.objects.filter(pk=pk), talent=talent)
        .select_related("gathering__window")
        .first()
    )
    if invitation is None:
        raise Http404
    return render(
        request,
        "engagement/my_gathering.html",
        {
            "invitation": invitation,
            "gathering": invitation.gathering,
            "photos": invitation.gathering.photos.all(),
        },
    )


@login_required
@require_POST
def rsvp(request, pk):
    talent = _own_talent(request.user)
    invitation = Invitation.objects.filter(pk=pk, talent=talent).first()
    if invitation is None:
        raise Http404
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("请选择参加或不参加。"))
    else:
        try:
            actions.answer_invitation(
                invitation, accept=answer == "accept", by=request.user, at=timezone.now()
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("已回复：参加。") if answer == "accept" else _("已回复：不参加。"))
    return redirect("engagement:my_gathering", pk=invitation.gathering_id)


@login_required
@require_POST
def preference(request):
    talent = _own_talent(request.user)
    opted_out = request.POST.get("opted_out") == "1"
    actions.set_offer_opt_out(talent, opted_out=opted_out, by=request.user, at=timezone.now())
    messages.success(request, _("已退订主动推送。") if opted_out else _("已恢复接收主动推送。"))
    return redirect("engagement:mine")


# --- achievements (W5-5) ---------------------------------------------------------------------------


@login_required
def achievement_list(request):
    scope = get_scope(request.user)
    if not access.is_window_staff(request.user) and not scope.unit_post_ids:
        raise PermissionDenied
    # Staff's register: published ones of other windows' talents are on the public page, not here.
    achievements = (
        access.achievements_in_charge(Achievement.objects.all(), request.user)
        .select_related("talent__employer")
        .order_by("-recorded_at", "-id")
    )
    status = request.GET.get("status")
    if status in AchievementStatus.values:
        achievements = achievements.filter(status=status)
    return render(
        request,
        "engagement/achievement_list.html",
        {"page": _page(request, achievements), "statuses": AchievementStatus.choices},
    )


@login_required
def achievement_create(request):
    form = forms.AchievementForm(request.POST or None, user=request.user)
    if not form.fields["talent"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            achievement = actions.record_achievement(
                form.cleaned_data["talent"],
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                achieved_date=form.cleaned_data["achieved_date"],
                by=request.user,
                at=timezone.now(),
            )
        except PermissionDenied:
            form.add_error("talent", _("只有人才的属地窗口或单位专员可以登记成果。"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("成果已登记，等待人才本人同意公开。"))
            return redirect(achievement)
    return render(request, "engagement/achievement_form.html", {"form": form})


@login_required
def achievement_detail(request, pk):
    achievement = access.get_achievement_for_user(request.user, pk)
    is_talent = access.is_the_talent(request.user, achievement.talent_id)
    if not is_talent and not (
        access.serves_talent(request.user, achievement.talent)
        or access.is_unit_commissioner_of(request.user, achievement.talent)
    ):
        # Anybody else may see it only as the public does.
        return redirect("engagement:public_achievement", pk=achievement.pk)
    return render(
        request,
        "engagement/achievement_detail.html",
        {
            "achievement": achievement,
            "is_talent": is_talent,
            "may_publish": access.serves_talent(request.user, achievement.talent),
            "consents": achievement.consents.all(),
            "statement": actions.CONSENT_STATEMENT % {"title": achievement.title},
            "photos": achievement.photos.all(),
            "photo_form": forms.PhotoForm(),
        },
    )


def _achievement_step(request, pk, run, done):
    achievement = access.get_achievement_for_user(request.user, pk)
    try:
        run(achievement)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect("engagement:achievement", pk=achievement.pk)


@login_required
@require_POST
def achievement_consent(request, pk):
    return _achievement_step(
        request,
        pk,
        lambda a: actions.consent_to_publication(a, by=request.user, at=timezone.now()),
        _("已记录您的同意。"),
    )


@login_required
@require_POST
def achievement_withdraw(request, pk):
    return _achievement_step(
        request,
        pk,
        lambda a: actions.withdraw_consent(a, by=request.user, at=timezone.now()),
        _("已撤回同意，该成果已停止公开。"),
    )


@login_required
@require_POST
def achievement_publish(request, pk):
    return _achievement_step(
        request,
        pk,
        lambda a: actions.publish_achievement(
            a, by=request.user, at=timezone.now(), expected_version=request.POST.get("version")
        ),
        _("成果已公开。"),
    )


@login_required
@require_POST
def achievement_photo(request, pk):
    achievement = access.get_achievement_for_user(request.user, pk)
    form = forms.PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("engagement:achievement", pk=achievement.pk)
    return _achievement_step(
        request,
        pk,
        lambda a: actions.add_achievement_photo(
            a,
            file=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
            by=request.user,
            at=timezone.now(),
        ),
        _("照片已上传。"),
    )


def public_achievements(request):
    """W5-5: the public site's achievements, only those published with the talent's consent standing."""
    achievements = (
        Achievement.objects.published()
        .select_related("talent__employer", "talent__category")
        .prefetch_related("photos")
        .order_by("-published_at", "-id")
    )
    return render(
        request, "engagement/public_achievement_list.html", {"page": _page(request, achievements, 12)}
    )


def public_achievement(request, pk):
    achievement = (
        Achievement.objects.published()
        .select_related("talent__employer", "talent__category")
        .filter(pk=pk)
        .first()
    )
    if achievement is None:
        raise Http404
    return render(
        request,
        "engagement/public_achievement_detail.html",
        {"achievement": achievement, "photos": achievement.photos.all()},
    )


def photo(request, pk):
    """A photo, only through the check of what it belongs to: a published achievement's for everybody, the
    rest for those who may see the gathering or the achievement."""
    item = Photo.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    if item.gathering_id:
        allowed = Gathering.objects.visible_to(request.user).filter(pk=item.gathering_id).exists()
    else:
        allowed = Achievement.objects.visible_to(request.user).filter(pk=item.achievement_id).exists()
    if not allowed:
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


# --- pushes (W16-1) ----------------------------------------------------------------------------------


@login_required
def push_list(request):
    _staff_only(request.user)
    pushes = (
        Push.objects.visible_to(request.user).select_related("window", "sent_by").order_by("-sent_at", "-id")
    )
    return render(request, "engagement/push_list.html", {"page": _page(request, pushes)})


@login_required
def push_create(request):
    _staff_only(request.user)
    form = forms.PushForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            push = actions.send_push(
                window=data["window"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                policy=data["policy"],
                service_item=data["service_item"],
                **form.audience(),
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已推送给 %(count)d 位人才。") % {"count": push.receipts.count()})
            return redirect(push)
    return render(request, "engagement/push_form.html", {"form": form})


@login_required
def push_detail(request, pk):
    push = access.get_push_for_user(request.user, pk)
    if access.acts_for_window(request.user, push.window):
        receipts = push.receipts.select_related("talent").order_by("talent__name", "id")
        return render(
            request,
            "engagement/push_detail.html",
            {"push": push, "counts": push_counts(push), "page": _page(request, receipts)},
        )
    # The talent reading it: the read receipt is recorded now.
    receipt = actions.read_push(push, by=request.user, at=timezone.now())
    if receipt is None:
        raise Http404
    return render(request, "engagement/push_read.html", {"push": push, "receipt": receipt})


# --- 政策找人 (W16-1) --------------------------------------------------------------------------------


@login_required
def rule_list(request):
    _staff_only(request.user)
    rules = EligibilityRule.objects.select_related("policy", "service_item", "window").order_by("id")
    return render(
        request,
        "engagement/rule_list.html",
        {
            "page": _page(request, rules),
            "policies": Policy.objects.filter(eligibility_rule__isnull=True, status="in_force").order_by(
                "-issue_date"
            )[:50],
            "items": ServiceItem.objects.published()
            .filter(eligibility_rule__isnull=True)
            .order_by("code")[:50],
        },
    )


def _rule_form_page(request, *, policy=None, service_item=None):
    _staff_only(request.user)
    target = {"policy": policy} if policy is not None else {"service_item": service_item}
    rule = EligibilityRule.objects.filter(**target).prefetch_related("categories", "windows").first()
    initial = {"is_active": True}
    if rule is not None:
        initial = {
            "categories": list(rule.categories.all()),
            "card_level": rule.card_level,
            "windows": list(rule.windows.all()),
            "employer_kinds": rule.employer_kinds,
            "arrived_from_date": rule.arrived_from_date,
            "arrived_before_date": rule.arrived_before_date,
            "min_age": rule.min_age,
            "max_age": rule.max_age,
            "grant_without_application": rule.grant_without_application,
            "is_active": rule.is_active,
            "note": rule.note,
            "version": rule.version,
        }
    form = forms.RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            rule = actions.save_rule(
                **target,
                **data,
                by=request.user,
                at=timezone.now(),
                expected_version=version if rule is not None else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("适用条件已保存。"))
            return redirect(rule)
    title = policy.title if policy is not None else service_item.name
    return render(request, "engagement/rule_form.html", {"form": form, "rule": rule, "target_title": title})


@login_required
def rule_for_policy(request, policy_pk):
    policy = Policy.objects.visible_to(request.user).filter(pk=policy_pk).select_related("window").first()
    if policy is None:
        raise Http404
    return _rule_form_page(request, policy=policy)


@login_required
def rule_for_item(request, item_pk):
    item = ServiceItem.objects.visible_to(request.user).filter(pk=item_pk).select_related("window").first()
    if item is None:
        raise Http404
    return _rule_form_page(request, service_item=item)


@login_required
def rule_detail(request, pk):
    """The eligible talents of the user's jurisdiction who have not used it yet, each with the reasons."""
    rule = access.get_rule_for_user(request.user, pk)
    day = timezone.localdate()
    talents = talents_for_matching(Talent.objects.visible_to(request.user).order_by("name", "id"), day)
    matches = find_matches([rule], talents, day)
    offered = set(rule.offers.values_list("talent_id", flat=True))
    return render(
        request,
        "engagement/rule_detail.html",
        {
            "rule": rule,
            "page": _page(request, matches),
            "offered": offered,
            "offerable": rule.is_active and rule.is_offerable_on(day),
            "may_manage": access.acts_for_window(request.user, rule.window),
            "grants": rule.grants.select_related("talent", "granted_by").filter(
                talent__in=Talent.objects.visible_to(request.user)
            )[:50],
        },
    )


@login_required
@require_POST
def rule_offer(request, pk):
    rule = access.get_rule_for_user(request.user, pk)
    try:
        count = actions.offer_rule(rule, by=request.user, at=timezone.now())
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已主动推送给 %(count)d 位符合条件的人才。") % {"count": count})
    return redirect(rule)


@login_required
@require_POST
def rule_grant(request, pk, talent_pk):
    rule = access.get_rule_for_user(request.user, pk)
    talent = access.get_talent_for_user(request.user, talent_pk)
    form = forms.GrantForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.grant_benefit(rule, talent=talent, note=note, by=request.user, at=timezone.now())
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已为 %(name)s 办理免申即享。") % {"name": talent.name})
    return redirect(rule)


@login_required
def talent_benefits(request, pk):
    """Staff's view of one talent: what they may be able to enjoy (with reasons), grants, arrival date."""
    talent = access.get_talent_for_user(request.user, pk)
    if not access.serves_talent(request.user, talent):
        raise PermissionDenied
    day = timezone.localdate()
    arrival = ArrivalDate.objects.filter(talent=talent).first()
    form = forms.ArrivalForm(
        request.POST or None, initial={"arrival_date": arrival.arrival_date if arrival else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_arrival_date(
                talent, arrival_date=form.cleaned_data["arrival_date"], by=request.user, at=timezone.now()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("来临工作日期已登记。"))
            return redirect("engagement:talent", pk=talent.pk)
    audit.record(AuditEvent.Kind.REVEAL, request=request, obj=talent, detail="eligibility (age from ID)")
    return render(
        request,
        "engagement/talent_benefits.html",
        {
            "talent": talent,
            "benefits": possible_benefits(talent, day),
            "grants": grants_for_talent(talent),
            "form": form,
            "arrival": arrival,
        },
    )
