import datetime

import pytest

from huicai.core.identifiers import make_credit_code, make_mobile, make_resident_id

# The browser test's Debian chromium, its signed-in pages and one-request-at-a-time live server.
from huicai.workbench.tests.conftest import _one_request_at_a_time, chromium, sign_in  # noqa: F401


@pytest.fixture
def talent_row(world):
    """A talents row for a new 兰山区 talent at Linyi Pharma, by header, in the template's words."""

    def _row(serial=1, **overrides):
        row = {
            "姓名": f"张{serial}",
            "公民身份号码": make_resident_id("371302", datetime.date(1980, 1, 1 + serial % 28), serial),
            "手机号码": make_mobile(50000000 + serial),
            "人才类别": "B",
            "用人单位统一社会信用代码": world.linyi_pharma.credit_code,
            "属地窗口": "371302",
        }
        row.update(overrides)
        return row

    return _row


@pytest.fixture
def employer_row():
    def _row(serial=1, **overrides):
        row = {
            "单位名称": f"兰山新材料{serial}有限公司",
            "统一社会信用代码": make_credit_code("371302", 1000 + serial),
            "属地窗口": "兰山区高层次人才服务窗口",
        }
        row.update(overrides)
        return row

    return _row
