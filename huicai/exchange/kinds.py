"""The exchange format: the kinds of data a city brings in and takes out, their Chinese headers, and the
mapping of one row to one record (issue 11 part 1; the provincial exchange of W15 builds on it).

A row is a dict keyed by the Chinese header. Each kind knows its columns, how a row finds the record it
stands for (by the keyed hash of the ID number, the credit code, the card number or the login: never by a
name), what it would change, and which existing action writes it, so every rule of the domain applies to an
imported row exactly as to a typed one.

The public functions are stable, other code builds on them:

- ``export_rows(kind, user, *, reveal=False)``: the user's jurisdiction as rows by header;
- ``plan_import(kind, rows, *, user, at)``: a dry run, writing nothing, one ``RowResult`` per row;
- ``apply_import(kind, rows, *, user, at, skip_errors=False)``: the same plan, then the writes (in
  ``huicai/exchange/actions.py``).
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huicai.accounts.roles import Role, get_scope
from huicai.core.masking import mask_id_number, mask_phone
from huicai.core.validators import (
    normalize_phone,
    normalize_resident_id,
    normalize_uscc,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)


class RowStatus(models.TextChoices):
    """What a confirmed import would do with a row (the dry run's verdict)."""

    CREATE = "create", gettext_lazy("新增")
    UPDATE = "update", gettext_lazy("更新")
    UNCHANGED = "unchanged", gettext_lazy("不变")
    ERROR = "error", gettext_lazy("错误")


@dataclass(frozen=True)
class Column:
    """One column of a kind's template: its Chinese header, whether a row must fill it, and the line the
    instruction sheet shows for it."""

    header: str
    required: bool = False
    note: str = ""


@dataclass
class RowResult:
    """The verdict on one data row: ``line`` is the spreadsheet's row number (the header is row 1).

    ``errors`` are (column header, Chinese reason) pairs; a reason never repeats a personal value, since
    the report is stored and downloaded. ``changes`` maps a header to (old, new) display values, personal
    values masked. ``target`` and ``values`` are for the write and are not part of the report."""

    line: int
    status: str = RowStatus.UNCHANGED
    key: str = ""
    errors: list = field(default_factory=list)
    changes: dict = field(default_factory=dict)
    target: object = None
    values: dict = field(default_factory=dict)

    def error(self, column: str, reason) -> None:
        self.errors.append((column, str(reason)))
        self.status = RowStatus.ERROR

    def as_report(self) -> dict:
        return {
            "line": self.line,
            "status": str(self.status),
            "key": self.key,
            "errors": [list(e) for e in self.errors],
            "changes": {k: list(v) for k, v in self.changes.items()},
        }


@dataclass
class ImportPlan:
    """A dry run's result for a whole file: one result per data row, and what is wrong with the file as a
    whole (a required column missing: then no row is looked at)."""

    kind: str
    rows: list = field(default_factory=list)
    unknown_columns: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.status == RowStatus.ERROR for r in self.rows)

    @property
    def counts(self) -> dict:
        counts = {status.value: 0 for status in RowStatus}
        for row in self.rows:
            counts[str(row.status)] += 1
        return counts

    def as_report(self) -> dict:
        return {
            "kind": self.kind,
            "counts": self.counts,
            "unknown_columns": list(self.unknown_columns),
            "file_errors": list(self.file_errors),
            "rows": [r.as_report() for r in self.rows],
        }


class ExchangeError(ValidationError):
    """An import or export the rules refuse as a whole (not your jurisdiction, a file with error rows)."""


# --- Shared helpers. ---

YES = {"是", "Y", "YES", "TRUE", "1", "有效"}
NO = {"否", "N", "NO", "FALSE", "0", "停用", "无效"}


def text(row: dict, header: str) -> str:
    value = row.get(header)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    value = str(value).strip()
    # An export's CSV guards a formula-like value with a quote (files.FORMULA_STARTS): undone here.
    if value[:2] in ("'=", "'@"):
        value = value[1:]
    return value


def parse_date(value: str) -> datetime.date:
    cleaned = value.strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_bool(value: str, *, default: bool) -> bool:
    if not value:
        return default
    upper = value.upper()
    if upper in YES:
        return True
    if upper in NO:
        return False
    raise ValueError(value)


