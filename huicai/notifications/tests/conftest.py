import pytest
from django_tasks import default_task_backend
from django_tasks.backends.dummy import DummyBackend

from huicai.notifications import sms


class BrokenSms:
    """An SMS backend whose gateway is down."""

    def send(self, message):
        raise sms.SmsError("短信网关不可达：ConnectionRefusedError")


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS goes to an in-memory outbox, emptied before each test (Django does the same for mail)."""
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def broken_sms(settings):
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.tests.conftest.BrokenSms"


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run in-process as soon as they are enqueued (after the commit, for notify())."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def queued_tasks(settings):
    """Tasks are only recorded: the returned backend's ``results`` lists what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


class BrokenQueue(DummyBackend):
    """A task queue that refuses every job (the database is locked, the broker is down…)."""

    def enqueue(self, task, args, kwargs):
        raise RuntimeError("queue unavailable")


@pytest.fixture
def broken_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "huicai.notifications.tests.conftest.BrokenQueue"}}
