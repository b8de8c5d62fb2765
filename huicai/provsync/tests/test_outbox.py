"""W15: what changed in talents and cards since the last capture goes into the outbox, whichever way it
was changed, once; each window sees the changes of its own subtree."""

import datetime
import json

from huicai.provsync.actions import capture_changes
from huicai.provsync.choices import Operation, RecordKind
from huicai.provsync.models import ProvincialChange
from huicai.talents.actions import change_card_status
from huicai.talents.choices import CardStatus
from huicai.talents.models import Talent

HOUR = datetime.timedelta(hours=1)


def rows_of(kind):
    return [json.loads(change.row) for change in ProvincialChange.objects.filter(kind=kind)]


def test_the_first_capture_records_every_talent_and_card_in_the_exchange_template(world):
    counts = capture_changes(at=world.at)

    assert counts == {"created": 3, "updated": 0, "removed": 0}
    talents = {row["姓名"]: row for row in rows_of(RecordKind.TALENT)}
    assert set(talents) == {"李明", "刘洋"}
    assert talents["李明"] == {
        "姓名": "李明",
        "公民身份号码": world.li_ming.id_number,
        "手机号码": world.li_ming.mobile,
        "人才类别": world.category_b.code,
        "用人单位统一社会信用代码": world.linyi_pharma.credit_code,
        "属地窗口": world.windows["兰山区"].name,
        "单位专员账号": "wang_fang",
    }
    [card] = rows_of(RecordKind.CARD)
    assert card["卡号"] == "YM2026000001" and card["状态"] == "有效"


def test_a_second_capture_without_changes_records_nothing(world):
    capture_changes(at=world.at)

    counts = capture_changes(at=world.at + HOUR)

    assert counts == {"created": 0, "updated": 0, "removed": 0}
    assert ProvincialChange.objects.count() == 3


def test_a_change_made_around_the_actions_is_captured_with_the_columns_that_changed(world):
    capture_changes(at=world.at)
    # As a bulk update (a status check-in, an import) writes it: no action, no save().
    Talent.objects.filter(pk=world.li_ming.pk).update(name="李明明", employer=world.luozhuang_steel)

    counts = capture_changes(at=world.at + HOUR)

    assert counts["updated"] == 1
    change = ProvincialChange.objects.latest("pk")
    assert change.operation == Operation.UPDATED and change.object_id == world.li_ming.pk
    assert change.changed == ["姓名", "用人单位统一社会信用代码"]
    assert json.loads(change.row)["姓名"] == "李明明"


def test_a_card_status_changed_by_its_action_is_captured(world):
    capture_changes(at=world.at)
    change_card_status(world.li_ming_card, status=CardStatus.LOST, by=world.chen_jing, at=world.at + HOUR)

    capture_changes(at=world.at + 2 * HOUR)

    change = ProvincialChange.objects.latest("pk")
    assert (change.kind, change.operation, change.changed) == (RecordKind.CARD, Operation.UPDATED, ["状态"])
    assert json.loads(change.row)["状态"] == "已挂失"


def test_a_record_that_is_gone_is_captured_as_removed_with_its_last_row(world):
    capture_changes(at=world.at)
    world.li_ming_card.events.all().delete()
    world.li_ming_card.delete()

    counts = capture_changes(at=world.at + HOUR)

    assert counts["removed"] == 1
    change = ProvincialChange.objects.latest("pk")
    assert change.operation == Operation.REMOVED and json.loads(change.row)["卡号"] == "YM2026000001"
    assert capture_changes(at=world.at + 2 * HOUR)["removed"] == 0


def test_the_outbox_rows_are_encrypted_at_rest(world):
    from django.db import connection

    capture_changes(at=world.at)

    with connection.cursor() as cursor:
        cursor.execute("SELECT row FROM provsync_provincialchange")
        stored = " ".join(row for (row,) in cursor.fetchall())
    assert world.li_ming.id_number not in stored and "李明" not in stored


def test_a_county_window_sees_only_the_changes_of_its_subtree_and_the_city_window_all(world):
    capture_changes(at=world.at)

    lanshan = ProvincialChange.objects.visible_to(world.chen_jing)
    city = ProvincialChange.objects.visible_to(world.zhou_min)

    assert {json.loads(c.row).get("姓名") for c in lanshan.filter(kind=RecordKind.TALENT)} == {"李明"}
    assert lanshan.count() == 2  # 李明 and his card
    assert city.count() == 3
    assert not ProvincialChange.objects.visible_to(world.wang_fang).exists()
