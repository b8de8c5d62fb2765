"""Demo filings (W14, S18): a year of them, relative to the demo's ``at``.

- The ``unit`` commissioner (临沂医药集团) reports each of the last twelve months to 兰山区: most filed on time
  and accepted, one filed late, one returned with a reason and refiled; the last month still to file.
- 兰山区 and the 临沂高新区 park file each of the last four quarters with the city: accepted, the oldest of
  兰山区's returned and refiled, the park's latest waiting for the city's review.
- 兰山区 files last year's archives with the city (S18), accepted.
- Then the daily jobs run once: every other filer's drafts for the periods just ended are opened and the
  overdue ones flagged late.

Idempotent: a second load finds the first unit report and returns.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from huicai.accounts.models import User
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.filings import actions, jobs, periods
from huicai.filings.choices import FilingKind
from huicai.filings.models import Filing
from huicai.org.models import Window

LANSHAN = "兰山区高层次人才服务窗口"


def _moment(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _window_user(window, at):
    post = (
        Post.objects.active_at(at)
        .filter(kind=PostKind.WINDOW, window=window)
        .select_related("user")
        .order_by("pk")
    ).first()
    return post.user if post else None


def _walk(filing, *, filer, reviewer, filed_on, accept=True, return_reason=""):
    """File on ``filed_on``; return with ``return_reason`` two days later and refile the day after; accept
    three days after filing."""
    filing = actions.file_filing(
        filing, remarks="本期服务情况已核对。", by=filer, at=_moment(filed_on), inline=True
    )
    if return_reason:
        filing = actions.return_filing(
            filing, reason=return_reason, by=reviewer, at=_moment(filed_on + datetime.timedelta(days=2))
        )
        filing = actions.file_filing(
            filing,
            remarks="已按要求补充服务成效和困难诉求办理情况。",
            by=filer,
            at=_moment(filed_on + datetime.timedelta(days=3)),
            inline=True,
        )
    if accept:
        filing = actions.accept_filing(filing, by=reviewer, at=_moment(filed_on + datetime.timedelta(days=4)))
    return filing


@transaction.atomic
def load_demo(*, at) -> None:
    unit_user = User.objects.filter(username="unit").first()
    lanshan = Window.objects.filter(name=LANSHAN).first()
    if unit_user is None or lanshan is None:
        return
    post = Post.objects.active_at(at).filter(user=unit_user, kind=PostKind.UNIT).first()
    today = timezone.localdate(at)
    months = []
    month = periods.last_completed(FilingKind.UNIT, today)
    for _ in range(12):
        months.append(month)
        month = month.previous()
    months.reverse()  # oldest first
    if post is None or Filing.objects.filter(filer_post=post, period_start_date=months[0].start).exists():
        return
    window_user = _window_user(lanshan, at)
    city = lanshan.parent
    city_user = User.objects.filter(username="city").first() or _window_user(city, at)

    # Twelve months of unit reports to 兰山区 (W14).
    for index, month in enumerate(months):
        opened_at = _moment(month.end + datetime.timedelta(days=1), hour=7)
        filing = actions.open_filing(kind=FilingKind.UNIT, period=month, filer_post=post, at=opened_at)
        if month is months[-1]:
            continue  # the last month: still to file
        if index == 4:  # filed two days after its due date: late
            _walk(
                filing,
                filer=unit_user,
                reviewer=window_user,
                filed_on=filing.due_date + datetime.timedelta(days=2),
            )
        elif index == 8:
            _walk(
                filing,
                filer=unit_user,
                reviewer=window_user,
                filed_on=month.end + datetime.timedelta(days=2),
                return_reason="请补充本月人才困难诉求的办理情况。",
            )
        else:
            _walk(
                filing, filer=unit_user, reviewer=window_user, filed_on=month.end + datetime.timedelta(days=2)
            )

    # Four quarters of 兰山区 and a park with the city (W14).
    park = Window.objects.filter(level="park", parent=city, is_active=True).order_by("pk").first()
    quarters = []
    quarter = periods.last_completed(FilingKind.QUARTERLY, today)
    for _ in range(4):
        quarters.append(quarter)
        quarter = quarter.previous()
    quarters.reverse()
    for window in [w for w in (lanshan, park) if w is not None]:
        filer = _window_user(window, at)
        for index, quarter in enumerate(quarters):
            filing = actions.open_filing(
                kind=FilingKind.QUARTERLY,
                period=quarter,
                filer_window=window,
                at=_moment(quarter.end + datetime.timedelta(days=1), hour=7),
            )
            last = index == len(quarters) - 1
            _walk(
                filing,
                filer=filer,
                reviewer=city_user,
                filed_on=quarter.end + datetime.timedelta(days=5),
                accept=not (last and window == park),
                return_reason="请附上本季度单位专员报备的汇总说明。"
                if (index == 0 and window == lanshan)
                else "",
            )

    # Last year's archives of 兰山区 with the city (S18).
    year = periods.last_completed(FilingKind.ANNUAL, today)
    filing = actions.open_filing(
        kind=FilingKind.ANNUAL,
        period=year,
        filer_window=lanshan,
        at=_moment(year.end + datetime.timedelta(days=1), 7),
    )
    _walk(filing, filer=window_user, reviewer=city_user, filed_on=year.end + datetime.timedelta(days=10))

    # What the daily jobs would have done: every other filer's drafts, and the late flags.
    jobs.open_due_filings(at=at)
    jobs.flag_late_filings(at=at)
