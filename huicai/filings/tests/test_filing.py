"""W14/S18: a filing is opened, filed as a locked snapshot with its checksum, accepted or returned with a
reason, and a returned filing is corrected and filed again with both versions kept."""

import datetime

import pytest

from huicai.core.transitions import ActionRefused, InvalidTransition, NotAllowed, StaleVersion
from huicai.filings import actions, periods
from huicai.filings.choices import FILING_ANSWERED, FILING_RECEIVED, FilingAction, FilingKind, FilingStatus
from huicai.filings.models import Filing, FilingVersion, canonical_json, checksum_of
from huicai.filings.tests.conftest import APRIL_1, MARCH, Q1, completed_task, local, open_unit, open_window
from huicai.notifications.models import Notification

APRIL_2 = local(2026, 4, 2)
APRIL_3 = local(2026, 4, 3)


@pytest.fixture
def served(case):
    """li_ming's hukou application, submitted, accepted and completed on Monday 2 March."""
    return completed_task(case)


def test_a_unit_report_is_opened_with_its_due_date_in_working_days(world):
    filing = open_unit(world)

    assert (filing.kind, filing.status, filing.parent_window) == (
        FilingKind.UNIT,
        FilingStatus.DRAFT,
        world.windows["兰山区"],
    )
    assert (filing.period_start_date, filing.period_end_date) == (datetime.date(2026, 3, 1), MARCH.end)
    # Five working days after Tuesday 31 March; the Qingming holiday (4–6 April) does not count.
    assert filing.due_date == datetime.date(2026, 4, 8)
    assert filing.events.get().action == FilingAction.OPEN


def test_opening_twice_returns_the_same_filing(world):
    first = open_unit(world)

    again = open_unit(world, at=APRIL_2)

    assert again.pk == first.pk
    assert Filing.objects.count() == 1


def test_the_city_window_files_no_quarter_and_a_park_no_year(tree):
    with pytest.raises(ActionRefused) as city:
        open_window(tree.city)
    with pytest.raises(ActionRefused) as park:
        open_window(tree.park, kind=FilingKind.ANNUAL, period=periods.parse("2026"))

    assert city.value.messages == ["季度档案备案由园区和县区窗口向上级窗口报送。"]
    assert park.value.messages == ["年度档案备案由县区窗口向市级窗口报送。"]


def test_a_period_of_the_wrong_length_is_refused(world):
    with pytest.raises(ActionRefused) as error:
        open_unit(world, period=Q1)

    assert error.value.messages == ["该类备案的期间不正确。"]


def test_filing_freezes_the_services_of_the_period_with_a_checksum(case, served):
    world = case.world
    filing = open_unit(world)

    filing = actions.file_filing(filing, remarks="本月为李明办理落户。", by=world.wang_fang, at=APRIL_2)

    assert (filing.status, filing.current_number, filing.first_filed_date) == (
        FilingStatus.FILED,
        1,
        datetime.date(2026, 4, 2),
    )
    version = filing.versions.get()
    snapshot = version.snapshot
    assert snapshot["counts"] == {
        "talents": 1,
        "direct_services": 0,
        "applications": 1,
        "tasks_assigned": 1,
        "tasks_completed": 1,
        "files": 1,
        "filings": 0,
    }
    assert [row["name"] for row in snapshot["talents"]] == ["李明"]
    assert [s["type"] for s in snapshot["services"]] == ["application", "task"]
    assert snapshot["files"][0]["application"] == served.application.number
    assert snapshot["remarks"] == "本月为李明办理落户。"
    assert (
        version.checksum
        == checksum_of(snapshot)
        == __import__("hashlib").sha256(canonical_json(snapshot).encode()).hexdigest()
    )
    assert version.checksum_holds()
    assert list(version.included_talents.values_list("talent", flat=True)) == [world.li_ming.pk]
    # No identity or phone number travels in a snapshot.
    assert world.li_ming.id_number not in canonical_json(snapshot)
    assert world.li_ming.mobile not in canonical_json(snapshot)
    assert Notification.objects.filter(recipient=world.chen_jing, kind=FILING_RECEIVED).count() == 1


def test_the_checksum_no_longer_holds_when_the_stored_snapshot_is_altered(case, served):
    world = case.world
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_2)
    version = filing.versions.get()

    version.snapshot["counts"]["applications"] = 9

    assert not version.checksum_holds()


def test_the_parent_window_accepts_and_the_filer_is_told(world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_2)

    filing = actions.accept_filing(filing, by=world.chen_jing, at=APRIL_3)

    assert (filing.status, filing.accepted_at) == (FilingStatus.ACCEPTED, APRIL_3)
    assert filing.events.last().action == FilingAction.ACCEPT
    assert Notification.objects.filter(recipient=world.wang_fang, kind=FILING_ANSWERED).count() == 1


