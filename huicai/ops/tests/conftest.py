"""The scheduler's tests set up due work of several apps, with those apps' own fixtures."""

from huicai.casework.tests.conftest import case  # noqa: F401  (the fixture)
from huicai.directservices.tests.conftest import direct  # noqa: F401  (the fixture)