class Context:
    """What every row of one import or export needs, looked up once: the user's scope and jurisdiction,
    and the reference data rows name (windows, categories, employers) keyed the way rows name them."""

    def __init__(self, user, at):
        from huicai.org.models import Window

        self.user = user
        self.at = at
        self.today = timezone.localdate(at) if at else timezone.localdate()
        self.scope = get_scope(user)
        all_windows = list(Window.objects.select_related("division"))
        if self.scope.is_superuser:
            self.windows = all_windows
        else:
            paths = self.scope.window_paths
            self.windows = [w for w in all_windows if any(w.path.startswith(p) for p in paths)]
        self.window_ids = {w.pk for w in self.windows}
        self.windows_by_name = {w.name: w for w in all_windows}
        # A division code names its county (or city, zone) window: the highest window of that division.
        self.windows_by_code = {}
        for window in sorted(all_windows, key=lambda w: w.path.count("/")):
            self.windows_by_code.setdefault(window.division.code, window)
        self.division_ids = {w.division_id for w in self.windows}
        self.is_city_wide = self.scope.is_superuser or any(
            w.parent_id is None for w in all_windows if w.path in self.scope.window_paths
        )
        self._employers = None
        self._categories = None
        self._talent_ids = None
        self._unit_posts = None

    @property
    def may_exchange(self) -> bool:
        # W3: window staff keep the records of their jurisdiction; the system administrator too.
        return self.scope.is_superuser or Role.WINDOW in self.scope.roles

    def in_jurisdiction(self, window) -> bool:
        return window is not None and window.pk in self.window_ids

    def window(self, value: str):
        """A window named by its name or by its division's code; None when there is none."""
        return self.windows_by_name.get(value) or self.windows_by_code.get(value)

    @property
    def employers(self) -> dict:
        if self._employers is None:
            from huicai.org.models import Employer

            self._employers = {e.credit_code: e for e in Employer.objects.select_related("window")}
        return self._employers

    @property
    def categories(self) -> dict:
        if self._categories is None:
            from huicai.talents.models import TalentCategory

            self._categories = {}
            for category in TalentCategory.objects.filter(is_active=True):
                self._categories[category.code.upper()] = category
                self._categories[category.name] = category
        return self._categories

    @property
    def talent_ids(self) -> dict:
        """Every talent's ID-number hash → pk, read once: a 20,000-row file asks the database about the
        rows it updates, not about every row."""
        if self._talent_ids is None:
            from huicai.talents.models import Talent

            self._talent_ids = dict(Talent.objects.values_list("id_number_hash", "pk"))
        return self._talent_ids

    def existing_talent(self, id_number: str):
        from huicai.core.crypto import lookup_hash
        from huicai.talents.models import Talent

        pk = self.talent_ids.get(lookup_hash(id_number, purpose="id_number"))
        if pk is None:
            return None
        return Talent.objects.select_related("home_window", "employer", "category").get(pk=pk)

    def unit_post(self, login: str, employer):
        """The active unit post of the person ``login`` at ``employer``, or None (all read once)."""
        if self._unit_posts is None:
            from huicai.commissioners.choices import PostKind
            from huicai.commissioners.models import Post

            posts = Post.objects.active_at(self.at).filter(kind=PostKind.UNIT).select_related("user")
            self._unit_posts = {(p.user.username, p.employer_id): p for p in posts}
        return self._unit_posts.get((login, employer.pk))

    def category(self, value: str):
        return self.categories.get(value.upper()) or self.categories.get(value)


def id_number_cell(result: RowResult, row: dict, header: str = "公民身份号码") -> str | None:
    """The ID number of a row, normalised; None (and an error) when Excel stored it as a number, which
    keeps 15 significant digits: the last ones are lost, and no check digit could tell which."""
    if isinstance(row.get(header), int | float):
        result.error(header, _("该单元格是数字格式，18位号码已丢失末几位：请将此列设为文本格式后重新填写。"))
        return None
    return normalize_resident_id(text(row, header))


