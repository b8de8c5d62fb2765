"""Who may see and act on window grading (W17–W20). Unseen is 404; seen but not yours to change is 403.

City staff are the commissioners of the city window (the root of the window tree; its manager is the city
administrator) and superusers: they set the rubric, compute and publish evaluations, adjust scores, answer
objections, keep the 约谈 and draft and issue the reports.

A window sees its own published results and those of the windows below it, and the 约谈 of those windows;
never another county's, and nothing of a draft evaluation. Only the window's manager (负责人) files an
objection or submits the rectification plan of its 约谈. Reports go to the leading group office: city staff
only.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import Role, get_scope, window_condition
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.transitions import Step, StepTable
from huicai.grading.choices import EvaluationStatus, InterviewStatus, ObjectionStatus, PeriodKind
from huicai.grading.models import Evaluation, Interview, Report, RubricVersion, WindowResult


def is_city_staff(user) -> bool:
    """A superuser, or a commissioner of the city window (the root window: its path has one segment)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    return any(path.count("/") == 1 for path in scope.window_paths)


def sees_grading(user) -> bool:
    """The menu entry: city staff and window managers only."""
    scope = get_scope(user)
    return is_city_staff(user) or Role.WINDOW_MANAGER in scope.roles


def manages_window(user, window, *, at=None) -> bool:
    """``user`` holds the manager post of ``window`` now (W20: the responsible person)."""
    if user is None or not user.is_authenticated:
        return False
    return (
        Post.objects.active_at(at or timezone.now())
        .filter(user=user, kind=PostKind.WINDOW, is_manager=True, window_id=window.pk)
        .exists()
    )


def results_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    # City staff see every result, drafts included.
    if is_city_staff(user):
        return queryset
    scope = get_scope(user)
    # A window sees its own and its subtree's results, once published.
    by_window = window_condition(scope, "window__path")
    if by_window is None:
        return queryset.none()
    return queryset.filter(by_window, evaluation__status=EvaluationStatus.PUBLISHED)


def evaluations_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    # City staff see every evaluation, drafts included.
    if is_city_staff(user):
        return queryset
    scope = get_scope(user)
    # A window sees a published evaluation (and within it, only its own results).
    if window_condition(scope, "window__path") is None:
        return queryset.none()
    return queryset.filter(status=EvaluationStatus.PUBLISHED)


def objections_visible_to(queryset, user):
    return queryset.filter(result__in=results_visible_to(WindowResult.objects.all(), user))


def interviews_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    # City staff keep every 约谈.
    if is_city_staff(user):
        return queryset
    scope = get_scope(user)
    # A window sees the 约谈 of itself and its subtree.
    by_window = window_condition(scope, "window__path")
    return queryset.filter(by_window) if by_window is not None else queryset.none()


def reports_visible_to(queryset, user):
    # Reports to the leading group office: city staff only.
    return queryset if is_city_staff(user) else queryset.none()


def rubrics_visible_to(queryset, user):
    return queryset if is_city_staff(user) else queryset.none()


def _first_or_404(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def get_evaluation_for_user(user, pk) -> Evaluation:
    return _first_or_404(Evaluation.objects.visible_to(user).select_related("rubric"), pk)


def get_result_for_user(user, pk) -> WindowResult:
    return _first_or_404(
        WindowResult.objects.visible_to(user).select_related("window", "evaluation__rubric"), pk
    )


def get_interview_for_user(user, pk) -> Interview:
    return _first_or_404(
        Interview.objects.visible_to(user).select_related("window", "result__evaluation", "responsible_post"),
        pk,
    )


def get_report_for_user(user, pk) -> Report:
    return _first_or_404(Report.objects.visible_to(user).select_related("evaluation"), pk)


def get_rubric_for_user(user, pk) -> RubricVersion:
    return _first_or_404(rubrics_visible_to(RubricVersion.objects.all(), user), pk)


# --- the steps, with who may take each ------------------------------------------------------------------


def _city(user, obj, **context) -> bool:
    return is_city_staff(user)


def _manager_of_result_window(user, result, **context) -> bool:
    return manages_window(user, result.window)


def _manager_or_city(user, interview, **context) -> bool:
    return is_city_staff(user) or manages_window(user, interview.window)


EVALUATION_STEPS = StepTable(
    [
        Step("publish", _("公布结果"), (EvaluationStatus.DRAFT,), _city),
        Step("recompute", _("重新测算"), (EvaluationStatus.DRAFT,), _city),
    ],
    refusal=_("本期评估“%(status)s”，不能执行此操作。"),
)

OBJECTION_STEPS = StepTable(
    [Step("answer", _("答复异议"), (ObjectionStatus.FILED,), _city)],
    refusal=_("该异议已答复（%(status)s），不能重复答复。"),
)

INTERVIEW_STEPS = StepTable(
    [
        Step("talk", _("记录约谈"), (InterviewStatus.OPEN,), _city),
        Step("explain", _("记录联席会议说明"), (InterviewStatus.TALKED,), _city),
        Step("plan", _("提交整改方案"), (InterviewStatus.EXPLAINED,), _manager_or_city),
        Step("close", _("整改销号"), (InterviewStatus.RECTIFYING,), _city),
    ],
    refusal=_("该约谈当前为“%(status)s”，不能执行此操作（可能已被他人处理，请刷新）。"),
)


def may_adjust(user, result) -> bool:
    return is_city_staff(user) and result.evaluation.status == EvaluationStatus.DRAFT


def may_object(user, result, *, at=None) -> bool:
    """The window's manager (at ``at``, now by default), on a published yearly result."""
    return (
        result.evaluation.status == EvaluationStatus.PUBLISHED
        and result.evaluation.kind == PeriodKind.YEAR
        and manages_window(user, result.window, at=at)
    )


def open_objection(result):
    return result.objections.filter(status=ObjectionStatus.FILED).first()
