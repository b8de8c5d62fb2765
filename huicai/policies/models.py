"""The policy library: talent policies published by the windows (S14-5), searched by talents (W16).

A policy is tagged with the talent categories and the divisions it applies to (an empty tag means "all
categories" / "the whole city") and with the green-channel service items it brings in or changes (W7:
new policies bring new items into the green channel). Its text is
segmented into ``PolicyTerm`` rows so that a Chinese full-text search behaves the same on SQLite and
PostgreSQL (search.py explains the ranking); those rows are rewritten by the actions that create and edit a
policy, never by a signal.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.core.models import Event
from huicai.policies.choices import PUBLIC_STATUSES, PolicyEventKind, PolicyStatus


class PolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one door to policies: public ones for everybody, drafts for the windows over them."""
        # A real cycle: access.py builds on these models.
        from huicai.policies.access import policies_visible_to

        return policies_visible_to(self, user)

    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def in_force_on(self, day):
        """Published, already effective on ``day`` and not yet past the (exclusive) expiry date."""
        return self.filter(
            Q(expiry_date__isnull=True) | Q(expiry_date__gt=day),
            status=PolicyStatus.IN_FORCE,
            effective_date__lte=day,
        )

    def for_category(self, category_id):
        """Policies that apply to talents of the category: tagged with it, or with no category at all.

        Written with EXISTS rather than joins so that no row is repeated and no DISTINCT is needed.
        """
        through = Policy.categories.through
        tagged = Exists(through.objects.filter(policy_id=OuterRef("pk")))
        tagged_with_it = Exists(
            through.objects.filter(policy_id=OuterRef("pk"), talentcategory_id=category_id)
        )
        return self.filter(tagged_with_it | ~tagged)

    def for_divisions(self, division_ids):
        """Policies that apply in any of ``division_ids`` (a division and the divisions above it): tagged
        with one of them, or with no region at all (the whole city)."""
        through = Policy.divisions.through
        tagged = Exists(through.objects.filter(policy_id=OuterRef("pk")))
        tagged_with_one = Exists(
            through.objects.filter(policy_id=OuterRef("pk"), division_id__in=division_ids)
        )
        return self.filter(tagged_with_one | ~tagged)

    def for_talent(self, talent):
        """Policies whose categories include the talent's (or are empty) and whose regions include the
        division of the talent's home window or a division above it, i.e. the city (or are empty)."""
        division_ids = []
        division = talent.home_window.division
        while division is not None:
            division_ids.append(division.pk)
            division = division.parent
        return self.for_category(talent.category_id).for_divisions(division_ids)


