"""Privacy fixtures: casework's published items (``case``) and an application li_ming consented to."""

import pytest

from huicai.casework.tests.conftest import case, prepare  # noqa: F401 (the ``case`` fixture, reused)


@pytest.fixture
def consented(case):  # noqa: F811
    """A draft application for li_ming with his signed consent, prepared by wang_fang."""
    return prepare(case, [case.hukou])
