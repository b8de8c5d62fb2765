"""Privacy fixtures: casework's published items (``case``) and an application li_ming consented to."""

import pytest

from huicai.casework import actions as casework
from huicai.casework.tests.conftest import case, prepare  # noqa: F401 (the ``case`` fixture, reused)


@pytest.fixture
def consented(case):  # noqa: F811
    """A draft application for li_ming with his signed consent, prepared by wang_fang."""
    return prepare(case, [case.hukou])


@pytest.fixture
def submitted(case, consented):  # noqa: F811
    """The same application, submitted by wang_fang on the strength of that consent."""
    return casework.submit_application(consented, by=case.world.wang_fang, at=case.world.at)
