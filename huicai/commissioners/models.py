"""Commissioner posts (S4–S9) and the one-to-one unit commissioner of every talent (S6).

A person (a user account) may hold several posts at once: a unit commissioner at an employer, a
department commissioner of a competent department (S7), an undertaking commissioner at an institution
(S8), a window commissioner at a window (S9). Each post is a period (``active_from``/``active_to``, the upper
bound exclusive and open while the post is held).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huicai.commissioners.choices import PostEventKind, PostKind


class PostQuerySet(models.QuerySet):
    def active_at(self, at):
        return self.filter(Q(active_to__isnull=True) | Q(active_to__gt=at), active_from__lte=at)

    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.commissioners.access import posts_visible_to

        return posts_visible_to(self, user)


class Post(models.Model):
    """One commissioner post held by one person. The organisation it belongs to follows from its kind:
    exactly one of employer / department / undertaking institution / window is set, as a database check
    guarantees."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="posts"
    )
    kind = models.CharField(_("专员类别"), max_length=20, choices=PostKind.choices)
    employer = models.ForeignKey(
        "org.Employer",
        verbose_name=_("用人单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    undertaking_org = models.ForeignKey(
        "org.UndertakingOrg",
        verbose_name=_("承办机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("服务窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    # S9: window commissioners are full-time staff; the registry records who is not.
    is_full_time = models.BooleanField(_("专职"), default=True)
    # W5/W17: the window's manager sees the dashboards and grades; not a fifth kind of commissioner.
    is_manager = models.BooleanField(_("窗口负责人"), default=False)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    office_phone = models.CharField(_("办公电话"), max_length=40, blank=True)
    active_from = models.DateTimeField(_("任职起始"))
    active_to = models.DateTimeField(_("任职截止"), null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("专员岗位")
        verbose_name_plural = _("专员岗位")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=PostKind.UNIT,
                        employer__isnull=False,
                        department__isnull=True,
                        undertaking_org__isnull=True,
                        window__isnull=True,
                    )
                    | Q(
                        kind=PostKind.DEPARTMENT,
                        employer__isnull=True,
                        department__isnull=False,
                        undertaking_org__isnull=True,
                        window__isnull=True,
                    )
                    | Q(
                        kind=PostKind.UNDERTAKING,
                        employer__isnull=True,
                        department__isnull=True,
                        undertaking_org__isnull=False,
                        window__isnull=True,
                    )
                    | Q(
                        kind=PostKind.WINDOW,
                        employer__isnull=True,
                        department__isnull=True,
                        undertaking_org__isnull=True,
                        window__isnull=False,
                    )
                ),
                name="post_org_matches_kind",
                violation_error_message=_(
                    "单位专员须填写用人单位，部门专员须填写主管部门，承办专员须填写承办机构，"
                    "窗口专员须填写服务窗口，且只填写其中一项。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_manager=False) | Q(kind=PostKind.WINDOW),
                name="only_window_posts_manage",
                violation_error_message=_("只有窗口专员岗位可以设为窗口负责人。"),
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gt=models.F("active_from")),
                name="post_period_ordered",
                violation_error_message=_("任职截止时间必须晚于起始时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.organisation}"

    @property
    def organisation(self):
        return self.employer or self.department or self.undertaking_org or self.window

    def is_active_at(self, at) -> bool:
        return self.active_from <= at and (self.active_to is None or self.active_to > at)


class UnitAssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(active_to__isnull=True)

    def covering(self):
        """Open periods on a post that has not ended: what coverage counts (S6). ``end_post`` closes a
        post's periods with it, but a period left open on an ended post (as the admin once allowed) is a
        gap, not coverage. Posts end only through ``end_post``, at the moment of ending, so a post with
        an end time has ended."""
        return self.open().filter(post__active_to__isnull=True)


class UnitAssignment(models.Model):
    """A period during which a unit commissioner is a talent's one-to-one contact (S6).

    At most one open period per talent, by a partial unique constraint, so two concurrent reassignments
    cannot both succeed. The row keeps who opened and closed it and why.
    """

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="unit_assignments"
    )
    post = models.ForeignKey(
        Post,
        verbose_name=_("单位专员"),
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"kind": PostKind.UNIT},
    )
    active_from = models.DateTimeField(_("起始"))
    active_to = models.DateTimeField(_("截止"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指定人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("指定原因"), max_length=200, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.CharField(_("解除原因"), max_length=200, blank=True)

    objects = UnitAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位专员对接")
        verbose_name_plural = _("单位专员对接")
        ordering = ["-active_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["talent"],
                condition=Q(active_to__isnull=True),
                name="one_active_unit_commissioner_per_talent",
                violation_error_message=_("该人才已有在岗的单位专员；如需更换，请使用“更换单位专员”。"),
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gt=models.F("active_from")),
                name="assignment_period_ordered",
                violation_error_message=_("截止时间必须晚于起始时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.talent} ← {self.post.user}"


class PostEvent(models.Model):
    """One change of a commissioner post: appointed, ended, transferred, or its talents and open work handed
    to a successor. Written by the actions in the same transaction, so the registry's history is whole
    (S19: the window keeps the registry and answers for its changes)."""

    post = models.ForeignKey(Post, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=30, choices=PostEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("岗位记录")
        verbose_name_plural = _("岗位记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.post} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