def resolve_window(result: RowResult, ctx: Context, header: str, value: str):
    window = ctx.window(value)
    if window is None:
        result.error(header, _("找不到该服务窗口，请填写窗口名称或区划代码。"))
        return None
    if not ctx.in_jurisdiction(window):
        result.error(header, _("该窗口不在您的辖区内。"))
        return None
    return window


def resolve_employer(result: RowResult, ctx: Context, header: str, value: str):
    code = normalize_uscc(value)
    employer = ctx.employers.get(code)
    if employer is None:
        result.error(header, _("找不到该统一社会信用代码的用人单位，请先导入用人单位。"))
        return None
    if not ctx.in_jurisdiction(employer.window):
        result.error(header, _("该用人单位不在您的辖区内。"))
        return None
    return employer


def compare(result: RowResult, target, values: dict, labels: dict, display=None) -> None:
    """Fill ``result.changes`` with the fields whose value differs from ``target``'s, by header."""
    display = display or {}
    for name, new in values.items():
        old = getattr(target, name)
        if old != new:
            show = display.get(name, _display)
            result.changes[labels[name]] = (show(old), show(new))


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def finish(result: RowResult, *, creating: bool) -> None:
    if result.status == RowStatus.ERROR:
        return
    if creating:
        result.status = RowStatus.CREATE
    elif result.changes:
        result.status = RowStatus.UPDATE
    else:
        result.status = RowStatus.UNCHANGED


# --- The kinds. ---


class Kind:
    """One kind of data. Subclasses give the columns and the mapping of a row to a record."""

    code = ""
    label = ""
    columns: tuple = ()
    instructions: tuple = ()

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]

    def queryset(self, ctx: Context):  # pragma: no cover - abstract
        raise NotImplementedError

    def to_row(self, obj, ctx: Context, *, reveal: bool) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def plan_row(self, row: dict, result: RowResult, ctx: Context, seen: dict) -> None:  # pragma: no cover
        raise NotImplementedError

    def check_duplicate(self, result: RowResult, seen: dict, key: str, header: str) -> bool:
        """A second row for the same record in one file is an error: which one should win is not ours
        to guess."""
        if key in seen:
            result.error(header, _("与第%(line)d行重复。") % {"line": seen[key]})
            return True
        seen[key] = result.line
        return False


class EmployerKind(Kind):
    code = "employers"
    label = gettext_lazy("用人单位")
    columns = (
        Column("单位名称", True),
        Column("统一社会信用代码", True, "18位，含事业单位法人的统一社会信用代码（以1开头）。"),
        Column("属地窗口", True, "服务窗口名称，或窗口所在区划的6位代码（如 371302）。"),
        Column("地址"),
        Column("是否有效", False, "是/否，留空为是。"),
    )
    labels = {
        "name": "单位名称",
        "window": "属地窗口",
        "address": "地址",
        "is_active": "是否有效",
    }

    def queryset(self, ctx):
        from huicai.org.models import Employer

        return Employer.objects.filter(window_id__in=ctx.window_ids).select_related("window").order_by("pk")

    def to_row(self, obj, ctx, *, reveal):
        return {
            "单位名称": obj.name,
            "统一社会信用代码": obj.credit_code,
            "属地窗口": obj.window.name,
            "地址": obj.address,
            "是否有效": "是" if obj.is_active else "否",
        }

    def plan_row(self, row, result, ctx, seen):
        code = normalize_uscc(text(row, "统一社会信用代码"))
        result.key = code
        try:
            validate_uscc(code)
        except ValidationError as exc:
            result.error("统一社会信用代码", exc.messages[0])
            return
        if self.check_duplicate(result, seen, code, "统一社会信用代码"):
            return
        name = text(row, "单位名称")
        if not name:
            result.error("单位名称", _("单位名称不能为空。"))
        window = resolve_window(result, ctx, "属地窗口", text(row, "属地窗口"))
        try:
            is_active = parse_bool(text(row, "是否有效"), default=True)
        except ValueError:
            result.error("是否有效", _("请填写“是”或“否”。"))
            is_active = True
        existing = ctx.employers.get(code)
        if existing is not None and not ctx.in_jurisdiction(existing.window):
            result.error("统一社会信用代码", _("该单位已由其他辖区登记，不能在此导入。"))
        if result.status == RowStatus.ERROR:
            return
        result.values = {"name": name, "window": window, "address": text(row, "地址"), "is_active": is_active}
        result.target = existing
        if existing is not None:
            compare(result, existing, result.values, self.labels)
        finish(result, creating=existing is None)


