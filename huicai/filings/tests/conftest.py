"""Filings fixtures: a park window under 兰山区 with its commissioner, and helpers that open and file
filings through the real actions.

The world's clock: world.at is Monday 2026-03-02 17:00 in Linyi (09:00 UTC). li_ming's unit commissioner
wang_fang (临沂医药集团, 兰山区) files March 2026 with 兰山区 (chen_jing), due five working days after 31 March:
Wednesday 8 April, as the Qingming holiday (4–6 April) is not counted. The park (兰山区's 临沂商城园区窗口, ma_li)
files its first quarter with 兰山区; 兰山区 files its quarter and its year with the city (zhou_min).
"""

import datetime
from types import SimpleNamespace

import pytest

from huicai.casework.tests.conftest import case, prepare  # noqa: F401  (the `case` fixture)
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.filings import actions, periods
from huicai.filings.choices import FilingKind
from huicai.org.choices import WindowLevel
from huicai.org.models import Window
from huicai.ratings.tests.conftest import completed_task
from huicai.testing import make_user

LINYI = datetime.timezone(datetime.timedelta(hours=8))
MARCH = periods.parse("2026-03")
Q1 = periods.parse("2026-Q1")
YEAR_2026 = periods.parse("2026")


def local(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LINYI)


# 1 April 2026, a Wednesday: the day after March and the first quarter ended.
APRIL_1 = local(2026, 4, 1)


@pytest.fixture
def tree(world):
    """The world plus a park window under 兰山区 and its window commissioner ma_li."""
    lanshan = world.windows["兰山区"]
    park = Window.objects.create(
        name="临沂商城园区高层次人才服务窗口",
        level=WindowLevel.PARK,
        division=lanshan.division,
        parent=lanshan,
    )
    ma_li = make_user("ma_li", "马丽")
    appoint_commissioner(user=ma_li, kind=PostKind.WINDOW, organisation=park, by=world.admin, at=world.at)
    return SimpleNamespace(
        world=world,
        park=park,
        ma_li=ma_li,
        lanshan=lanshan,
        luozhuang=world.windows["罗庄区"],
        city=world.windows["临沂市"],
    )


def open_unit(world, post=None, period=MARCH, at=APRIL_1):
    return actions.open_filing(
        kind=FilingKind.UNIT, period=period, filer_post=post or world.wang_fang_post, at=at
    )


def open_window(window, kind=FilingKind.QUARTERLY, period=Q1, at=APRIL_1):
    return actions.open_filing(kind=kind, period=period, filer_window=window, at=at)


__all__ = ["case", "prepare", "completed_task"]
