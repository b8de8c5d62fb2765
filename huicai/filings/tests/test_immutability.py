"""A filed version is a locked snapshot: no save after the first, no queryset update or delete, and the
admin shows filings and versions read-only."""

import pytest
from django.contrib import admin

from huicai.filings import actions
from huicai.filings.models import Filing, FilingVersion
from huicai.filings.tests.conftest import APRIL_1, open_unit
from huicai.testing import force_login


@pytest.fixture
def version(world):
    filing = actions.file_filing(open_unit(world), remarks="原文", by=world.wang_fang, at=APRIL_1)
    return filing.versions.get()


def test_a_version_cannot_be_saved_again(version):
    version.snapshot["remarks"] = "篡改"

    with pytest.raises(TypeError):
        version.save()

    assert FilingVersion.objects.get(pk=version.pk).snapshot["remarks"] == "原文"


def test_versions_cannot_be_updated_or_deleted_through_a_queryset(version):
    with pytest.raises(TypeError):
        FilingVersion.objects.filter(pk=version.pk).update(checksum="0" * 64)
    with pytest.raises(TypeError):
        FilingVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(TypeError):
        version.delete()

    assert FilingVersion.objects.get(pk=version.pk).checksum == version.checksum


def test_the_admin_offers_no_add_change_or_delete(rf, world, version):
    request = rf.get("/")
    request.user = world.admin
    for model in (Filing, FilingVersion):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, version)
        assert not model_admin.has_delete_permission(request, version)


def test_posting_to_the_admin_change_page_changes_nothing(client, world, version):
    force_login(client, world.admin)

    response = client.post(
        f"/admin/filings/filingversion/{version.pk}/change/", {"remarks": "篡改", "checksum": "0" * 64}
    )

    assert response.status_code == 403
    assert FilingVersion.objects.get(pk=version.pk).checksum == version.checksum
