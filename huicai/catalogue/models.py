"""The green-channel catalogue (绿色通道服务事项目录, W7, W11–W13, W16).

A ``ServiceItem`` is the working copy of one item, kept by the window that drafted it. Every change is
captured as an immutable ``ServiceItemVersion`` (W7: every optimisation is traceable), and the public
catalogue shows only the version an upper window acknowledged (or the city window published): a county's
revision in progress never leaks to talents before it is filed and acknowledged. Between two published
versions the reform figures (减时限、减环节、减材料、减跑动) are computed by ``compute_reform`` and published
with the item. ``ServiceItemEvent`` records every filing transition: who, when, from, to and why.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huicai.catalogue.choices import Category, FilingStatus, ServiceMode
from huicai.core.models import Event
from huicai.org.choices import OrgLevel, WindowLevel
from huicai.talents.choices import CardKind

CODE_PATTERN = r"^[A-Z0-9]+(-[A-Z0-9]+)*$"
MAX_MATERIALS = 50
MAX_STEPS = 30
MAX_COPIES = 99

# A talent card kind → the item field saying the item accepts it (W12: 山东惠才卡 / 沂蒙惠才卡).
CARD_FIELDS = {
    CardKind.SHANDONG: "accepts_shandong_card",
    CardKind.YIMENG: "accepts_yimeng_card",
}


class ServiceItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one door for staff to items in the making: see access.items_visible_to."""
        # A real cycle: access.py builds on these models.
        from huicai.catalogue.access import items_visible_to

        return items_visible_to(self, user)

    def published(self):
        return self.filter(published_version__isnull=False)


