import pytest

from huicai.testing import build_world


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the production hasher (a test pins it); tests use MD5 so the suite stays fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """Sign ``user`` in on the test client without going through the lockout backend."""

    def _login(user):
        client.force_login(user, backend="huicai.accounts.backends.LockoutModelBackend")
        return client

    return _login
