import pytest

from huicai.testing import Snapshot, build_world

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is the production hasher (a test pins it); tests use MD5 so the suite stays fast.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _calendar_clock_stands_still(monkeypatch):
    """The calendar trusts its cached copy for CHECK_SECONDS of the process's monotonic clock; on a busy
    machine a test can take longer than that, and a query count then depends on the load. Within a test
    that clock stands still; a test about the time-to-live moves it on (``advance_clock``)."""
    import time

    from huicai.workdays import calendar

    started = time.monotonic()
    monkeypatch.setattr(calendar, "_monotonic", lambda: started)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The working-day calendar is cached per process; a test that changed it (and was rolled back)
    must not leave its snapshot to the next one."""
    from huicai.workdays import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(scope="session")
def _world_snapshot(django_db_setup, django_db_blocker):
    """The cast built once per session through the real actions, kept as rows (see ``Snapshot``)."""
    from django.test import override_settings

    from huicai.workdays import calendar

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        snapshot = Snapshot.capture(lambda base: build_world())
    calendar.invalidate()  # it read the calendar the capture rolled back
    return snapshot


@pytest.fixture(scope="session")
def _case_snapshot(_world_snapshot, django_db_blocker):
    """Casework's items and commissioners (the ``case`` fixture), built once on the world and kept as rows.

    Here rather than beside ``case`` because several packages import that fixture into their conftest.
    """
    from django.test import override_settings

    from huicai.casework.tests.conftest import build_case
    from huicai.workdays import calendar

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        snapshot = Snapshot.capture(build_case, base=_world_snapshot)
    calendar.invalidate()
    return snapshot


@pytest.fixture
def world(db, _world_snapshot):
    """The reference organisation, the 2025–2026 calendar and the cast, as ``build_world()`` returns them.

    Laid down from the session's snapshot inside this test's transaction (a dozen bulk inserts instead of
    about 800 queries), with the same primary keys in every test and fresh instances of its own.
    """
    return _world_snapshot.restore()


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