def test_a_returned_filing_is_refiled_as_a_second_version_and_the_first_is_kept(case, served):
    world = case.world
    filing = actions.file_filing(open_unit(world), remarks="初稿", by=world.wang_fang, at=APRIL_2)
    first = filing.versions.get()

    filing = actions.return_filing(filing, reason="请补充服务成效说明。", by=world.chen_jing, at=APRIL_3)
    assert filing.status == FilingStatus.RETURNED
    filing = actions.file_filing(
        filing, remarks="已补充：落户一次办结。", by=world.wang_fang, at=local(2026, 4, 7)
    )

    assert (filing.status, filing.current_number) == (FilingStatus.REFILED, 2)
    old, new = filing.versions.order_by("number")
    assert (old.pk, old.checksum, old.snapshot["remarks"]) == (first.pk, first.checksum, "初稿")
    assert new.snapshot["remarks"] == "已补充：落户一次办结。"
    assert new.checksum != old.checksum
    # First filed on 2 April, before the due date: the correction does not make it late.
    assert filing.first_filed_date == datetime.date(2026, 4, 2)
    assert filing.is_on_time()
    returned = filing.events.get(action=FilingAction.RETURN)
    assert (returned.number, returned.note) == (1, "请补充服务成效说明。")


def test_a_period_is_filed_only_once_it_is_over(world):
    filing = open_unit(world)

    with pytest.raises(ActionRefused) as error:
        actions.file_filing(filing, by=world.wang_fang, at=local(2026, 3, 31, 18))

    assert error.value.messages == ["本期尚未结束，期满后才能报送。"]
    assert filing.versions.count() == 0


def test_returning_without_a_reason_is_refused_and_changes_nothing(world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_2)

    with pytest.raises(ActionRefused) as error:
        actions.return_filing(filing, reason="  ", by=world.chen_jing, at=APRIL_3)

    assert error.value.messages == ["请填写退回原因。"]
    filing.refresh_from_db()
    assert filing.status == FilingStatus.FILED


def test_filing_twice_is_refused(world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_2)

    with pytest.raises(InvalidTransition) as error:
        actions.file_filing(filing, by=world.wang_fang, at=APRIL_3)

    assert error.value.messages == ["当前状态为“已报送待审核”，不能报送（可能已被他人报送，请刷新）。"]
    assert FilingVersion.objects.count() == 1


def test_an_accepted_filing_can_be_neither_returned_nor_accepted_again(world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_2)
    actions.accept_filing(filing, by=world.chen_jing, at=APRIL_3)

    with pytest.raises(InvalidTransition) as returned:
        actions.return_filing(filing, reason="再看看", by=world.chen_jing, at=APRIL_3)
    with pytest.raises(InvalidTransition) as accepted:
        actions.accept_filing(filing, by=world.chen_jing, at=APRIL_3)

    assert returned.value.messages == ["当前状态为“已接收”，不能退回（可能已被他人处理，请刷新）。"]
    assert accepted.value.messages == ["当前状态为“已接收”，不能接收（可能已被他人处理，请刷新）。"]


def test_only_the_filer_files_and_only_the_parent_window_reviews(world):
    filing = open_unit(world)

    with pytest.raises(NotAllowed):
        actions.file_filing(filing, by=world.chen_jing, at=APRIL_2)
    filing = actions.file_filing(filing, by=world.wang_fang, at=APRIL_2)
    with pytest.raises(NotAllowed):
        actions.accept_filing(filing, by=world.wang_fang, at=APRIL_3)
    with pytest.raises(NotAllowed):
        actions.accept_filing(filing, by=world.zhou_min, at=APRIL_3)  # the city is not the parent here

    filing.refresh_from_db()
    assert filing.status == FilingStatus.FILED


def test_a_reviewer_acting_on_a_stale_copy_is_refused(world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_2)
    seen = filing.version
    actions.return_filing(filing, reason="请补充。", by=world.chen_jing, at=APRIL_3)

    with pytest.raises(StaleVersion):
        actions.accept_filing(filing, by=world.chen_jing, at=APRIL_3, expected_version=seen)

    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED


def test_remarks_are_saved_on_a_draft_and_refused_once_filed(world):
    filing = actions.save_remarks(open_unit(world), remarks="  待补充  ", by=world.wang_fang, at=APRIL_1)
    assert filing.remarks == "待补充"
    filing = actions.file_filing(filing, by=world.wang_fang, at=APRIL_2)

    with pytest.raises(InvalidTransition):
        actions.save_remarks(filing, remarks="改", by=world.wang_fang, at=APRIL_3)

    assert filing.versions.get().snapshot["remarks"] == "待补充"


def test_a_window_quarter_counts_its_talents_and_includes_the_filings_it_received(tree):
    world = tree.world
    unit = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_2)
    actions.accept_filing(unit, by=world.chen_jing, at=APRIL_2)
    park = actions.file_filing(open_window(tree.park), by=tree.ma_li, at=APRIL_2)

    county = actions.file_filing(open_window(tree.lanshan), by=world.chen_jing, at=APRIL_3)

    snapshot = county.versions.get().snapshot
    assert county.parent_window == tree.city
    assert [row["name"] for row in snapshot["talents"]] == ["李明"]
    assert {(f["id"], f["kind"], f["number"]) for f in snapshot["filings"]} == {
        (unit.pk, FilingKind.UNIT, 1),
        (park.pk, FilingKind.QUARTERLY, 1),
    }
    assert snapshot["counts"]["filings"] == 2
    assert snapshot["services"] == [] and snapshot["files"] == []