class TalentKind(Kind):
    code = "talents"
    label = gettext_lazy("高层次人才")
    columns = (
        Column("姓名", True),
        Column("公民身份号码", True, "18位居民身份证号码，按号码匹配已登记的人才；请将此列设为文本格式。"),
        Column("手机号码", True),
        Column("人才类别", True, "类别代码（如 B）或名称（如 国家级领军人才）。"),
        Column("用人单位统一社会信用代码", True, "用人单位须已登记（可先导入用人单位）。"),
        Column("属地窗口", True, "服务窗口名称，或窗口所在区划的6位代码（如 371302）。"),
        Column("单位专员账号", False, "可选：该单位在岗单位专员的登录账号，作为人才的一对一联系人。"),
    )
    labels = {
        "name": "姓名",
        "mobile": "手机号码",
        "category": "人才类别",
        "employer": "用人单位统一社会信用代码",
        "home_window": "属地窗口",
    }

    def queryset(self, ctx):
        from huicai.commissioners.models import UnitAssignment
        from huicai.talents.models import Talent

        return (
            Talent.objects.filter(home_window_id__in=ctx.window_ids)
            .select_related("category", "employer", "home_window")
            .prefetch_related(
                models.Prefetch(
                    "unit_assignments",
                    queryset=UnitAssignment.objects.open().select_related("post__user"),
                    to_attr="open_assignments",
                )
            )
            .order_by("pk")
        )

    def to_row(self, obj, ctx, *, reveal):
        assignment = obj.open_assignments[0] if obj.open_assignments else None
        return {
            "姓名": obj.name,
            "公民身份号码": obj.id_number if reveal else mask_id_number(obj.id_number),
            "手机号码": obj.mobile if reveal else mask_phone(obj.mobile),
            "人才类别": obj.category.code,
            "用人单位统一社会信用代码": obj.employer.credit_code,
            "属地窗口": obj.home_window.name,
            "单位专员账号": assignment.post.user.username if assignment else "",
        }

    def plan_row(self, row, result, ctx, seen):

        id_number = id_number_cell(result, row)
        if id_number is None:
            return
        result.key = mask_id_number(id_number)
        if "*" in id_number:
            result.error("公民身份号码", _("证件号码是脱敏后的值，无法导入；请导出完整信息后再编辑。"))
            return
        try:
            validate_resident_id(id_number, today=ctx.today)
        except ValidationError as exc:
            result.error("公民身份号码", "；".join(exc.messages))
            return
        if self.check_duplicate(result, seen, id_number, "公民身份号码"):
            return
        existing = ctx.existing_talent(id_number)
        if existing is not None and not ctx.in_jurisdiction(existing.home_window):
            result.error("公民身份号码", _("该人才已由其他辖区登记，不能在此导入。"))
            return
        name = text(row, "姓名")
        if not name:
            result.error("姓名", _("姓名不能为空。"))
        mobile = normalize_phone(text(row, "手机号码"))
        if not mobile:
            result.error("手机号码", _("手机号码不能为空。"))
        elif "*" in mobile:
            result.error("手机号码", _("手机号码是脱敏后的值，无法导入；请导出完整信息后再编辑。"))
        else:
            try:
                validate_mobile(mobile)
            except ValidationError as exc:
                result.error("手机号码", exc.messages[0])
        category = ctx.category(text(row, "人才类别"))
        if category is None:
            result.error("人才类别", _("找不到该人才类别，请填写类别代码或名称。"))
        employer = resolve_employer(
            result, ctx, "用人单位统一社会信用代码", text(row, "用人单位统一社会信用代码")
        )
        window = resolve_window(result, ctx, "属地窗口", text(row, "属地窗口"))
        post = None
        login = text(row, "单位专员账号")
        if login and employer is not None:
            post = ctx.unit_post(login, employer)
            if post is None:
                result.error("单位专员账号", _("该账号不是此用人单位在岗的单位专员。"))
        if result.status == RowStatus.ERROR:
            return
        result.values = {
            "name": name,
            "mobile": mobile,
            "category": category,
            "employer": employer,
            "home_window": window,
        }
        result.target = existing
        if existing is not None:
            compare(result, existing, result.values, self.labels, display=TALENT_DISPLAY)
        # The pairing is its own action (S6), written after the talent: kept apart from the fields.
        result.values["unit_post"] = post
        if existing is None:
            result.values["id_number"] = id_number
        current = current_assignment(existing)
        if post is not None and (current is None or current.post_id != post.pk):
            if current is not None and current.active_from >= ctx.at:
                result.error("单位专员账号", _("更换时间不能早于当前对接的起始时间。"))
                return
            result.changes["单位专员账号"] = (current.post.user.username if current else "", login)
        finish(result, creating=existing is None)


