"""The demo shows 惠才卡 applications in every state, made through the actions."""

import pytest

from huicai.cards.choices import ApplicationStatus, Purpose
from huicai.cards.models import CardApplication, CardRule
from huicai.testing import demo_for_the_module


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with demo_for_the_module(django_db_blocker):
        yield


def test_the_demo_has_applications_in_every_state_and_an_issued_card(loaded, db):
    states = set(CardApplication.objects.values_list("status", flat=True))
    assert {ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED, ApplicationStatus.APPROVED} <= states
    approved = CardApplication.objects.filter(status=ApplicationStatus.APPROVED)
    assert all(a.card_id for a in approved)
    corrected = approved.filter(round=2).get()
    assert corrected.events.filter(kind="returned").exists()
    assert CardApplication.objects.filter(purpose=Purpose.REISSUE, status=ApplicationStatus.APPROVED).exists()
    assert CardRule.objects.count() >= 5


def test_the_demo_has_a_review_past_its_date_for_the_scheduler(loaded, db):
    from django.utils import timezone

    today = timezone.localdate()
    assert CardApplication.objects.filter(status=ApplicationStatus.SUBMITTED, due_date__lt=today).exists()