class Policy(models.Model):
    """A talent policy document (人才政策), e.g. 临发〔2020〕15号.

    W16 asks for policy search and information push; S14-5 makes publishing policies a duty of the window
    commissioners, so each policy belongs to the window that publishes it and only that window (or one
    above it) may change it. ``expiry_date`` is exclusive: the policy no longer applies on that day.
    """

    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文机关"), max_length=200)
    document_number = models.CharField(
        _("发文字号"), max_length=60, blank=True, help_text=_("例如：临发〔2020〕15号")
    )
    issue_date = models.DateField(_("发文日期"))
    effective_date = models.DateField(_("生效日期"))
    expiry_date = models.DateField(
        _("失效日期"), null=True, blank=True, help_text=_("自该日起不再执行；长期有效的不填。")
    )
    body = models.TextField(_("正文"), max_length=20000, validators=[MaxLengthValidator(20000)])
    categories = models.ManyToManyField(
        "talents.TalentCategory",
        verbose_name=_("适用人才类别"),
        blank=True,
        related_name="policies",
        help_text=_("不选表示适用于全部人才类别。"),
    )
    divisions = models.ManyToManyField(
        "org.Division",
        verbose_name=_("适用区域"),
        blank=True,
        related_name="policies",
        help_text=_("不选表示适用于全市。"),
    )
    # W7: a new policy brings new items into the green channel; the policy names the items it concerns.
    service_items = models.ManyToManyField(
        "catalogue.ServiceItem",
        verbose_name=_("涉及的绿色通道服务事项"),
        blank=True,
        related_name="policies",
        help_text=_("本政策新增或调整的绿色通道服务事项。"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT, db_index=True
    )
    window = models.ForeignKey(
        "org.Window", verbose_name=_("发布窗口"), on_delete=models.PROTECT, related_name="policies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"))
    updated_at = models.DateTimeField(_("修改时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    expired_at = models.DateTimeField(_("废止时间"), null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才政策")
        verbose_name_plural = _("人才政策")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__isnull=True) | Q(expiry_date__gt=F("effective_date")),
                name="policy_expiry_after_effective",
                violation_error_message=_("失效日期必须晚于生效日期。"),
            ),
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="unique_policy_document_number",
                violation_error_message=_("已有相同发文字号的政策。"),
            ),
            models.CheckConstraint(
                condition=Q(status=PolicyStatus.DRAFT) | Q(published_at__isnull=False),
                name="published_policy_has_published_at",
                violation_error_message=_("已发布的政策必须有发布时间。"),
            ),
        ]

    def __str__(self):
        if self.document_number:
            return f"{self.title}（{self.document_number}）"
        return self.title

    def get_absolute_url(self):
        return reverse("policies:detail", args=[self.pk])

    def clean(self):
        super().clean()
        self.title = (self.title or "").strip()
        self.issuer = (self.issuer or "").strip()
        self.document_number = (self.document_number or "").strip()
        # Both are database constraints too; repeated here so a form shows the error beside the field.
        errors = {}
        if self.expiry_date and self.effective_date and self.expiry_date <= self.effective_date:
            errors["expiry_date"] = _("失效日期必须晚于生效日期。")
        if (
            self.document_number
            and Policy.objects.filter(document_number=self.document_number).exclude(pk=self.pk).exists()
        ):
            errors["document_number"] = _("已有相同发文字号的政策。")
        if errors:
            raise ValidationError(errors)

    def state_on(self, day) -> PolicyStatus:
        """The status a reader should see on ``day``: a policy past its expiry date reads as expired even
        before a commissioner marks it so."""
        if self.status == PolicyStatus.IN_FORCE and self.expiry_date is not None and day >= self.expiry_date:
            return PolicyStatus.EXPIRED
        return PolicyStatus(self.status)

    def is_in_force_on(self, day) -> bool:
        return (
            self.status == PolicyStatus.IN_FORCE
            and self.effective_date <= day
            and (self.expiry_date is None or day < self.expiry_date)
        )


class PolicyEvent(Event):
    """One step in a policy's life: drafted, edited, published or expired, by whom and when."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事件"), max_length=10, choices=PolicyEventKind.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=PolicyStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=PolicyStatus.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("政策记录")
        verbose_name_plural = _("政策记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.policy_id} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class PolicyTerm(models.Model):
    """One word of a policy's text with its precomputed weight (see search.py).

    One row per policy and word: the weight already adds up the word's occurrences in the title, the
    issuer and document number, and the body, each with its field's boost, so a search reads one row per
    matching policy and word. The table is derived data, rebuilt for a policy each time its text changes;
    the index on (term, policy, weight) holds everything a search reads, so it never touches the table.
    """

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=32)
    count = models.PositiveIntegerField()
    weight = models.FloatField()

    class Meta:
        verbose_name = _("检索词")
        verbose_name_plural = _("检索词")
        constraints = [models.UniqueConstraint(fields=["policy", "term"], name="unique_policy_term")]
        indexes = [models.Index(fields=["term", "policy", "weight"], name="policy_term_lookup")]

    def __str__(self):
        return f"{self.term}@{self.policy_id}"


class SearchSynonym(models.Model):
    """What people type, and the words of the policies it means: 孩子上学 → 子女入学, 买房 → 购房 (issue 12).

    Policies are written in the words of the measures, people search in their own; the policy search adds
    a synonym's words whenever its phrase occurs in the query. Kept in the database so that window staff
    can add the phrases they hear, on the synonyms page (actions audit every change).
    """

    phrase = models.CharField(_("检索用语"), max_length=30, unique=True)
    terms = models.CharField(_("对应政策用语"), max_length=200, help_text=_("多个词语用空格或顿号分隔。"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="search_synonyms",
    )
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("检索同义词")
        verbose_name_plural = _("检索同义词")
        ordering = ["phrase"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phrase="") & ~Q(terms=""),
                name="synonym_phrase_and_terms_not_empty",
                violation_error_message=_("检索用语和对应政策用语都不能为空。"),
            )
        ]

    def __str__(self):
        return f"{self.phrase} → {self.terms}"

    def term_list(self) -> list[str]:
        return [word for word in re.split(r"[\s、,，;；/]+", self.terms) if word]
