"""S20: training sessions with materials and attendance; each commissioner's hours per year; those below the
yearly minimum listed."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huicai.core.transitions import NotAllowed
from huicai.staffing import actions, selectors
from huicai.staffing.models import TrainingMaterial

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def session(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return actions.create_training_session(
        window=world.windows["兰山区"],
        topic="绿色通道政策解读",
        session_date=datetime.date(2026, 3, 10),
        hours=Decimal("4"),
        organiser="兰山区人社局",
        by=world.chen_jing,
        at=world.at,
    )


def test_the_window_records_attendance_and_the_hours_count_for_the_year(world, session):
    added = actions.record_attendance(session, posts=[world.wang_fang_post], by=world.chen_jing, at=world.at)
    again = actions.record_attendance(session, posts=[world.wang_fang_post], by=world.chen_jing, at=world.at)

    rows = dict(selectors.training_hours(window=world.windows["兰山区"], year=2026))
    assert (added, again) == (1, 0)
    assert rows[world.wang_fang_post] == Decimal("4")


def test_the_training_summary_lists_those_below_the_minimum(world, session, settings):
    settings.HUICAI_TRAINING_MIN_HOURS = 4
    actions.record_attendance(session, posts=[world.wang_fang_post], by=world.chen_jing, at=world.at)

    summary = selectors.training_summary(window=world.windows["兰山区"], year=2026)

    # The 兰山区 registry: wang_fang (unit, 4 hours) and chen_jing (window, none).
    assert summary == {
        "commissioners": 2,
        "hours_total": Decimal("4"),
        "hours_avg": Decimal("2.0"),
        "below_minimum": 1,
    }


def test_another_countys_window_cannot_record_attendance(world, session):
    with pytest.raises(NotAllowed):
        actions.record_attendance(session, posts=[world.qian_hui_post], by=world.sun_lei, at=world.at)


def test_a_post_not_held_on_the_day_is_refused(world, session):
    early = actions.create_training_session(
        window=world.windows["兰山区"],
        topic="早期培训",
        session_date=datetime.date(2026, 2, 1),
        hours=Decimal("2"),
        organiser="兰山区人社局",
        by=world.chen_jing,
        at=world.at,
    )

    with pytest.raises(actions.ActionRefused) as error:
        actions.record_attendance(early, posts=[world.wang_fang_post], by=world.chen_jing, at=world.at)

    assert error.value.messages == ["王芳 在培训当日不在任职期内。"]


def test_hours_out_of_range_are_refused(world):
    with pytest.raises(actions.ActionRefused) as error:
        actions.create_training_session(
            window=world.windows["兰山区"],
            topic="过长的培训",
            session_date=datetime.date(2026, 3, 10),
            hours=Decimal("41"),
            organiser="兰山区人社局",
            by=world.chen_jing,
            at=world.at,
        )
    assert "学时须大于 0 且不超过 40。" in error.value.messages


def test_materials_are_checked_by_content_and_downloaded_only_by_who_sees_the_session(world, session, login):
    material = actions.add_training_material(
        session, file=SimpleUploadedFile("讲义.pdf", PDF), by=world.chen_jing, at=world.at
    )
    with pytest.raises(actions.ActionRefused):
        actions.add_training_material(
            session, file=SimpleUploadedFile("讲义.pdf", b"MZ not a pdf"), by=world.chen_jing, at=world.at
        )

    allowed = login(world.chen_jing).get(f"/staffing/training/materials/{material.pk}/")
    outsider = login(world.sun_lei).get(f"/staffing/training/materials/{material.pk}/")

    assert allowed.status_code == 200
    assert allowed["Content-Disposition"].startswith("attachment")
    assert b"".join(allowed.streaming_content) == PDF
    assert outsider.status_code == 404
    assert TrainingMaterial.objects.count() == 1


def test_an_attendee_may_download_the_materials(world, session, login):
    material = actions.add_training_material(
        session, file=SimpleUploadedFile("讲义.pdf", PDF), by=world.chen_jing, at=world.at
    )
    actions.record_attendance(session, posts=[world.wang_fang_post], by=world.chen_jing, at=world.at)

    assert login(world.wang_fang).get(f"/staffing/training/materials/{material.pk}/").status_code == 200
