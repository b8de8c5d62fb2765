"""Which workbench a person gets, and the doors the workbench opens onto other apps' records.

Roles follow from posts (huicai.accounts.roles); a person may hold several, so each role's board has its
own page and the home page shows the first of them. A board for a role the person does not hold is a 403
(they can see the page exists; it is simply not theirs). Records reached from a board go through the
owning app's ``visible_to`` door, so anything outside the person's jurisdiction is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, get_scope, window_condition
from huicai.casework import access as casework_access
from huicai.commissioners.models import UnitAssignment
from huicai.talents.models import Talent

TALENT = "talent"
UNIT = "unit"
WINDOW = "window"
QUEUE = "queue"  # department and undertaking commissioners share one board: their queue and the counter
DASHBOARD = "dashboard"

# The order boards are offered in, and the first one held is the home page: the managers' dashboard
# before the daily work of a window, staff work before a person's own talent page.
BOARD_ORDER = [DASHBOARD, WINDOW, QUEUE, UNIT, TALENT]

BOARD_LABELS = {
    DASHBOARD: "管理驾驶舱",
    WINDOW: "窗口专员工作台",
    QUEUE: "办理队列",
    UNIT: "单位专员工作台",
    TALENT: "我的服务",
}


def boards_for(user) -> list[str]:
    """The boards the user may open, in ``BOARD_ORDER``."""
    scope = get_scope(user)
    held = set()
    # W17/W5: window managers and the city see the dashboards; so does the system administrator.
    if scope.is_superuser or Role.WINDOW_MANAGER in scope.roles or Role.CITY_ADMIN in scope.roles:
        held.add(DASHBOARD)
    # S14: window commissioners receive, split, supervise.
    if Role.WINDOW in scope.roles:
        held.add(WINDOW)
    # S12, S13: department and undertaking commissioners work a queue and serve at the counter.
    if Role.DEPARTMENT in scope.roles or Role.UNDERTAKING in scope.roles:
        held.add(QUEUE)
    # S11: the unit commissioner prepares applications with their talents.
    if Role.UNIT in scope.roles:
        held.add(UNIT)
    # The talent's own page (W16).
    if scope.talent_id:
        held.add(TALENT)
    return [board for board in BOARD_ORDER if board in held]


def require_board(user, board):
    if board not in boards_for(user):
        raise PermissionDenied


def window_jurisdiction(user, path_field):
    """Q for rows within the user's windows' subtrees (``path_field`` a ``…__path`` lookup); everything
    for the system administrator and the city (CITY_ADMIN holds the root window, whose subtree is all)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return Q()
    condition = window_condition(scope, path_field)
    # No window post: nothing. The dashboard and window board are refused before this is reached.
    return condition if condition is not None else Q(pk__in=[])


def my_talents(user):
    """The talents whose open one-to-one assignment is one of the user's unit posts (S6, S11)."""
    scope = get_scope(user)
    assigned = UnitAssignment.objects.open().filter(post_id__in=scope.unit_post_ids).values("talent_id")
    return Talent.objects.visible_to(user).filter(pk__in=assigned)


def get_my_talent(user, pk):
    """A talent of the unit commissioner's, else 404 (a talent they cannot apply for is not offered)."""
    talent = (
        my_talents(user).filter(pk=pk).select_related("category", "employer", "home_window__division").first()
    )
    if talent is None:
        raise Http404
    return talent


def get_draft_for_wizard(user, pk):
    """A draft application the user may prepare: seen through casework's door (else 404), and theirs to
    prepare as the talent's unit commissioner (else 403)."""
    application = casework_access.get_application_for_user(user, pk)
    if not casework_access.is_unit_commissioner_of(user, application.talent):
        raise PermissionDenied
    return application