class ServiceItem(models.Model):
    """One green-channel service item as its drafting window keeps it (the working copy).

    W11: an item is served either directly on showing a talent card (W12) or on application with a legal
    and a committed time limit in working days (W13). The database guards the limits: both are required
    for by-application items, each at least one working day, and the committed limit never longer than
    the legal one. A direct item must accept at least one card, or no talent could ever use it.
    """

    code = models.CharField(
        _("事项编码"),
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(CODE_PATTERN, _("事项编码只能由大写字母、数字和连字符组成，例如 LY-CRJ-001。"))
        ],
        error_messages={"unique": _("该事项编码已被使用。")},
    )
    name = models.CharField(_("事项名称"), max_length=100)
    category = models.CharField(_("事项类别"), max_length=20, choices=Category.choices)
    mode = models.CharField(_("服务方式"), max_length=20, choices=ServiceMode.choices)
    content = models.TextField(
        _("服务内容"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="service_items",
        error_messages={"null": _("请选择主管部门。"), "blank": _("请选择主管部门。")},
    )
    undertaking_orgs = models.ManyToManyField(
        "org.UndertakingOrg",
        verbose_name=_("承办机构"),
        blank=True,
        related_name="service_items",
        help_text=_("须为主管部门下的承办机构。"),
    )
    level = models.CharField(_("事项层级"), max_length=10, choices=OrgLevel.choices)
    division = models.ForeignKey(
        "org.Division",
        verbose_name=_("所属县区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    # W7: the window that drafted the item and files it upward; it alone edits the working copy.
    window = models.ForeignKey(
        "org.Window", verbose_name=_("起草窗口"), on_delete=models.PROTECT, related_name="service_items"
    )
    legal_days = models.IntegerField(_("法定时限（工作日）"), null=True, blank=True)
    committed_days = models.IntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    # The service guide (办事指南).
    location_and_hours = models.TextField(
        _("办理地点和时间"), blank=True, max_length=500, validators=[MaxLengthValidator(500)]
    )
    conditions = models.TextField(
        _("受理条件"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    materials = models.JSONField(
        _("申请材料"),
        default=list,
        blank=True,
        help_text=_("每项材料有稳定的编号（key），后续申办按此清单收取材料。"),
    )
    steps = models.JSONField(_("办理流程"), default=list, blank=True)
    fees = models.CharField(_("收费标准"), max_length=200, default="不收费")
    legal_basis = models.TextField(
        _("法律依据"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    consult_phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=40, blank=True)
    visit_count = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    # Who may use it: talent categories (none = every category) and the cards it is served on (W12).
    talent_categories = models.ManyToManyField(
        "talents.TalentCategory",
        verbose_name=_("适用人才类别"),
        blank=True,
        related_name="service_items",
        help_text=_("不选表示面向全部人才类别。"),
    )
    accepts_shandong_card = models.BooleanField(_("凭山东惠才卡"), default=False)
    accepts_yimeng_card = models.BooleanField(_("凭沂蒙惠才卡"), default=False)
    status = models.CharField(
        _("备案状态"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    # The version talents see: set only by the acknowledge/publish actions.
    published_version = models.OneToOneField(
        "catalogue.ServiceItemVersion",
        verbose_name=_("公布版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="published_item",
    )
    # Material keys are never reused, even after a material is dropped: the counter only grows.
    last_material_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), editable=False)
    updated_at = models.DateTimeField(_("修改时间"), editable=False)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("绿色通道服务事项")
        verbose_name_plural = _("绿色通道服务事项")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_days__isnull=True) | Q(legal_days__gte=1),
                name="item_legal_days_positive",
                violation_error_message=_("法定时限至少为1个工作日。"),
            ),
            models.CheckConstraint(
                condition=Q(committed_days__isnull=True) | Q(committed_days__gte=1),
                name="item_committed_days_positive",
                violation_error_message=_("承诺时限至少为1个工作日。"),
            ),
            models.CheckConstraint(
                condition=Q(committed_days__isnull=True)
                | Q(legal_days__isnull=True)
                | Q(committed_days__lte=models.F("legal_days")),
                name="item_committed_within_legal",
                violation_error_message=_("承诺时限不能长于法定时限。"),
            ),
            models.CheckConstraint(
                condition=Q(mode=ServiceMode.DIRECT)
                | Q(legal_days__isnull=False, committed_days__isnull=False),
                name="item_application_has_limits",
                violation_error_message=_("依申请事项须填写法定时限和承诺时限。"),
            ),
            models.CheckConstraint(
                condition=~Q(mode=ServiceMode.DIRECT)
                | Q(accepts_shandong_card=True)
                | Q(accepts_yimeng_card=True),
                name="item_direct_accepts_a_card",
                violation_error_message=_("可直接服务事项至少应适用一种人才卡（山东惠才卡或沂蒙惠才卡）。"),
            ),
            models.CheckConstraint(
                condition=Q(level=OrgLevel.CITY, division__isnull=True)
                | Q(level=OrgLevel.COUNTY, division__isnull=False),
                name="item_county_has_division",
                violation_error_message=_("县区级事项须有所属县区，市级事项不设所属县区。"),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("catalogue:staff_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.window_id is not None:
            self.take_level_from_window()
        if self.department_id is not None and self.level:
            department_error = self._department_level_error()
            if department_error:
                errors["department"] = department_error
        try:
            self.materials = clean_materials(self.materials)
        except ValidationError as exc:
            errors["materials"] = exc.messages
        try:
            self.steps = clean_steps(self.steps)
        except ValidationError as exc:
            errors["steps"] = exc.messages
        if errors:
            raise ValidationError(errors)

    def take_level_from_window(self):
        """The level follows the drafting window (W7: each window统筹s its own territory): the city
        window keeps city items, a county or park window keeps the items of its own division."""
        if self.window.level == WindowLevel.CITY:
            self.level, self.division = OrgLevel.CITY, None
        else:
            self.level, self.division = OrgLevel.COUNTY, self.window.division

    def _department_level_error(self):
        department = self.department
        if self.level == OrgLevel.CITY and department.level != OrgLevel.CITY:
            return gettext("市级事项的主管部门须为市级部门。")
        if (
            self.level == OrgLevel.COUNTY
            and department.level != OrgLevel.CITY
            and department.division_id != self.division_id
        ):
            return gettext("县区级事项的主管部门须为市级部门或本县区的部门。")
        return None

    def check_undertaking_orgs(self, orgs):
        """Every undertaking institution must be one that the item's department supervises (W2, S8):
        otherwise the department commissioner could not urge it (S12-3)."""
        for org in orgs:
            if org.department_id != self.department_id:
                raise ValidationError(
                    {
                        "undertaking_orgs": gettext(
                            "承办机构“%(org)s”不属于主管部门“%(department)s”，请选择该部门下的承办机构。"
                        )
                        % {"org": org.name, "department": self.department.name}
                    }
                )

    def check_editable(self):
        """A filed item waits for the upper window: changing it now would change what is being judged."""
        if self.status == FilingStatus.FILED:
            raise ValidationError(gettext("该事项已报备上级窗口，确认备案或退回前不能修改。"))

    @property
    def card_kinds(self) -> list[str]:
        return [kind.value for kind, field in CARD_FIELDS.items() if getattr(self, field)]

    @property
    def is_application(self) -> bool:
        return self.mode == ServiceMode.APPLICATION

    def prepare_materials(self):
        """Clean the material list and give every material its stable key (see assign_material_keys)."""
        try:
            materials = clean_materials(self.materials)
        except ValidationError as exc:
            raise ValidationError({"materials": exc.messages}) from exc
        self.materials = self.assign_material_keys(materials)

    def assign_material_keys(self, materials):
        """Give each material its stable key. A material keeps its key as long as its name is unchanged
        (the later application flow asks for materials by key); a new or renamed material gets the next
        number, and numbers are never reused."""
        stored = (
            type(self).objects.filter(pk=self.pk).values_list("materials", flat=True).first()
            if self.pk
            else None
        )
        known = {m["name"]: m["key"] for m in (stored or []) if m.get("key")}
        keyed = []
        for material in materials:
            material = dict(material)
            key = known.get(material["name"])
            if key is None:
                self.last_material_number += 1
                key = f"M{self.last_material_number:02d}"
            material["key"] = key
            keyed.append(material)
        return keyed

    def snapshot(self) -> dict:
        """The whole item as plain data, for an immutable version. Reads the many-to-many relations."""
        orgs = sorted(self.undertaking_orgs.all(), key=lambda org: org.pk)
        categories = sorted(self.talent_categories.all(), key=lambda c: (c.rank, c.code))
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "mode": self.mode,
            "content": self.content,
            "department": {"id": self.department_id, "name": self.department.name},
            "undertaking_orgs": [{"id": org.pk, "name": org.name} for org in orgs],
            "level": self.level,
            "division": {"id": self.division_id, "name": self.division.name} if self.division else None,
            "window": {"id": self.window_id, "name": self.window.name},
            "legal_days": self.legal_days,
            "committed_days": self.committed_days,
            "location_and_hours": self.location_and_hours,
            "conditions": self.conditions,
            "materials": list(self.materials),
            "steps": list(self.steps),
            "fees": self.fees,
            "legal_basis": self.legal_basis,
            "consult_phone": self.consult_phone,
            "complaint_phone": self.complaint_phone,
            "visit_count": self.visit_count,
            "talent_categories": [{"id": c.pk, "code": c.code, "name": c.name} for c in categories],
            "card_kinds": self.card_kinds,
        }

    def check_open_to(self, talent, *, card_kind=None) -> "Openness":
        """Whether ``talent`` (showing ``card_kind``) may use this item, judged on the published version:
        what is still in the making does not bind the departments yet."""
        if self.published_version_id is None:
            return Openness(False, gettext("该事项尚未公布。"))
        return self.published_version.check_open_to(talent, card_kind=card_kind)

    def is_open_to(self, talent, card_kind=None) -> bool:
        return bool(self.check_open_to(talent, card_kind=card_kind))


def clean_materials(materials) -> list[dict]:
    """The structured list of application materials: name, required?, copies, notes (and key)."""
    if materials in (None, ""):
        return []
    if not isinstance(materials, list):
        raise ValidationError(gettext("申请材料应为清单。"))
    if len(materials) > MAX_MATERIALS:
        raise ValidationError(gettext("申请材料不能超过%(max)d项。") % {"max": MAX_MATERIALS})
    cleaned, names, keys = [], set(), set()
    for index, material in enumerate(materials, start=1):
        if not isinstance(material, dict):
            raise ValidationError(gettext("第%(n)d项材料格式不正确。") % {"n": index})
        name = str(material.get("name") or "").strip()
        if not name:
            raise ValidationError(gettext("第%(n)d项材料缺少名称。") % {"n": index})
        if len(name) > 100:
            raise ValidationError(gettext("第%(n)d项材料名称不能超过100个字。") % {"n": index})
        if name in names:
            raise ValidationError(gettext("材料“%(name)s”重复出现。") % {"name": name})
        names.add(name)
        copies = material.get("copies", 1)
        if not isinstance(copies, int) or isinstance(copies, bool) or not 1 <= copies <= MAX_COPIES:
            raise ValidationError(
                gettext("材料“%(name)s”的份数应为1到%(max)d之间的整数。") % {"name": name, "max": MAX_COPIES}
            )
        row = {
            "name": name,
            "required": bool(material.get("required", True)),
            "copies": copies,
            "notes": str(material.get("notes") or "").strip()[:200],
        }
        key = material.get("key")
        if key:
            if key in keys:
                raise ValidationError(gettext("材料编号“%(key)s”重复。") % {"key": key})
            keys.add(key)
            row = {"key": str(key), **row}
        cleaned.append(row)
    return cleaned


def clean_steps(steps) -> list[str]:
    """The steps of the procedure (办理流程), in order, one short text each."""
    if steps in (None, ""):
        return []
    if not isinstance(steps, list):
        raise ValidationError(gettext("办理流程应为步骤清单。"))
    cleaned = [str(step).strip() for step in steps if str(step).strip()]
    if len(cleaned) > MAX_STEPS:
        raise ValidationError(gettext("办理流程不能超过%(max)d个环节。") % {"max": MAX_STEPS})
    for step in cleaned:
        if len(step) > 200:
            raise ValidationError(gettext("每个办理环节不能超过200个字。"))
    return cleaned


@dataclass(frozen=True)
class Openness:
    """The answer to "is this item open to this talent and card", with the reason when it is not."""

    is_open: bool
    reason: str = ""

    def __bool__(self):
        return self.is_open


@dataclass(frozen=True)
class Reform:
    """W7 reform results between two versions; positive numbers are cuts, negative ones additions."""

    days_cut: int
    steps_cut: int
    materials_cut: int
    visits_cut: int

    @property
    def is_any_cut(self) -> bool:
        return any(
            value > 0 for value in (self.days_cut, self.steps_cut, self.materials_cut, self.visits_cut)
        )

    def describe(self) -> list[tuple[str, bool]]:
        """The figures as short phrases for the public, each with whether it is a cut."""
        phrases = []
        for value, cut, added in (
            (self.days_cut, gettext("减时限%(n)d个工作日"), gettext("增加时限%(n)d个工作日")),
            (self.steps_cut, gettext("减环节%(n)d个"), gettext("增加环节%(n)d个")),
            (self.materials_cut, gettext("减材料%(n)d项"), gettext("增加材料%(n)d项")),
            (self.visits_cut, gettext("减跑动%(n)d次"), gettext("增加跑动%(n)d次")),
        ):
            if value > 0:
                phrases.append((cut % {"n": value}, True))
            elif value < 0:
                phrases.append((added % {"n": -value}, False))
        return phrases


def effective_days(version) -> int:
    """The committed limit a talent waits; a direct item without one is served on the spot (W12)."""
    if version.committed_days is not None:
        return version.committed_days
    return 0


def compute_reform(before, after) -> Reform:
    """减时限、减环节、减材料、减跑动 (W7) from ``before`` to ``after`` (two versions, or anything with
    committed_days, step_count, material_count and visit_count).

    - days: the committed limit in working days (what the talent actually waits; a direct item counts 0);
    - steps: the number of steps of the procedure;
    - materials: the number of *required* materials (making one optional, 容缺, is a cut);
    - visits: the number of times the talent must come in person.
    """
    return Reform(
        days_cut=effective_days(before) - effective_days(after),
        steps_cut=before.step_count - after.step_count,
        materials_cut=before.material_count - after.material_count,
        visits_cut=before.visit_count - after.visit_count,
    )


# A search is a few words; more would only make the query slower, never the answer better.
MAX_SEARCH_TERMS = 5
WORD = re.compile(r"\w+")

CATEGORY_RANK = models.Case(
    *[models.When(category=value, then=models.Value(rank)) for rank, value in enumerate(Category.values)],
    default=models.Value(len(Category.values)),
    output_field=models.IntegerField(),
)


def search_terms(text: str) -> list[str]:
    """The words of a search string: punctuation and spaces separate words and are dropped."""
    return WORD.findall(text or "")[:MAX_SEARCH_TERMS]


class ServiceItemVersionQuerySet(models.QuerySet):
    def published(self):
        """The versions talents see now: the current publication of each item."""
        return self.filter(published_item__isnull=False)

    def matching(self, data):
        """The filters shared by the public page and the API: category, mode, department, and a plain
        substring search (every word must occur in the name or the guide).

        A search string with no word in it (only punctuation) finds nothing rather than everything.
        """
        versions = self
        if data.get("category"):
            versions = versions.filter(category=data["category"])
        if data.get("mode"):
            versions = versions.filter(mode=data["mode"])
        if data.get("department"):
            versions = versions.filter(department=data["department"])
        text = (data.get("q") or "").strip()
        if text:
            terms = search_terms(text)
            if not terms:
                return versions.none()
            for term in terms:
                versions = versions.filter(search_text__icontains=term)
        return versions

    def in_catalogue_order(self):
        """By category in the order the catalogue lists them, then by code."""
        return self.annotate(category_rank=CATEGORY_RANK).order_by("category_rank", "code")

    def update(self, **kwargs):
        # The snapshot is immutable; only the publication stamp may be written, once, by the actions.
        allowed = {"published_at", "published_by", "days_cut", "steps_cut", "materials_cut", "visits_cut"}
        if set(kwargs) - allowed:
            raise PermissionError("service item versions are immutable")
        return super().update(**kwargs)

    def delete(self):
        raise PermissionError("service item versions are immutable")


class ServiceItemVersion(models.Model):
    """An immutable snapshot of a whole item, numbered 1, 2, 3… per item, with who, when and why.

    The columns the public catalogue filters and searches on are copied out of the snapshot; the rest is
    in ``data``. When a version is published, the acknowledge/publish action stamps it once with the time,
    the person and the reform figures against the previously published version (W7: 改革成果面向社会公布).
    """

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    created_at = models.DateTimeField(_("修改时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="service_item_versions",
    )
    reason = models.CharField(_("修改原因"), max_length=200)
    code = models.CharField(_("事项编码"), max_length=30)
    name = models.CharField(_("事项名称"), max_length=100)
    category = models.CharField(_("事项类别"), max_length=20, choices=Category.choices)
    mode = models.CharField(_("服务方式"), max_length=20, choices=ServiceMode.choices)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="service_item_versions",
    )
    level = models.CharField(_("事项层级"), max_length=10, choices=OrgLevel.choices)
    division = models.ForeignKey(
        "org.Division",
        verbose_name=_("所属县区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_item_versions",
    )
    legal_days = models.IntegerField(_("法定时限（工作日）"), null=True, blank=True)
    committed_days = models.IntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    step_count = models.PositiveSmallIntegerField(_("环节数"))
    material_count = models.PositiveSmallIntegerField(_("必交材料数"))
    visit_count = models.PositiveSmallIntegerField(_("到现场次数"))
    search_text = models.TextField(_("检索文本"), blank=True)
    data = models.JSONField(_("事项快照"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_service_item_versions",
    )
    days_cut = models.IntegerField(_("减时限（工作日）"), null=True, blank=True)
    steps_cut = models.IntegerField(_("减环节"), null=True, blank=True)
    materials_cut = models.IntegerField(_("减材料"), null=True, blank=True)
    visits_cut = models.IntegerField(_("减跑动"), null=True, blank=True)

    objects = ServiceItemVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务事项版本")
        verbose_name_plural = _("服务事项版本")
        ordering = ["item_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"],
                name="unique_item_version_number",
                violation_error_message=_("该事项已有同号版本。"),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="item_version_number_positive",
                violation_error_message=_("版本号从1开始。"),
            ),
        ]

    def __str__(self):
        return f"{self.code} v{self.number}"

    def save(self, *args, **kwargs):
        # Written once: a snapshot that could be rewritten would prove nothing.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("service item versions are immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("catalogue:detail", args=[self.code])

    def delete(self, *args, **kwargs):
        raise PermissionError("service item versions are immutable")

    @classmethod
    def capture(cls, item, *, number, by, at, reason) -> "ServiceItemVersion":
        """Build (unsaved) the version ``number`` of ``item`` as it stands."""
        data = item.snapshot()
        return cls(
            item=item,
            number=number,
            created_at=at,
            created_by=by,
            reason=reason,
            code=item.code,
            name=item.name,
            category=item.category,
            mode=item.mode,
            department_id=item.department_id,
            level=item.level,
            division_id=item.division_id,
            legal_days=item.legal_days,
            committed_days=item.committed_days,
            step_count=len(data["steps"]),
            material_count=sum(1 for m in data["materials"] if m["required"]),
            visit_count=item.visit_count,
            search_text=search_text_of(data),
            data=data,
        )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def reform(self) -> Reform | None:
        """The published reform figures against the previous publication; None for a first publication."""
        if self.days_cut is None:
            return None
        return Reform(self.days_cut, self.steps_cut, self.materials_cut, self.visits_cut)

    @property
    def limit_cut(self) -> int | None:
        """Working days the committed limit is shorter than the legal one."""
        if self.legal_days is None or self.committed_days is None:
            return None
        return self.legal_days - self.committed_days

    @property
    def card_kind_labels(self) -> list[str]:
        return [str(CardKind(kind).label) for kind in self.data.get("card_kinds", [])]

    @property
    def required_materials(self) -> list[dict]:
        return [m for m in self.data.get("materials", []) if m.get("required")]

    def check_open_to(self, talent, *, card_kind=None) -> Openness:
        """W12: a talent may use the item when their category is among the item's (none listed = all),
        a county item serves the talents of its own county, and, when the item names cards, the talent
        shows one of them. The card's own validity (dates, status) is checked where it is shown."""
        categories = self.data.get("talent_categories") or []
        if categories and talent.category_id not in {c["id"] for c in categories}:
            return Openness(False, gettext("该事项不面向此人才类别。"))
        if self.division_id is not None and talent.home_window.division_id != self.division_id:
            return Openness(
                False,
                gettext("该事项为%(division)s事项，仅面向该县区的人才。")
                % {"division": self.data["division"]["name"]},
            )
        card_kinds = self.data.get("card_kinds") or []
        if card_kinds:
            if card_kind is None:
                labels = "或".join(str(CardKind(kind).label) for kind in card_kinds)
                return Openness(False, gettext("请出示%(cards)s。") % {"cards": labels})
            if card_kind not in card_kinds:
                label = CardKind(card_kind).label if card_kind in CardKind.values else str(card_kind)
                return Openness(False, gettext("该事项不适用%(card)s。") % {"card": label})
        return Openness(True)


_SPACE = re.compile(r"\s+")


def search_text_of(data: dict) -> str:
    """What a plain substring search looks through: name, content, guide, department and institutions."""
    parts = [
        data["code"],
        data["name"],
        data["content"],
        data["department"]["name"],
        *(org["name"] for org in data["undertaking_orgs"]),
        data["conditions"],
        data["location_and_hours"],
        *(m["name"] for m in data["materials"]),
        *data["steps"],
        data["legal_basis"],
    ]
    return _SPACE.sub(" ", " ".join(p for p in parts if p)).strip()


class ServiceItemEvent(Event):
    """One filing transition of an item (W7 报备): who, when, from which status to which, and why."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="events"
    )
    version = models.ForeignKey(
        ServiceItemVersion,
        verbose_name=_("版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=FilingStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=FilingStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="service_item_events",
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("服务事项备案记录")
        verbose_name_plural = _("服务事项备案记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.item.code} {self.from_status or '—'}→{self.to_status} #{self.pk}"
