"""A talent sees, on the phone, what is held about them and who looked at it; exports it; withdraws consent."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from huicai.casework import actions as casework
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.privacy import actions
from huicai.privacy.models import ConsentWithdrawal

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_record_masked_and_who_revealed_it(world, login):
    audit.record(AuditEvent.Kind.REVEAL, actor=world.chen_jing, at=world.at, obj=world.li_ming)

    response = login(world.li_ming_user).get(reverse("privacy:mine"), HTTP_USER_AGENT="iPhone")

    page = response.content.decode()
    assert response.status_code == 200
    assert world.li_ming.id_number_masked in page
    assert world.li_ming.id_number not in page
    assert "陈静" in page  # chen_jing revealed the record: the talent sees who


def test_a_person_who_is_no_talent_has_no_my_data_page(world, login):
    assert login(world.chen_jing).get(reverse("privacy:mine")).status_code == 404


def test_the_json_export_holds_the_full_record_and_is_audited(world, login):
    response = login(world.li_ming_user).get(reverse("privacy:export_json"))

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["talent"]["id_number"] == world.li_ming.id_number
    assert data["cards"][0]["number"] == "YM2026000001"
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.EXPORT,
        actor=world.li_ming_user,
        object_id=str(world.li_ming.pk),
        detail="self json",
    ).exists()


def test_the_pdf_export_embeds_a_cjk_font_and_is_audited(world, login):
    response = login(world.li_ming_user).get(reverse("privacy:export_pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"FontFile" in response.content  # the font travels inside the file
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, detail="self pdf").exists()


def test_the_export_shows_in_the_talents_own_access_log(world, login):
    client = login(world.li_ming_user)
    client.get(reverse("privacy:export_json"))

    data = json.loads(client.get(reverse("privacy:export_json")).content)

    assert data["access_log"][0]["by"] == "李明"


def test_consent_to_a_submitted_application_is_withdrawn_for_the_future_only(submitted, login):
    client = login(submitted.talent.user)

    listed = client.get(reverse("privacy:mine")).content.decode()
    client.post(reverse("privacy:withdraw_consent", args=[submitted.pk]))

    assert submitted.number in listed
    withdrawal = ConsentWithdrawal.objects.get()
    assert withdrawal.application == submitted
    submitted.refresh_from_db()
    assert submitted.consent_at is not None  # what was consented to before stays on file
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CONSENT_WITHDRAWN, detail="submitted").exists()
    assert "已于" in client.get(reverse("privacy:mine")).content.decode()


def test_consent_is_withdrawn_once(submitted):
    talent_user = submitted.talent.user
    actions.withdraw_consent(submitted, by=talent_user, at=submitted.created_at)

    with pytest.raises(ValidationError, match="已撤回"):
        actions.withdraw_consent(submitted, by=talent_user, at=submitted.created_at)


def test_consent_taken_back_from_a_draft_stops_its_submission(case, consented):
    actions.withdraw_consent(consented, by=consented.talent.user, at=case.world.at)

    consented.refresh_from_db()
    assert consented.consent_at is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CONSENT_WITHDRAWN, detail="draft").exists()
    with pytest.raises(casework.CaseworkError, match="提交前须记录人才本人的同意"):
        casework.submit_application(consented, by=case.world.wang_fang, at=case.world.at)


def test_only_the_talent_withdraws_their_consent(case, consented):
    with pytest.raises(PermissionDenied, match="只有人才本人"):
        actions.withdraw_consent(consented, by=case.world.wang_fang, at=case.world.at)


def test_a_new_application_asks_for_consent_of_its_own(case, submitted):
    actions.withdraw_consent(submitted, by=submitted.talent.user, at=case.world.at)
    fresh = casework.create_application(
        talent=case.world.li_ming, items=[case.housing], by=case.world.wang_fang, at=case.world.at
    )

    assert fresh.consent_at is None
    with pytest.raises(casework.CaseworkError, match="提交前须记录人才本人的同意"):
        casework.submit_application(fresh, by=case.world.wang_fang, at=case.world.at)


def test_someone_elses_application_is_not_found(consented, world, login):
    response = login(world.chen_jing).post(reverse("privacy:withdraw_consent", args=[consented.pk]))

    assert response.status_code == 404
