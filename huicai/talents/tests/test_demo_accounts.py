"""Issue 11: the demo's talents have their own logins or invitations, not one login in two hundred."""

import pytest
from django.core.management import call_command

from huicai.talents.choices import InvitationStatus
from huicai.talents.models import Talent, TalentInvitation, invitation_status
from huicai.testing import demo_media_root, lay_down_demo


@pytest.fixture
def demo(db, settings):
    settings.MEDIA_ROOT = demo_media_root()
    lay_down_demo()


def test_most_demo_talents_can_sign_in_and_every_status_shows(demo, client):
    from django.utils import timezone

    now = timezone.now()
    statuses = {invitation_status(t, now) for t in Talent.objects.all()}
    with_login = Talent.objects.filter(user__isnull=False).count()

    assert with_login >= Talent.objects.count() // 2
    assert {InvitationStatus.ACTIVATED, InvitationStatus.INVITED, InvitationStatus.NOT_INVITED} <= statuses
    from django.conf import settings

    assert client.login(username="talent002", password=settings.DEMO_PASSWORD)


def test_a_second_load_sends_no_second_invitation(demo):
    before = TalentInvitation.objects.count()

    call_command("load_demo", "--allow-demo-accounts", verbosity=0)

    assert TalentInvitation.objects.count() == before > 0