TALENT_DISPLAY = {
    "mobile": mask_phone,
    "employer": lambda e: e.credit_code if e else "",
    "category": lambda c: c.code if c else "",
}


def current_assignment(talent):
    """The talent's open one-to-one assignment (S6), with its commissioner's login, or None."""
    if talent is None:
        return None
    return talent.unit_assignments.open().select_related("post__user").first()


class CardKindRows(Kind):
    code = "cards"
    label = gettext_lazy("惠才卡")
    columns = (
        Column("卡号", True, "按卡号匹配已登记的人才卡。"),
        Column("卡类", True, "山东惠才卡 或 沂蒙惠才卡。"),
        Column("公民身份号码", True, "持卡人才的居民身份证号码，人才须已登记。"),
        Column("等级"),
        Column("发卡日期", True, "如 2026-01-10。"),
        Column("有效期至", True, "如 2028-01-09。"),
        Column("状态", False, "有效/已过期/已撤销/已挂失，留空为有效。"),
    )

    def queryset(self, ctx):
        from huicai.talents.models import TalentCard

        return (
            TalentCard.objects.filter(talent__home_window_id__in=ctx.window_ids)
            .select_related("talent")
            .order_by("pk")
        )

    def to_row(self, obj, ctx, *, reveal):
        id_number = obj.talent.id_number
        return {
            "卡号": obj.number,
            "卡类": obj.get_kind_display(),
            "公民身份号码": id_number if reveal else mask_id_number(id_number),
            "等级": obj.level,
            "发卡日期": obj.issued_date.isoformat(),
            "有效期至": obj.valid_until_date.isoformat(),
            "状态": obj.get_status_display(),
        }

    def plan_row(self, row, result, ctx, seen):
        from huicai.talents.choices import CardKind, CardStatus
        from huicai.talents.models import TalentCard

        number = text(row, "卡号")
        result.key = number
        if not number:
            result.error("卡号", _("卡号不能为空。"))
            return
        if self.check_duplicate(result, seen, number, "卡号"):
            return
        kinds = {str(label): value for value, label in CardKind.choices}
        kind = kinds.get(text(row, "卡类"))
        if kind is None:
            result.error("卡类", _("卡类应为“山东惠才卡”或“沂蒙惠才卡”。"))
        statuses = {str(label): value for value, label in CardStatus.choices}
        status = statuses.get(text(row, "状态") or str(CardStatus.VALID.label))
        if status is None:
            result.error("状态", _("状态应为“有效”“已过期”“已撤销”或“已挂失”。"))
        dates = {}
        for header in ("发卡日期", "有效期至"):
            try:
                dates[header] = parse_date(text(row, header))
            except ValueError:
                result.error(header, _("日期格式不正确，请填写如 2026-01-10。"))
        if len(dates) == 2 and dates["有效期至"] < dates["发卡日期"]:
            result.error("有效期至", _("有效期截止日期不能早于发卡日期。"))
        id_number = id_number_cell(result, row)
        talent = None
        if id_number is None:
            pass
        elif "*" in id_number or not id_number:
            result.error("公民身份号码", _("请填写持卡人才完整的居民身份证号码。"))
        else:
            talent = ctx.existing_talent(id_number)
            if talent is None or not ctx.in_jurisdiction(talent.home_window):
                result.error("公民身份号码", _("辖区内没有登记该证件号码的人才。"))
        existing = TalentCard.objects.filter(number=number).select_related("talent__home_window").first()
        if existing is not None and not ctx.in_jurisdiction(existing.talent.home_window):
            result.error("卡号", _("该卡号已由其他辖区登记，不能在此导入。"))
        if (
            existing is None
            and talent is not None
            and status == CardStatus.VALID
            and talent.cards.filter(kind=kind, status=CardStatus.VALID).exists()
        ):
            result.error("卡类", _("该人才已有一张同类的有效人才卡。"))
        if result.status == RowStatus.ERROR:
            return
        result.target = existing
        result.values = {
            "talent": talent,
            "kind": kind,
            "level": text(row, "等级"),
            "issued_date": dates["发卡日期"],
            "valid_until_date": dates["有效期至"],
            "status": status,
        }
        if existing is not None:
            # A card's holder, kind and dates are its identity: a changed one is a new card, not an edit.
            for name, header in (
                ("talent", "公民身份号码"),
                ("kind", "卡类"),
                ("issued_date", "发卡日期"),
                ("valid_until_date", "有效期至"),
            ):
                if getattr(existing, name) != result.values[name]:
                    result.error(header, _("已登记的人才卡不能修改持卡人、卡类或日期；请发新卡。"))
            if result.status == RowStatus.ERROR:
                return
            if existing.level != result.values["level"]:
                result.changes["等级"] = (existing.level, result.values["level"])
            if existing.status != status:
                from huicai.talents.actions import ALLOWED_CARD_CHANGES

                if CardStatus(status) not in ALLOWED_CARD_CHANGES[CardStatus(existing.status)]:
                    result.error(
                        "状态",
                        _("人才卡状态不能从“%(old)s”改为“%(new)s”。")
                        % {"old": existing.get_status_display(), "new": CardStatus(status).label},
                    )
                    return
                result.changes["状态"] = (existing.get_status_display(), str(CardStatus(status).label))
        finish(result, creating=existing is None)


