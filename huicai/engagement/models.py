"""Keeping talents engaged: events and publicity (W5-4, W5-5), information push and 政策找人 (W16-1).

W5-4: the windows organise 联谊交流活动 for talents: a ``Gathering`` invites talents by category, region or
list (one ``Invitation`` each), the talent answers on the phone, and attendance is taken at the door from
the talent card's QR code or number, or ticked from the list. W5-5: a talent's ``Achievement`` is published
on the public site only while the talent's ``PublicationConsent`` stands; withdrawing it unpublishes it.

W16-1: a window pushes a policy, a catalogue item or a notice to an audience (``Push``, one ``PushReceipt`` per
talent, read receipts counted for the sender). An ``EligibilityRule`` on a policy or a catalogue item says who
is eligible; the system lists the eligible talents who have not used it, offers it to them once
(``Offer``, unless the talent opted out in ``Preference``), and where the item allows it (免申即享) the
window grants it without an application (``Grant``, shown in the talent's archive).

Photos are uploads checked by content (casework.uploads) and served only through a permission check.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.core.models import Event
from huicai.engagement.choices import (
    AchievementAction,
    AchievementStatus,
    CheckInMethod,
    EmployerKind,
    GatheringAction,
    GatheringStatus,
    PushKind,
    ReceiptChannel,
    Rsvp,
    RuleAction,
)

MAX_TEXT = 2000


class Audience(models.Model):
    """Who a gathering's invitations or a push go to: talents by category, card level, region (the home
    window's subtree), employer, or a list of named talents. An empty criterion does not narrow; a list
    names exactly those talents. Always resolved inside the sender's own ``Talent.objects.visible_to``."""

    categories = models.ManyToManyField(
        "talents.TalentCategory", verbose_name=_("人才类别（层次）"), blank=True, related_name="+"
    )
    card_level = models.CharField(
        _("惠才卡等级"), max_length=20, blank=True, help_text=_("持有该等级有效惠才卡的人才；不填不限。")
    )
    windows = models.ManyToManyField(
        "org.Window",
        verbose_name=_("属地区域"),
        blank=True,
        related_name="+",
        help_text=_("人才属地窗口及其下级。"),
    )
    employers = models.ManyToManyField(
        "org.Employer", verbose_name=_("用人单位"), blank=True, related_name="+"
    )
    talents = models.ManyToManyField(
        "talents.Talent", verbose_name=_("指定名单"), blank=True, related_name="+"
    )

    class Meta:
        abstract = True


# --- events (W5-4) -----------------------------------------------------------------------------------


class GatheringQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.engagement.access import gatherings_visible_to

        return gatherings_visible_to(self, user)


