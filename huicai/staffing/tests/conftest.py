import datetime

import pytest

from huicai.accounts.models import User

# casework's items and commissioners, for the scorecards' steps and ratings.
from huicai.casework.tests.conftest import case  # noqa: F401
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind

# The browser test's Debian chromium, its signed-in pages and one-request-at-a-time live server.
from huicai.workbench.tests.conftest import _one_request_at_a_time, chromium, sign_in  # noqa: F401

WEDNESDAY = datetime.datetime(2026, 3, 4, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Linyi


@pytest.fixture
def ma_li_post(world):
    """A second unit commissioner at Linyi Pharma, ma_li, appointed by the 兰山区 window on Wednesday."""
    ma_li = User.objects.create_user(username="ma_li", full_name="马丽")
    return appoint_commissioner(
        user=ma_li, kind=PostKind.UNIT, organisation=world.linyi_pharma, by=world.chen_jing, at=WEDNESDAY
    )