class CommissionerKind(Kind):
    code = "commissioners"
    label = gettext_lazy("专员及岗位")
    columns = (
        Column("账号", True, "登录账号；账号不存在时新建（需本人设置密码后登录）。"),
        Column("姓名", True),
        Column("手机号码"),
        Column("专员类别", True, "单位专员/部门专员/承办专员/窗口专员。"),
        Column(
            "所属单位",
            True,
            "单位专员填用人单位统一社会信用代码；部门专员填主管部门名称；承办专员填承办机构名称；"
            "窗口专员填服务窗口名称或区划代码。",
        ),
        Column("职务"),
        Column("办公电话"),
        Column("是否专职", False, "是/否，留空为是。"),
    )
    labels = {"position": "职务", "office_phone": "办公电话", "is_full_time": "是否专职"}

    def queryset(self, ctx):
        from django.db.models import Q

        from huicai.commissioners.models import Post

        condition = Q(window_id__in=ctx.window_ids) | Q(employer__window_id__in=ctx.window_ids)
        if ctx.is_city_wide:
            condition |= Q(department__isnull=False) | Q(undertaking_org__isnull=False)
        else:
            condition |= Q(department__division_id__in=ctx.division_ids)
            condition |= Q(undertaking_org__division_id__in=ctx.division_ids)
        return (
            Post.objects.active_at(ctx.at)
            .filter(condition)
            .select_related("user", "employer", "department", "undertaking_org", "window")
            .order_by("pk")
        )

    def to_row(self, obj, ctx, *, reveal):
        organisation = {
            "unit": lambda: obj.employer.credit_code,
            "department": lambda: obj.department.name,
            "undertaking": lambda: obj.undertaking_org.name,
            "window": lambda: obj.window.name,
        }[obj.kind]()
        return {
            "账号": obj.user.username,
            "姓名": obj.user.full_name,
            "手机号码": obj.user.mobile if reveal else mask_phone(obj.user.mobile),
            "专员类别": obj.get_kind_display(),
            "所属单位": organisation,
            "职务": obj.position,
            "办公电话": obj.office_phone,
            "是否专职": "是" if obj.is_full_time else "否",
        }

    def organisation(self, result, ctx, kind, value):
        from huicai.commissioners.choices import PostKind
        from huicai.org.models import Department, UndertakingOrg

        if kind == PostKind.UNIT:
            return resolve_employer(result, ctx, "所属单位", value)
        if kind == PostKind.WINDOW:
            return resolve_window(result, ctx, "所属单位", value)
        model = Department if kind == PostKind.DEPARTMENT else UndertakingOrg
        found = list(model.objects.filter(name=value)[:2])
        if len(found) != 1:
            result.error("所属单位", _("找不到该名称的主管部门或承办机构，或名称不唯一。"))
            return None
        if not (ctx.is_city_wide or found[0].division_id in ctx.division_ids):
            result.error("所属单位", _("该部门或机构不在您的辖区内。"))
            return None
        return found[0]

    def plan_row(self, row, result, ctx, seen):
        from huicai.accounts.models import User
        from huicai.commissioners.choices import PostKind
        from huicai.commissioners.models import Post

        login = text(row, "账号")
        result.key = login
        if not login:
            result.error("账号", _("账号不能为空。"))
            return
        kinds = {str(label): value for value, label in PostKind.choices}
        kind = kinds.get(text(row, "专员类别"))
        if kind is None:
            result.error("专员类别", _("专员类别应为单位专员、部门专员、承办专员或窗口专员。"))
            return
        organisation = self.organisation(result, ctx, kind, text(row, "所属单位"))
        if organisation is None:
            return
        if self.check_duplicate(result, seen, (login, kind, organisation.pk), "账号"):
            return
        full_name = text(row, "姓名")
        if not full_name:
            result.error("姓名", _("姓名不能为空。"))
        mobile = normalize_phone(text(row, "手机号码"))
        if mobile and "*" not in mobile:
            try:
                validate_mobile(mobile)
            except ValidationError as exc:
                result.error("手机号码", exc.messages[0])
        try:
            is_full_time = parse_bool(text(row, "是否专职"), default=True)
        except ValueError:
            result.error("是否专职", _("请填写“是”或“否”。"))
            is_full_time = True
        user = User.objects.filter(username=login).first()
        if user is not None and user.is_superuser:
            result.error("账号", _("系统管理员账号不能作为专员导入。"))
        if result.status == RowStatus.ERROR:
            return
        field_name = {
            PostKind.UNIT: "employer",
            PostKind.DEPARTMENT: "department",
            PostKind.UNDERTAKING: "undertaking_org",
            PostKind.WINDOW: "window",
        }[PostKind(kind)]
        existing = None
        if user is not None:
            existing = (
                Post.objects.active_at(ctx.at)
                .filter(user=user, kind=kind, **{field_name: organisation})
                .first()
            )
        result.target = existing
        result.values = {
            "user": user,
            "login": login,
            "full_name": full_name,
            "mobile": "" if "*" in mobile else mobile,
            "kind": kind,
            "organisation": organisation,
            "position": text(row, "职务"),
            "office_phone": text(row, "办公电话"),
            "is_full_time": is_full_time,
        }
        if user is not None:
            if user.full_name != full_name:
                result.changes["姓名"] = (user.full_name, full_name)
            if result.values["mobile"] and user.mobile != result.values["mobile"]:
                result.changes["手机号码"] = (mask_phone(user.mobile), mask_phone(result.values["mobile"]))
        if existing is not None:
            compare(
                result,
                existing,
                {k: result.values[k] for k in ("position", "office_phone", "is_full_time")},
                self.labels,
            )
        finish(result, creating=existing is None)


