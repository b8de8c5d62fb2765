"""A unit commissioner's filing pages fit a phone: nothing is wider than the screen, not even a SHA-256."""

import pytest

from huicai.filings import actions
from huicai.filings.tests.conftest import APRIL_1, open_unit
from huicai.workbench import browser

# The browser test's Debian chromium, its signed-in pages and one-request-at-a-time live server.
from huicai.workbench.tests.conftest import _one_request_at_a_time, chromium, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_returned_report_and_the_list_fit_a_phone(world, sign_in, live_server):  # noqa: F811
    filing = actions.file_filing(open_unit(world), remarks="三月服务。", by=world.wang_fang, at=APRIL_1)
    actions.return_filing(filing, reason="请补充服务成效。", by=world.chen_jing, at=APRIL_1)
    page = sign_in(world.wang_fang, viewport=browser.PHONE)
    widths = {}

    for path in (filing.get_absolute_url(), "/filings/", "/filings/?box=mine"):
        page.goto(f"{live_server.url}{path}")
        widths[path] = page.evaluate("document.documentElement.scrollWidth")

    assert max(widths.values()) <= browser.PHONE["width"], widths