class Gathering(Audience):
    """A 联谊交流活动 organised by a window (W5-4): invitations, answers, attendance and photos."""

    title = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动介绍"), max_length=MAX_TEXT, blank=True)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    window = models.ForeignKey(
        "org.Window", verbose_name=_("主办窗口"), on_delete=models.PROTECT, related_name="gatherings"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=GatheringStatus.choices, default=GatheringStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    version = models.PositiveIntegerField(default=1)

    objects = GatheringQuerySet.as_manager()

    class Meta:
        verbose_name = _("联谊交流活动")
        verbose_name_plural = _("联谊交流活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="gathering_ends_after_start",
                violation_error_message=_("结束时间必须晚于开始时间。"),
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.starts_at:%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("engagement:gathering", args=[self.pk])


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from huicai.engagement.access import invitations_visible_to

        return invitations_visible_to(self, user)


class Invitation(models.Model):
    """One talent invited to one gathering: the answer (RSVP) and attendance at the door."""

    gathering = models.ForeignKey(
        Gathering, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="invitations"
    )
    talent = models.ForeignKey(
        "talents.Talent",
        verbose_name=_("人才"),
        on_delete=models.PROTECT,
        related_name="gathering_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("邀请人"), on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("邀请时间"))
    rsvp = models.CharField(_("回复"), max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    attendance_method = models.CharField(
        _("签到方式"), max_length=10, choices=CheckInMethod.choices, blank=True
    )
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动邀请")
        verbose_name_plural = _("活动邀请")
        ordering = ["gathering_id", "talent__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "talent"],
                name="one_invitation_per_talent",
                violation_error_message=_("该人才已受邀参加本次活动。"),
            ),
            models.CheckConstraint(
                condition=Q(rsvp=Rsvp.PENDING, rsvp_at__isnull=True)
                | (~Q(rsvp=Rsvp.PENDING) & Q(rsvp_at__isnull=False)),
                name="invitation_rsvp_has_time",
                violation_error_message=_("回复须记录回复时间。"),
            ),
            models.CheckConstraint(
                condition=Q(attended_at__isnull=True, attendance_by__isnull=True, attendance_method="")
                | (Q(attended_at__isnull=False, attendance_by__isnull=False) & ~Q(attendance_method="")),
                name="invitation_attendance_complete",
                violation_error_message=_("签到须记录时间、方式和登记人。"),
            ),
        ]

    def __str__(self):
        return f"{self.gathering.title} · {self.talent}"


class GatheringEvent(Event):
    """One step in a gathering's history (created, invitations sent, an answer, a check-in, a photo)."""

    gathering = models.ForeignKey(
        Gathering, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=GatheringAction.choices)
    talent = models.ForeignKey(
        "talents.Talent",
        verbose_name=_("人才"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Event.Meta):
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")

    def __str__(self):
        return f"{self.gathering_id} {self.get_action_display()}"


# --- achievements and consent (W5-5) --------------------------------------------------------------


class AchievementQuerySet(models.QuerySet):
    def visible_to(self, user):
        from huicai.engagement.access import achievements_visible_to

        return achievements_visible_to(self, user)

    def published(self):
        return self.filter(status=AchievementStatus.PUBLISHED)


class Achievement(models.Model):
    """A talent's achievement for the public site (W5-5 宣传). Published only with the talent's consent in
    force: the status moves awaiting → consented → published, and to withdrawn (unpublished) the moment the
    talent withdraws; only a new consent lets it be published again."""

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="achievements"
    )
    title = models.CharField(_("标题"), max_length=100)
    summary = models.TextField(_("成果介绍"), max_length=MAX_TEXT)
    achieved_date = models.DateField(_("取得日期"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=AchievementStatus.choices,
        default=AchievementStatus.AWAITING_CONSENT,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = AchievementQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才成果")
        verbose_name_plural = _("人才成果")
        ordering = ["-achieved_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=AchievementStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="published_achievement_has_time",
                violation_error_message=_("已公开的成果须有公开时间。"),
            )
        ]

    def __str__(self):
        return f"{self.talent} · {self.title}"

    def get_absolute_url(self):
        return reverse("engagement:achievement", args=[self.pk])


class PublicationConsent(models.Model):
    """The talent's consent to publishing one achievement: given by the talent, withdrawable at any time.
    Kept after withdrawal, so the record shows what was consented to and for how long (PIPL art. 14–15)."""

    achievement = models.ForeignKey(
        Achievement, verbose_name=_("成果"), on_delete=models.CASCADE, related_name="consents"
    )
    statement = models.TextField(_("同意内容"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("同意人"), on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("同意时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公开同意")
        verbose_name_plural = _("公开同意")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["achievement"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_consent_per_achievement",
                violation_error_message=_("该成果已有一份有效的同意。"),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("撤回时间不能早于同意时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.achievement} · {self.given_at:%Y-%m-%d}"


class AchievementEvent(Event):
    achievement = models.ForeignKey(
        Achievement, verbose_name=_("成果"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=AchievementAction.choices)

    class Meta(Event.Meta):
        verbose_name = _("成果记录")
        verbose_name_plural = _("成果记录")

    def __str__(self):
        return f"{self.achievement_id} {self.get_action_display()}"


def photo_path(instance, filename):
    # Never the uploaded name: a random name under a date folder, outside the web root (MEDIA_ROOT).
    return f"engagement/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Photo(models.Model):
    """A photo of a gathering or of an achievement (JPG or PNG, checked by content), served only through
    the permission check of what it belongs to; an achievement's photo is public while it is published."""

    gathering = models.ForeignKey(
        Gathering,
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    achievement = models.ForeignKey(
        Achievement,
        verbose_name=_("成果"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    file = models.FileField(_("文件"), upload_to=photo_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gathering__isnull=False, achievement__isnull=True)
                | Q(gathering__isnull=True, achievement__isnull=False),
                name="photo_belongs_to_one",
                violation_error_message=_("照片须属于一个活动或一项成果。"),
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png"]),
                name="photo_is_an_image",
                violation_error_message=_("照片只接受 JPG、PNG 图片。"),
            ),
        ]

    def __str__(self):
        return self.caption or self.original_name

    def get_absolute_url(self):
        return reverse("engagement:photo", args=[self.pk])


# --- information push (W16-1) ----------------------------------------------------------------------


class PushQuerySet(models.QuerySet):
    def visible_to(self, user):
        from huicai.engagement.access import pushes_visible_to

        return pushes_visible_to(self, user)


class Push(Audience):
    """A policy, a catalogue item or a notice pushed by a window to an audience of its talents (W16-1).

    Sent once, when created: the receipts are the audience as it was then. The sender sees how many were
    reached and how many read it. Talents who opted out of proactive pushes get no policy or item push; a
    notice reaches everyone in the audience."""

    kind = models.CharField(_("类别"), max_length=10, choices=PushKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), max_length=MAX_TEXT)
    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name=_("政策"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "org.Window", verbose_name=_("发送窗口"), on_delete=models.PROTECT, related_name="pushes"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发送人"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("发送时间"))
    skipped_opted_out = models.PositiveIntegerField(_("因退订未发送"), default=0)

    objects = PushQuerySet.as_manager()

    class Meta:
        verbose_name = _("信息推送")
        verbose_name_plural = _("信息推送")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PushKind.POLICY, policy__isnull=False, service_item__isnull=True)
                | Q(kind=PushKind.ITEM, policy__isnull=True, service_item__isnull=False)
                | Q(kind=PushKind.NOTICE, policy__isnull=True, service_item__isnull=True),
                name="push_target_matches_kind",
                violation_error_message=_("推送政策须选择政策，推送服务事项须选择事项，通知公告不选。"),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("engagement:push", args=[self.pk])


class PushReceipt(models.Model):
    """One talent's copy of a push: how it went (inbox, or SMS for a talent without an account) and when
    the talent read it (the read receipt the sender counts)."""

    push = models.ForeignKey(Push, verbose_name=_("推送"), on_delete=models.CASCADE, related_name="receipts")
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="push_receipts"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=ReceiptChannel.choices)
    notification = models.ForeignKey(
        "notifications.Notification",
        verbose_name=_("通知"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推送回执")
        verbose_name_plural = _("推送回执")
        ordering = ["push_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["push", "talent"],
                name="one_receipt_per_talent",
                violation_error_message=_("同一推送对同一人才只发送一次。"),
            )
        ]

    def __str__(self):
        return f"{self.push} · {self.talent}"


class Preference(models.Model):
    """A talent's choice about proactive pushes (W16-1 政策找人): opted out, they get no offers and no
    policy or item pushes; notices still reach them. Set by the talent alone."""

    talent = models.OneToOneField(
        "talents.Talent",
        verbose_name=_("人才"),
        on_delete=models.CASCADE,
        related_name="engagement_preference",
    )
    offers_opted_out = models.BooleanField(_("不接收主动推送"), default=False)
    changed_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("推送偏好")
        verbose_name_plural = _("推送偏好")

    def __str__(self):
        return f"{self.talent} · {'退订' if self.offers_opted_out else '接收'}"


# --- 政策找人 (W16-1) ------------------------------------------------------------------------------


class ArrivalDate(models.Model):
    """When the talent came to work in Linyi (来临工作日期), which many policies' eligibility turns on.
    Not on the talent record, so kept here, set by the window over the talent."""

    talent = models.OneToOneField(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.CASCADE, related_name="arrival"
    )
    arrival_date = models.DateField(_("来临工作日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("来临工作日期")
        verbose_name_plural = _("来临工作日期")

    def __str__(self):
        return f"{self.talent} · {self.arrival_date}"


class EligibilityRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_targets(self):
        return self.select_related("policy", "service_item__published_version", "window").prefetch_related(
            "categories", "windows"
        )


class EligibilityRule(models.Model):
    """Who is eligible for a policy or a catalogue item (政策找人, W16-1): every criterion set must hold;
    an empty one does not narrow. Kept beside the policy or item (one rule each), so neither app changes.

    Age is counted in whole years on the day of matching, from the birth date in the resident ID number
    (a talent with a passport has no age here and matches no rule with an age limit); the arrival date is
    ``ArrivalDate``, from ``arrived_from_date`` inclusive to ``arrived_before_date`` exclusive. Where
    ``grant_without_application`` (免申即享) is set, the window may grant it to an eligible talent with no
    application."""

    policy = models.OneToOneField(
        "policies.Policy",
        verbose_name=_("政策"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="eligibility_rule",
    )
    service_item = models.OneToOneField(
        "catalogue.ServiceItem",
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="eligibility_rule",
    )
    window = models.ForeignKey(
        "org.Window", verbose_name=_("设定窗口"), on_delete=models.PROTECT, related_name="eligibility_rules"
    )
    categories = models.ManyToManyField(
        "talents.TalentCategory", verbose_name=_("人才类别（层次）"), blank=True, related_name="+"
    )
    card_level = models.CharField(_("惠才卡等级"), max_length=20, blank=True)
    windows = models.ManyToManyField("org.Window", verbose_name=_("属地区域"), blank=True, related_name="+")
    employer_kinds = models.JSONField(_("单位性质"), default=list, blank=True)
    arrived_from_date = models.DateField(_("来临日期不早于"), null=True, blank=True)
    arrived_before_date = models.DateField(_("来临日期早于"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True)
    grant_without_application = models.BooleanField(_("免申即享"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("设定人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("设定时间"))
    version = models.PositiveIntegerField(default=1)

    objects = EligibilityRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("适用条件")
        verbose_name_plural = _("适用条件")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(policy__isnull=False, service_item__isnull=True)
                | Q(policy__isnull=True, service_item__isnull=False),
                name="rule_for_one_target",
                violation_error_message=_("适用条件须属于一项政策或一个服务事项。"),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="rule_age_range",
                violation_error_message=_("最高年龄不能小于最低年龄。"),
            ),
            models.CheckConstraint(
                condition=Q(arrived_from_date__isnull=True)
                | Q(arrived_before_date__isnull=True)
                | Q(arrived_before_date__gt=F("arrived_from_date")),
                name="rule_arrival_range",
                violation_error_message=_("来临日期的截止日须晚于起始日。"),
            ),
        ]

    def __str__(self):
        return str(self.target)

    def get_absolute_url(self):
        return reverse("engagement:rule", args=[self.pk])

    @property
    def target(self):
        return self.policy if self.policy_id else self.service_item

    @property
    def target_title(self) -> str:
        return self.policy.title if self.policy_id else self.service_item.name

    def is_offerable_on(self, day) -> bool:
        """A rule is offered only while its target is public: a policy in force, a published item."""
        if self.policy_id:
            policy = self.policy
            return (
                policy.status == "in_force"
                and policy.effective_date <= day
                and (policy.expiry_date is None or day < policy.expiry_date)
            )
        return self.service_item.published_version_id is not None


class Offer(models.Model):
    """政策找人: the proactive push of one rule's target to one eligible talent, made once."""

    rule = models.ForeignKey(
        EligibilityRule, verbose_name=_("适用条件"), on_delete=models.CASCADE, related_name="offers"
    )
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="offers"
    )
    reason = models.TextField(_("符合的条件"))
    offered_at = models.DateTimeField(_("推送时间"))
    notification = models.ForeignKey(
        "notifications.Notification",
        verbose_name=_("通知"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("政策找人推送")
        verbose_name_plural = _("政策找人推送")
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "talent"],
                name="one_offer_per_rule_and_talent",
                violation_error_message=_("已向该人才推送过此项。"),
            )
        ]

    def __str__(self):
        return f"{self.rule} → {self.talent}"


class GrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        from huicai.engagement.access import grants_visible_to

        return grants_visible_to(self, user)


class Grant(models.Model):
    """免申即享: a policy or item granted by the window to an eligible talent with no application (W16-1).
    Written once and never changed: it is a service record the talent's archive shows."""

    rule = models.ForeignKey(
        EligibilityRule, verbose_name=_("适用条件"), on_delete=models.PROTECT, related_name="grants"
    )
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="grants"
    )
    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name=_("政策"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("享受事项"), max_length=200)
    reason = models.TextField(_("符合的条件"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    window = models.ForeignKey(
        "org.Window", verbose_name=_("发放窗口"), on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("发放时间"))

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("免申即享记录")
        verbose_name_plural = _("免申即享记录")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "talent"],
                name="one_grant_per_rule_and_talent",
                violation_error_message=_("该人才已享受此项。"),
            )
        ]

    def __str__(self):
        return f"{self.title} → {self.talent}"


class RuleEvent(Event):
    """One step of a rule's history: conditions set, offers made (how many), a grant."""

    rule = models.ForeignKey(
        EligibilityRule, verbose_name=_("适用条件"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=RuleAction.choices)
    talent = models.ForeignKey(
        "talents.Talent",
        verbose_name=_("人才"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the system does by itself (the daily matching run) has no person behind it.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Event.Meta):
        verbose_name = _("适用条件记录")
        verbose_name_plural = _("适用条件记录")

    def __str__(self):
        return f"{self.rule_id} {self.get_action_display()}"


def employer_kind(credit_code: str) -> str:
    """The kind of an employer from its unified social credit code (GB 32100-2015, first two characters):
    11 机关, 12 事业单位, 9x 企业 (91 enterprises; 92 个体工商户 and 93 合作社 counted as enterprises), 5x
    社会组织 (registered with civil affairs); anything else is 其他."""
    code = (credit_code or "").upper()
    if code.startswith("11"):
        return EmployerKind.GOVERNMENT
    if code.startswith("12"):
        return EmployerKind.INSTITUTION
    if code.startswith("9"):
        return EmployerKind.ENTERPRISE
    if code.startswith("5"):
        return EmployerKind.SOCIAL
    return EmployerKind.OTHER


def birth_date_of(id_type: str, id_number: str) -> datetime.date | None:
    """The birth date in an 18-digit resident ID number (positions 7–14), None for anything else."""
    if id_type != "resident" or len(id_number or "") != 18:
        return None
    try:
        return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Whole years completed on ``day``: the birthday itself counts (one turns 45 on the 45th birthday);
    someone born on 29 February turns a year older on 1 March in a common year."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years
