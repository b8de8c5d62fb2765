"""The full ID number and phone are shown only to roles that need them, and every reveal is recorded."""

import pytest

from huicai.core.models import AuditEvent


def test_pages_show_masked_values_only(world, login):
    client = login(world.chen_jing)

    detail = client.get(f"/talents/{world.li_ming.pk}/").content.decode()
    listing = client.get("/talents/").content.decode()

    for content in (detail, listing):
        assert world.li_ming.id_number not in content
        assert world.li_ming.id_number_masked in content
    assert world.li_ming.mobile not in detail
    assert world.li_ming.mobile_masked in detail


@pytest.mark.parametrize("persona", ["chen_jing", "wang_fang", "li_ming_user", "zhou_min"])
def test_a_reveal_shows_the_full_values_and_is_audited(world, login, persona):
    user = getattr(world, persona)
    client = login(user)

    response = client.post(f"/talents/{world.li_ming.pk}/reveal/")

    assert response.status_code == 200
    assert world.li_ming.id_number in response.content.decode()
    assert world.li_ming.mobile in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.REVEAL)
    assert (event.actor, event.object_type, event.object_id) == (
        user,
        "talents.talent",
        str(world.li_ming.pk),
    )
    assert response["Cache-Control"] == "no-store"


def test_a_reveal_needs_post(world, login):
    client = login(world.chen_jing)

    assert client.get(f"/talents/{world.li_ming.pk}/reveal/").status_code == 405
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL).exists()


def test_the_audit_log_is_append_only(world, login):
    client = login(world.chen_jing)
    client.post(f"/talents/{world.li_ming.pk}/reveal/")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.REVEAL)

    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(result="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_admin_change_form_counts_as_a_reveal(world, login):
    client = login(world.admin)

    client.get(f"/admin/talents/talent/{world.li_ming.pk}/change/")

    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL, actor=world.admin).count() == 1
