"""The demo's talents have archives to show, from the other apps' demo data alone; the bench runs on it."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from huicai.archives import timeline
from huicai.core.models import AuditEvent
from huicai.directservices.models import DirectService
from huicai.talents.models import Talent
from huicai.testing import force_login, kept_for_the_module


@pytest.fixture(scope="module")
def loaded_for_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    # Loaded once for the module; each test runs in a savepoint rolled back within it.
    with kept_for_the_module(django_db_blocker, MEDIA_ROOT=tmp_path_factory.mktemp("uploads")):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
        yield


@pytest.fixture
def loaded(loaded_for_the_module, db):
    return Talent.objects.select_related("home_window").get(user__username="talent")


def test_the_demo_talents_archive_shows_entries_of_several_kinds_on_their_phone_page(loaded, client):
    talent = loaded
    force_login(client, talent.user)

    page = client.get(reverse("archives:mine"))

    assert page.status_code == 200
    kinds = {entry.kind for entry in timeline.entries(talent, viewer=talent.user)}
    assert len(kinds) >= 5
    assert kinds >= {"application", "task", "card", "commissioner"}
    shown = set(re.findall(r'class="archive-entry kind-(\w+)"', page.content.decode()))
    assert len(shown) >= 3  # the first page alone, newest first, mixes kinds


def test_the_bench_times_a_large_archive_and_leaves_nothing_behind(loaded, capsys):
    before = (DirectService.objects.count(), AuditEvent.objects.count())

    call_command("bench_archive", "--count", "40", "--rounds", "2")

    output = capsys.readouterr().out
    assert "档案第一页" in output and "完整 PDF" in output
    assert (DirectService.objects.count(), AuditEvent.objects.count()) == before
