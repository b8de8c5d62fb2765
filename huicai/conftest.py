import pytest

from huicai.testing import build_world


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the production hasher (a test pins it); tests use MD5 so the suite stays fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The working-day calendar is cached per process; a test that changed it (and was rolled back)
    must not leave its snapshot to the next one."""
    from huicai.workdays import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """A new test client signed in as ``user``: one per call, so several people can act in one test.

    The shared ``client`` fixture is signed in too, as the latest user, for tests that read it directly.
    """
    from django.test import Client

    from huicai.testing import force_login

    def _login(user):
        force_login(client, user)
        return force_login(Client(), user)

    return _login
