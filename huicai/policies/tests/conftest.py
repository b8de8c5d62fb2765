import datetime

import pytest
import time_machine
from django.core.cache import cache

from huicai.policies.actions import create_policy, publish_policy
from huicai.testing import T0


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The public API's rate limits are counted in the database (rolled back after each test); the cache
    # is cleared all the same, in case a test caches anything else.
    cache.clear()


@pytest.fixture(autouse=True)
def _frozen_clock():
    # Pages compute "today" from the clock: every test here runs on the world's day, 2026-03-02.
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def draft(world):
    """``draft(title=…, body=…, …)`` writes a policy of the city window through the real action."""
    counter = iter(range(1, 1000))

    def _draft(*, by=None, window=None, publish=False, **fields):
        number = next(counter)
        values = {
            "title": f"测试政策{number}",
            "issuer": "临沂市人力资源和社会保障局",
            "document_number": "",
            "issue_date": datetime.date(2026, 1, 5),
            "effective_date": datetime.date(2026, 1, 5),
            "body": "为做好高层次人才服务工作，制定本办法。",
        }
        values.update(fields)
        by = by or world.zhou_min
        policy = create_policy(by=by, at=world.at, window=window or world.windows["临沂市"], **values)
        if publish:
            policy, _ = publish_policy(policy, by=by, at=world.at, notify_talents=False)
        return policy

    return _draft
