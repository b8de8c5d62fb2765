"""The two actions: staff state a reason (and only staff who must), and every reading is audited with it."""

import datetime

import pytest

from huicai.archives import actions
from huicai.archives.choices import Purpose, Reading
from huicai.archives.models import ArchiveReason
from huicai.core.models import AuditEvent
from huicai.core.transitions import ActionRefused, NotAllowed


def test_a_window_officer_states_a_reason_that_lets_them_in_for_half_an_hour(world):
    reason = actions.state_reason(
        world.li_ming, purpose=Purpose.COMPLAINT, note=" 核实差评 ", by=world.chen_jing, at=world.at
    )

    assert (reason.purpose, reason.note, reason.stated_at) == (Purpose.COMPLAINT, "核实差评", world.at)
    assert actions.live_reason(
        world.li_ming, by=world.chen_jing, at=world.at + datetime.timedelta(minutes=29)
    )
    assert not actions.live_reason(
        world.li_ming, by=world.chen_jing, at=world.at + datetime.timedelta(minutes=30)
    )
    assert not actions.live_reason(world.li_ming, by=world.zhou_min, at=world.at)


@pytest.mark.parametrize(
    ("persona", "error", "message"),
    [
        ("li_ming_user", ActionRefused, "您查阅本人或所联系人才的档案，无需说明事由。"),
        ("wang_fang", ActionRefused, "您查阅本人或所联系人才的档案，无需说明事由。"),
        ("sun_lei", NotAllowed, "您无权查阅该人才的服务档案。"),
        ("zhao_qiang", NotAllowed, "您无权查阅该人才的服务档案。"),
    ],
)
def test_only_those_who_must_state_a_reason_can(world, persona, error, message):
    with pytest.raises(error) as refused:
        actions.state_reason(
            world.li_ming, purpose=Purpose.SERVICE, note="核实", by=getattr(world, persona), at=world.at
        )

    assert message in str(refused.value)
    assert not ArchiveReason.objects.exists()


def test_staff_cannot_read_without_a_live_reason_of_their_own_for_that_talent(world):
    zhou_mins = actions.state_reason(
        world.li_ming, purpose=Purpose.SERVICE, note="核实", by=world.zhou_min, at=world.at
    )
    for reason in (None, zhou_mins):
        with pytest.raises(ActionRefused) as refused:
            actions.record_reading(
                world.li_ming, reading=Reading.VIEW, by=world.chen_jing, at=world.at, reason=reason
            )

        assert refused.value.messages == ["请先说明查阅该人才档案的事由。"]
    assert not AuditEvent.objects.filter(detail__startswith="archive ").exists()


def test_a_reading_under_a_reason_is_one_audit_row_naming_it(world):
    reason = actions.state_reason(
        world.li_ming, purpose=Purpose.SERVICE, note="核实", by=world.chen_jing, at=world.at
    )

    event = actions.record_reading(
        world.li_ming, reading=Reading.XLSX, by=world.chen_jing, at=world.at, reason=reason, detail="kind all"
    )

    assert (event.kind, event.actor, event.object_id) == (
        AuditEvent.Kind.EXPORT,
        world.chen_jing,
        str(world.li_ming.pk),
    )
    assert event.detail == f"archive xlsx; window; reason #{reason.pk} service; kind all"
