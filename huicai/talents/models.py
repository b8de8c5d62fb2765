"""High-level talents, their categories and their talent cards.

A talent's resident ID number and mobile phone are personal information under PIPL: stored encrypted,
found through a keyed hash, shown masked (SECURITY.md). Whether the talent is still employed and still
living in Linyi is kept with the date each was last confirmed (S14-4 status check-ins).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.commissioners.models import UnitAssignment
from huicai.core.crypto import lookup_hash
from huicai.core.fields import EncryptedTextField, LookupHashField
from huicai.core.masking import mask_id_number, mask_phone
from huicai.core.validators import (
    check_resident_id,
    normalize_phone,
    normalize_resident_id,
    validate_mobile,
    validate_passport,
)
from huicai.talents.choices import (
    CardKind,
    CardStatus,
    EmploymentStatus,
    IdType,
    InvitationStatus,
    TalentEventKind,
)


class TalentCategory(models.Model):
    """Configurable reference data: the category/level of talents (e.g. A类 顶尖人才)."""

    code = models.CharField(_("代码"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    description = models.TextField(_("认定标准"), blank=True)
    rank = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("人才类别")
        verbose_name_plural = _("人才类别")
        ordering = ["rank", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


def looks_like_id_number(text: str) -> bool:
    return len(text) >= 15 and text[:6].isdigit()


def id_number_ref(id_number: str) -> str:
    """The keyed hash an ID number is found by; it may stand in a URL, the number itself never does."""
    return lookup_hash(normalize_resident_id(id_number), purpose="id_number")


class TalentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one door to talents' data: every query that returns talents goes through here."""
        # A real cycle: access.py builds on these models.
        from huicai.talents.access import talents_visible_to

        return talents_visible_to(self, user)

    def with_id_number(self, value: str):
        return self.filter(id_number_hash=lookup_hash(normalize_resident_id(value), purpose="id_number"))

    def matching(self, data):
        """The list filters shared by the page, the API and the unit board: window (with its subtree),
        employer, category, and a search by name or by exact ID number (through the keyed hash)."""
        talents = self
        window = data.get("window")
        if window:
            talents = talents.filter(home_window__path__startswith=window.path)
        if data.get("employer"):
            talents = talents.filter(employer=data["employer"])
        if data.get("category"):
            talents = talents.filter(category=data["category"])
        if data.get("ref"):
            # An ID number searched for by its keyed hash (it was posted, so it never reached a URL).
            talents = talents.filter(id_number_hash=data["ref"])
        q = (data.get("q") or "").strip()
        if q:
            if looks_like_id_number(q):
                talents = talents.with_id_number(q)
            else:
                talents = talents.filter(name__contains=q)
        return talents

    def with_open_assignments(self):
        """Prefetch each talent's open unit assignment, with its commissioner, as ``open_assignments``."""
        return self.prefetch_related(
            Prefetch(
                "unit_assignments",
                queryset=UnitAssignment.objects.open().select_related("post__user"),
                to_attr="open_assignments",
            )
        )


