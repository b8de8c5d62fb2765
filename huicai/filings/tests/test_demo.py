"""The demo shows a year of filings: unit reports, quarters, a county's year; accepted ones, a returned and
refiled one, a late one."""

import pytest
from django.core.management import call_command

from huicai.filings import demo
from huicai.filings.choices import FilingKind, FilingStatus
from huicai.filings.models import Filing, FilingVersion
from huicai.testing import kept_for_the_module


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with kept_for_the_module(django_db_blocker, MEDIA_ROOT=tmp_path_factory.mktemp("demo-uploads")):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
        yield


def test_the_demo_loads_a_year_of_filings(loaded, db):
    unit = Filing.objects.filter(kind=FilingKind.UNIT, filer_post__user__username="unit")

    assert unit.count() == 12
    assert unit.filter(status=FilingStatus.ACCEPTED).count() == 11
    assert unit.filter(status=FilingStatus.DRAFT).count() == 1
    assert Filing.objects.filter(kind=FilingKind.QUARTERLY, current_number__gt=0).count() == 8
    assert Filing.objects.filter(kind=FilingKind.ANNUAL, status=FilingStatus.ACCEPTED).count() == 1
    assert Filing.objects.filter(kind=FilingKind.QUARTERLY, status=FilingStatus.FILED).count() == 1
    # One returned and refiled: both versions kept.
    assert FilingVersion.objects.filter(number=2).count() == 2
    # One filed late.
    assert sum(1 for f in unit if f.first_filed_date and f.first_filed_date > f.due_date) == 1
    # The unit reports say something: the commissioner's talents and their services.
    assert sum(v.talent_count for v in FilingVersion.objects.filter(filing__in=unit)) > 0


def test_loading_again_adds_nothing(loaded, db):
    count = Filing.objects.count()

    demo.load_demo(at=Filing.objects.order_by("-opened_at").first().opened_at)

    assert Filing.objects.count() == count
