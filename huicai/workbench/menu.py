"""The main menu as data: one entry per page, each with the check that decides who sees it.

The check of an entry is the very function its view enforces (the view raises ``PermissionDenied`` when it
is false), so the menu cannot offer a page that answers 403, nor hide one a person may use. Adding a page
to the menu is one line in ``MENU``: a label, the URL name, and the view's own predicate ``(user) -> bool``.
``huicai/workbench/tests/test_menu.py`` walks every entry for every demo login and fails on a 403 or 404.

The menu lives in the workbench because it composes every app below it (import-linter's layers); the tag
that renders it is ``{% main_menu %}`` in ``templatetags/huicai.py``, used by ``base.html``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from huicai.accounts.roles import is_staff_member, takes_part_in_cases
from huicai.cards.access import is_talent_user, uses_cards
from huicai.catalogue.access import is_catalogue_staff
from huicai.commissioners.access import manages_registry
from huicai.engagement.access import is_window_staff as engages_talents
from huicai.exchange.access import may_exchange
from huicai.filings.access import files_anything
from huicai.grading.access import sees_grading
from huicai.outreach.access import answers_checkins
from huicai.ratings.access import handles_rectifications, is_rater
from huicai.staffing.access import has_scorecards, manages_staffing
from huicai.supervision.access import can_use_board


def signed_in(user) -> bool:
    """Pages every signed-in person has: their board, the policies, their messages."""
    return bool(user and user.is_authenticated)


def anyone(user) -> bool:
    return True


def anonymous(user) -> bool:
    return not (user and user.is_authenticated)


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    may_use: Callable[[object], bool]
    # A template included after the label (the unread-messages badge), or "".
    badge: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# One line per page, in menu order. The predicate is the one the view enforces.
MENU = [
    Entry("工作台", "home", signed_in),
    Entry("人才", "talents:list", is_staff_member),
    Entry("申办", "casework:applications", takes_part_in_cases),
    Entry("任务", "casework:tasks", is_staff_member),
    Entry("直接服务", "directservices:services", takes_part_in_cases),
    Entry("预约", "directservices:appointments", takes_part_in_cases),
    Entry("督导", "supervision:board", can_use_board),
    Entry("评价", "ratings:pending", is_rater),
    Entry("整改", "ratings:rectifications", handles_rectifications),
    Entry("困难诉求", "outreach:difficulties", takes_part_in_cases),
    Entry("状态调度", "outreach:pending", answers_checkins),
    Entry("专员名册", "commissioners:list", manages_registry),
    Entry("备案", "filings:list", files_anything),
    Entry("专员管理", "staffing:home", manages_staffing),
    Entry("我的考核", "staffing:mine", has_scorecards),
    Entry("评估评价", "grading:evaluations", sees_grading),
    Entry("活动与推送", "engagement:gatherings", engages_talents),
    Entry("惠才卡", "cards:list", uses_cards),
    Entry("我的惠才卡", "cards:mine", is_talent_user),
    Entry("我的档案", "archives:mine", is_talent_user),
    Entry("惠享与活动", "engagement:mine", is_talent_user),
    Entry("导入导出", "exchange:home", may_exchange),
    Entry("服务事项", "catalogue:staff_list", is_catalogue_staff),
    Entry("服务事项目录", "catalogue:list", anonymous),
    Entry("政策", "policies:list", anyone),
    Entry("人才风采", "engagement:public_achievements", anyone),
    Entry("惠才卡查询", "cards:verify", anonymous),
    Entry("消息", "notifications:inbox", signed_in, badge="notifications/partials/unread_badge.html"),
]


def entries_for(user, menu=None) -> list[Entry]:
    """The entries ``user`` may use, in menu order. A visitor (or no user at all, as on the 500 page) is
    offered only the public entries: the staff pages' predicates expect a signed-in person."""
    public = not (user and user.is_authenticated)
    entries = MENU if menu is None else menu
    return [e for e in entries if (e.may_use in PUBLIC if public else True) and e.may_use(user)]


PUBLIC = (anyone, anonymous)
