"""The admin is no side door: grading's records are read there, never written (scores change only through
the actions, with a reason and an audit row)."""

import pytest
from django.contrib import admin

from huicai.grading.models import Evaluation, Interview, Objection, Report, RubricVersion, WindowResult


@pytest.mark.parametrize("model", [RubricVersion, Evaluation, WindowResult, Objection, Interview, Report])
def test_every_grading_model_is_read_only_in_the_admin(rf, model, g):
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = g.world.admin

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