class Talent(models.Model):
    """A high-level talent served by the system, with an employer and a home window (属地)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent",
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(_("证件类型"), max_length=10, choices=IdType.choices, default=IdType.RESIDENT)
    id_number = EncryptedTextField(_("证件号码"))
    id_number_hash = LookupHashField(source="id_number", purpose="id_number")
    category = models.ForeignKey(
        TalentCategory, verbose_name=_("人才类别"), on_delete=models.PROTECT, related_name="talents"
    )
    employer = models.ForeignKey(
        "org.Employer", verbose_name=_("用人单位"), on_delete=models.PROTECT, related_name="talents"
    )
    home_window = models.ForeignKey(
        "org.Window",
        verbose_name=_("属地窗口"),
        on_delete=models.PROTECT,
        related_name="talents",
        help_text=_("人才按属地归属的服务窗口，决定哪些窗口可以看到他。"),
    )
    mobile = EncryptedTextField(_("手机号码"), validators=[validate_mobile])
    employment_status = models.CharField(
        _("在职状态"), max_length=10, choices=EmploymentStatus.choices, default=EmploymentStatus.EMPLOYED
    )
    employment_confirmed_date = models.DateField(_("在职状态确认日期"), null=True, blank=True)
    lives_in_linyi = models.BooleanField(_("在临沂居住"), null=True, blank=True)
    residence_confirmed_date = models.DateField(_("居住状态确认日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TalentQuerySet.as_manager()

    class Meta:
        verbose_name = _("高层次人才")
        verbose_name_plural = _("高层次人才")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                name="unique_talent_id_number",
                violation_error_message=_("该证件号码已登记为高层次人才。"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talents:detail", args=[self.pk])

    def clean(self):
        # What is wrong with an ID number whatever the day; a birth date after today needs the day, which
        # the model does not know: register_talent checks it with its ``at``.
        super().clean()
        if self.id_type == IdType.RESIDENT:
            self.id_number = normalize_resident_id(self.id_number)
            try:
                check_resident_id(self.id_number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc
        else:
            self.id_number = (self.id_number or "").strip().upper()
            try:
                validate_passport(self.id_number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc
        if self.mobile:
            self.mobile = normalize_phone(self.mobile)
        # The unique constraint is on the hash, which forms do not carry; check it here so a duplicate is
        # a clear error in the admin, the forms and the API rather than an IntegrityError.
        digest = self._meta.get_field("id_number_hash").pre_save(self, add=self._state.adding)
        if digest and Talent.objects.filter(id_number_hash=digest).exclude(pk=self.pk).exists():
            raise ValidationError({"id_number": _("该证件号码已登记为高层次人才。")})

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)


class TalentCardQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(talent__in=Talent.objects.visible_to(user))

    def valid_on(self, day):
        return self.filter(status=CardStatus.VALID, issued_date__lte=day, valid_until_date__gte=day)


class TalentCard(models.Model):
    """A 山东惠才卡 or 沂蒙惠才卡: shown to get direct services (W12, S16); applied for by the unit
    commissioner (S11-4)."""

    talent = models.ForeignKey(Talent, verbose_name=_("人才"), on_delete=models.PROTECT, related_name="cards")
    kind = models.CharField(_("卡类"), max_length=10, choices=CardKind.choices)
    number = models.CharField(_("卡号"), max_length=30, unique=True)
    level = models.CharField(_("等级"), max_length=20, blank=True)
    issued_date = models.DateField(_("发卡日期"))
    valid_until_date = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=10, choices=CardStatus.choices, default=CardStatus.VALID)

    objects = TalentCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才卡")
        verbose_name_plural = _("人才卡")
        ordering = ["talent_id", "kind", "-issued_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until_date__gte=F("issued_date")),
                name="card_valid_after_issue",
                violation_error_message=_("有效期截止日期不能早于发卡日期。"),
            ),
            models.UniqueConstraint(
                fields=["talent", "kind"],
                condition=Q(status=CardStatus.VALID),
                name="one_valid_card_per_kind",
                violation_error_message=_("该人才已有一张同类的有效人才卡。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day) -> bool:
        """Valid means: status valid, and ``day`` within issue and valid-until dates inclusive."""
        return self.status == CardStatus.VALID and self.issued_date <= day <= self.valid_until_date

    def state_on(self, day) -> str:
        """The status a person should see on ``day``: a card past its date reads as expired."""
        if self.status == CardStatus.VALID and day > self.valid_until_date:
            return CardStatus.EXPIRED
        return self.status


class TalentCardEvent(models.Model):
    """One change of a card's status (issued, expired, revoked, reported lost): who, when, from which
    status to which. Written by the actions in the same transaction, so a card's history is complete."""

    card = models.ForeignKey(
        TalentCard, verbose_name=_("人才卡"), on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(_("原状态"), max_length=10, choices=CardStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=CardStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="card_events",
    )
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("人才卡记录")
        verbose_name_plural = _("人才卡记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.card} {self.from_status or '—'}→{self.to_status}"


class TalentEvent(models.Model):
    """One change to a talent's record that the unit commissioner periods do not already tell: an employer
    change (from which employer to which), a talent left without a unit commissioner, an invitation sent,
    an account opened. Written by the actions in the same transaction, never by a signal (S6, S19)."""

    talent = models.ForeignKey(
        Talent, verbose_name=_("人才"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=20, choices=TalentEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("人才记录")
        verbose_name_plural = _("人才记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.talent} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class TalentInvitation(models.Model):
    """One invitation for a talent to open their own account: an SMS with a one-time link valid 72 hours.

    Only a SHA-256 digest of the token is stored, so a copy of the database opens no account; the link
    carries the token alone, no personal data. A re-sent invitation supersedes the earlier one (its
    ``superseded_at`` is set), so at most one invitation per talent can be used, as a partial unique
    constraint guarantees; using it sets ``used_at``.
    """

    talent = models.ForeignKey(
        Talent, verbose_name=_("人才"), on_delete=models.PROTECT, related_name="invitations"
    )
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("邀请人"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("邀请时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("激活时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号邀请")
        verbose_name_plural = _("账号邀请")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["talent"],
                condition=Q(used_at__isnull=True, superseded_at__isnull=True),
                name="one_live_invitation_per_talent",
                violation_error_message=_("该人才已有一份未使用的邀请。"),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("sent_at")),
                name="invitation_expires_after_sending",
                violation_error_message=_("邀请的失效时间必须晚于邀请时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.talent} · {self.sent_at:%Y-%m-%d %H:%M}"

    def is_usable_at(self, at) -> bool:
        return self.used_at is None and self.superseded_at is None and at < self.expires_at


def invitation_status(talent, at, *, invitations=None) -> InvitationStatus:
    """未邀请 / 已邀请 / 已激活 / 已过期 for ``talent`` at ``at``. ``invitations`` are the talent's
    invitations newest first when the caller already has them (a list page prefetches them), else the
    newest is read."""
    if talent.user_id:
        return InvitationStatus.ACTIVATED
    if invitations is not None:
        latest = invitations[0] if invitations else None
    else:
        latest = talent.invitations.order_by("-sent_at", "-id").first()
    if latest is None:
        return InvitationStatus.NOT_INVITED
    if latest.is_usable_at(at):
        return InvitationStatus.INVITED
    return InvitationStatus.EXPIRED