class PairKind(Kind):
    code = "pairs"
    label = gettext_lazy("人才与单位专员对接")
    columns = (
        Column("公民身份号码", True, "人才的居民身份证号码，人才须已登记。"),
        Column("单位专员账号", True, "人才所在用人单位在岗单位专员的登录账号。"),
        Column("原因", False, "更换单位专员的原因，记入对接记录。"),
    )

    def queryset(self, ctx):
        from huicai.commissioners.models import UnitAssignment

        return (
            UnitAssignment.objects.open()
            .filter(talent__home_window_id__in=ctx.window_ids)
            .select_related("talent", "post__user")
            .order_by("pk")
        )

    def to_row(self, obj, ctx, *, reveal):
        id_number = obj.talent.id_number
        return {
            "公民身份号码": id_number if reveal else mask_id_number(id_number),
            "单位专员账号": obj.post.user.username,
            "原因": obj.reason,
        }

    def plan_row(self, row, result, ctx, seen):

        id_number = id_number_cell(result, row)
        if id_number is None:
            return
        result.key = mask_id_number(id_number)
        if "*" in id_number or not id_number:
            result.error("公民身份号码", _("请填写人才完整的居民身份证号码。"))
            return
        if self.check_duplicate(result, seen, id_number, "公民身份号码"):
            return
        talent = ctx.existing_talent(id_number)
        if talent is None or not ctx.in_jurisdiction(talent.home_window):
            result.error("公民身份号码", _("辖区内没有登记该证件号码的人才。"))
            return
        login = text(row, "单位专员账号")
        post = ctx.unit_post(login, talent.employer) if login else None
        if post is None:
            result.error("单位专员账号", _("该账号不是此人才所在用人单位在岗的单位专员。"))
            return
        result.target = talent
        result.values = {"post": post, "reason": text(row, "原因")}
        current = current_assignment(talent)
        if current is None or current.post_id != post.pk:
            if current is not None and current.active_from >= ctx.at:
                result.error("单位专员账号", _("更换时间不能早于当前对接的起始时间。"))
                return
            result.changes["单位专员账号"] = (current.post.user.username if current else "", login)
        finish(result, creating=current is None)


