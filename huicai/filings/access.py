"""Who may see and act on filings. Unseen is 404; seen but not yours to act on is 403.

Seeing a filing (W14, S18: filings travel up the window tree):
- a window's filing is seen by the filing window and every window above it (its chain up to the city);
- a unit report is seen by the unit commissioner who files it and by the window it is filed with and
  every window above that one;
- the system administrator sees all.

Inside a filing, a talent's name is shown to a viewer who may see that talent (``Talent.objects.visible_to``);
to anyone else it is masked. Snapshots carry no identity or phone numbers at all.

Acting: the filer (the unit commissioner's post, or a window commissioner of the filing window) writes
remarks and files; a window commissioner of the parent window accepts or returns.
"""

from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, any_of, get_scope, window_condition
from huicai.core.transitions import Step, StepTable
from huicai.filings.choices import AWAITING_REVIEW, FilingStatus
from huicai.filings.models import Filing
from huicai.talents.models import Talent


def filings_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A unit commissioner sees their own unit reports.
    if scope.unit_post_ids:
        conditions.append(Q(filer_post_id__in=scope.unit_post_ids))
    # A window sees the filings of windows in its subtree: its own, and those of the windows below it.
    by_filer = window_condition(scope, "filer_window__path")
    if by_filer is not None:
        conditions.append(by_filer)
    # A window sees the unit reports filed with it or with a window below it.
    by_receiver = window_condition(scope, "parent_window__path")
    if by_receiver is not None:
        conditions.append(Q(filer_post__isnull=False) & by_receiver)
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


FILING_RELATED = (
    "filer_window",
    "filer_post__user",
    "filer_post__employer",
    "parent_window",
)


def get_filing_for_user(user, pk):
    filing = Filing.objects.visible_to(user).filter(pk=pk).select_related(*FILING_RELATED).first()
    if filing is None:
        raise Http404
    return filing


def is_filer(user, filing, **context) -> bool:
    scope = get_scope(user)
    # A unit report is filed by the commissioner holding the post.
    if filing.filer_post_id:
        return filing.filer_post_id in scope.unit_post_ids
    # A window filing by a window commissioner of that window.
    return Role.WINDOW in scope.roles and filing.filer_window_id in scope.window_ids


def is_reviewer(user, filing, **context) -> bool:
    """A window commissioner of the window the filing is filed with."""
    scope = get_scope(user)
    return Role.WINDOW in scope.roles and filing.parent_window_id in scope.window_ids


FILING_STEPS = StepTable(
    [
        Step("remarks", "保存说明", (FilingStatus.DRAFT, FilingStatus.RETURNED), is_filer),
        Step(
            "file",
            "报送",
            (FilingStatus.DRAFT,),
            is_filer,
            refusal="当前状态为“%(status)s”，不能报送（可能已被他人报送，请刷新）。",
        ),
        Step(
            "refile",
            "修改后重新报送",
            (FilingStatus.RETURNED,),
            is_filer,
            refusal="当前状态为“%(status)s”，只有被退回的备案可以重新报送。",
        ),
        Step(
            "accept",
            "接收",
            tuple(AWAITING_REVIEW),
            is_reviewer,
            refusal="当前状态为“%(status)s”，不能接收（可能已被他人处理，请刷新）。",
        ),
        Step(
            "return",
            "退回",
            tuple(AWAITING_REVIEW),
            is_reviewer,
            refusal="当前状态为“%(status)s”，不能退回（可能已被他人处理，请刷新）。",
        ),
    ]
)


def mask_name(name: str) -> str:
    """李明 → 李*, 欧阳娜娜 → 欧***: the family name's first character only."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def names_for(user, talent_rows) -> dict:
    """{talent id: the name as ``user`` may see it} for the snapshot rows of one page: in full for the
    talents they may see, masked for the others. One query."""
    ids = [row["id"] for row in talent_rows]
    visible = set(Talent.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return {row["id"]: row["name"] if row["id"] in visible else mask_name(row["name"]) for row in talent_rows}


def is_window_staff(user) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or Role.WINDOW in scope.roles


def files_anything(user) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.unit_post_ids) or Role.WINDOW in scope.roles
