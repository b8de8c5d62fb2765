"""The casework demo: applications in every state through the real actions, now with a result document to
download, an extension past the cap waiting for the window (超长延期), and the ID card uploaded once per
application; a second load adds nothing."""

import datetime

import pytest

from huicai.casework.choices import ExtensionStatus
from huicai.casework.demo import load_demo
from huicai.casework.models import Application, Extension, Material, Task
from huicai.testing import kept_for_the_module

AT = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)  # Tuesday 10:00 in Linyi


@pytest.fixture(scope="module")
def demo_for_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    from huicai.catalogue import demo as catalogue_demo
    from huicai.demo import load_people
    from huicai.workdays import demo as workdays_demo

    with kept_for_the_module(django_db_blocker, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        workdays_demo.load_demo(at=AT)
        load_people(at=AT)
        catalogue_demo.load_demo(at=AT)
        load_demo(at=AT)
        yield


@pytest.fixture
def demo(demo_for_the_module, db):
    pass


def test_the_demo_loads_once(demo):
    counts = (Application.objects.count(), Task.objects.count(), Material.objects.count())

    load_demo(at=AT)

    assert (Application.objects.count(), Task.objects.count(), Material.objects.count()) == counts


def test_the_demo_shows_a_result_document_and_an_extension_waiting_for_the_window(demo):
    assert (
        Task.objects.exclude(result_document="")
        .filter(result_document_name="落户审批结果通知书.pdf")
        .exists()
    )
    waiting = Extension.objects.get(status=ExtensionStatus.AWAITING_APPROVAL)
    assert Task.objects.with_extension_flags().get(pk=waiting.task_id).extension_awaiting_approval


def test_the_demo_uploads_the_id_card_once_per_application(demo):
    for application in Application.objects.filter(items__isnull=False).distinct():
        id_cards = Material.objects.filter(application=application, name="居民身份证")
        assert len({m.file.name for m in id_cards}) <= 1, application.number