KINDS = {
    kind.code: kind for kind in (EmployerKind(), TalentKind(), CardKindRows(), CommissionerKind(), PairKind())
}


def get_kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise ExchangeError(_("不支持的数据类型：%(kind)s。") % {"kind": code}) from None


def get_context(user, at) -> Context:
    ctx = Context(user, at)
    if not ctx.may_exchange:
        raise ExchangeError(_("只有服务窗口工作人员可以导入或导出数据。"))
    return ctx


# --- The public functions. ---


def export_rows(kind, user, *, reveal=False, at=None) -> Iterator[dict]:
    """Every record of ``kind`` in the user's jurisdiction, as rows by header, in the import template's
    order. Personal values are masked unless ``reveal``; a revealing export is audited by its caller."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    ctx = get_context(user, at or timezone.now())
    for obj in kind.queryset(ctx).iterator(chunk_size=2000):
        yield kind.to_row(obj, ctx, reveal=reveal)


def plan_import(kind, rows: Iterable, *, user, at, progress=None) -> ImportPlan:
    """A dry run: the verdict on every row, writing nothing.

    ``rows`` yields dicts by header, or (line, dict) pairs (the readers in ``files.py`` give those, with
    the spreadsheet's own row numbers). Headers not in the template are reported, not silently dropped;
    a missing required header makes the whole file an error.
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    ctx = get_context(user, at)
    plan = ImportPlan(kind=kind.code)
    seen_headers: list[str] = []
    seen_keys: dict = {}
    known = set(kind.headers)
    for index, item in enumerate(rows):
        line, row = item if isinstance(item, tuple) else (index + 2, item)
        for header in row:
            if header not in seen_headers:
                seen_headers.append(header)
                if header not in known and header:
                    plan.unknown_columns.append(header)
        if index == 0:
            missing = [h for h in kind.required_headers if h not in row]
            if missing:
                plan.file_errors.append(_("缺少必填列：%(columns)s。") % {"columns": "、".join(missing)})
                return plan
        if not any(text(row, h) for h in row):
            continue
        result = RowResult(line=line)
        kind.plan_row(row, result, ctx, seen_keys)
        plan.rows.append(result)
        if progress is not None:
            progress(len(plan.rows))
    if not plan.rows and not plan.file_errors:
        plan.file_errors.append(_("文件中没有数据行。"))
    return plan


def apply_import(kind, rows: Iterable, *, user, at, skip_errors=False, progress=None) -> ImportPlan:
    """Plan, then write: all rows, or none when any row is an error, unless ``skip_errors``."""
    from huicai.exchange.actions import write_plan

    plan = plan_import(kind, rows, user=user, at=at)
    return write_plan(plan, user=user, at=at, skip_errors=skip_errors, progress=progress)
