"""The organisation of the service system: divisions, the window tree, departments, institutions, employers.

W2 names the competent departments; W3 sets up the city window at the city HR bureau, one window per
county/district, and optional windows at talent groups and parks. Windows form a tree along which records
are filed upward, and a window's jurisdiction is its own subtree.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from huicai.core.validators import normalize_uscc, validate_uscc
from huicai.org.choices import DivisionLevel, OrgLevel, WindowLevel


class Division(models.Model):
    """An administrative division with its GB/T 2260 code (Linyi 371300 and its counties), or a zone."""

    code = models.CharField(
        _("区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("区划代码应为6位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self):
        return self.name


class WindowQuerySet(models.QuerySet):
    def subtree_of(self, windows):
        """Every window at or below any of ``windows``: the one place the jurisdiction tree is walked."""
        paths = [w.path for w in windows]
        if not paths:
            return self.none()
        condition = models.Q()
        for path in paths:
            condition |= models.Q(path__startswith=path)
        return self.filter(condition)


class Window(models.Model):
    """A high-level talent service window (服务窗口, W3), a node in the filing tree.

    ``path`` is the materialised path of ids from the root (``"1/4/"``), kept by ``save()``: it is derived
    data, and keeping it there means no code path can leave it stale. Because the path is rebuilt from the
    parent on every save, a parent that lies in the window's own subtree is refused: a loop is impossible.
    """

    name = models.CharField(_("窗口名称"), max_length=100, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=WindowLevel.choices)
    division = models.ForeignKey(
        Division, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="windows"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    host = models.CharField(_("设立单位"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    is_active = models.BooleanField(_("运行中"), default=True)

    objects = WindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["level"],
                condition=models.Q(level=WindowLevel.CITY),
                name="one_city_window",
                violation_error_message=_("全市只能设立一个市级窗口。"),
            ),
            models.CheckConstraint(
                condition=models.Q(level=WindowLevel.CITY, parent__isnull=True)
                | (~models.Q(level=WindowLevel.CITY) & models.Q(parent__isnull=False)),
                name="window_parent_matches_level",
                violation_error_message=_("市级窗口没有上级窗口；其他窗口必须有上级窗口。"),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refuse_loop()
        if self.pk is None:
            super().save(*args, **kwargs)
            self.path = self._computed_path()
            Window.objects.filter(pk=self.pk).update(path=self.path)
            return
        old_path = Window.objects.filter(pk=self.pk).values_list("path", flat=True).first() or ""
        self.path = self._computed_path()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moving a window moves its whole subtree, in one statement.
            Window.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
            )

    def clean(self):
        super().clean()
        self.refuse_loop()

    def refuse_loop(self):
        """A window's parent may not be the window itself or anything below it (W3 tree, no loops)."""
        if self.parent_id is None or self.pk is None:
            return
        own_path = Window.objects.filter(pk=self.pk).values_list("path", flat=True).first() or ""
        parent_path = Window.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
        if self.parent_id == self.pk or (own_path and parent_path.startswith(own_path)):
            raise ValidationError({"parent": _("上级窗口不能是本窗口或其下级窗口，否则会形成循环。")})

    def _computed_path(self) -> str:
        prefix = ""
        if self.parent_id:
            prefix = Window.objects.values_list("path", flat=True).get(pk=self.parent_id)
        return f"{prefix}{self.pk}/"

    def ancestors(self):
        """The chain of windows this one files up to, nearest first."""
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1]]
        by_id = Window.objects.in_bulk(ids)
        return [by_id[i] for i in reversed(ids) if i in by_id]

    def is_within(self, other: "Window") -> bool:
        return self.path.startswith(other.path)


class Department(models.Model):
    """A competent department of green-channel service items (服务事项主管部门, W2), city or county level."""

    name = models.CharField(_("部门名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=OrgLevel.choices)
    division = models.ForeignKey(
        Division, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="departments"
    )
    city_counterpart = models.ForeignKey(
        "self",
        verbose_name=_("对应市级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="county_counterparts",
        limit_choices_to={"level": OrgLevel.CITY},
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("服务事项主管部门")
        verbose_name_plural = _("服务事项主管部门")
        ordering = ["division__code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "name"],
                name="unique_department_per_division",
                violation_error_message=_("同一区划下已有同名部门。"),
            )
        ]

    def __str__(self):
        return self.name


class UndertakingOrg(models.Model):
    """An institution that delivers items (服务事项承办机构): a hospital, a school, the airport…"""

    name = models.CharField(_("机构名称"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="undertaking_orgs"
    )
    division = models.ForeignKey(
        Division, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="undertaking_orgs"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("服务事项承办机构")
        verbose_name_plural = _("服务事项承办机构")
        ordering = ["department_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"],
                name="unique_undertaking_per_department",
                violation_error_message=_("该主管部门下已有同名承办机构。"),
            )
        ]

    def __str__(self):
        return self.name


class EmployerQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.org.access import employers_visible_to

        return employers_visible_to(self, user)


class Employer(models.Model):
    """A talent's employing unit (用人单位), identified by its unified social credit code."""

    name = models.CharField(_("单位名称"), max_length=150)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc]
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("属地窗口"),
        on_delete=models.PROTECT,
        related_name="employers",
        help_text=_("单位所在地的服务窗口，决定其归属的辖区。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.credit_code = normalize_uscc(self.credit_code)
