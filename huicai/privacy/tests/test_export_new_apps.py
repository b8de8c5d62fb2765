"""The talent's copy of their data (PIPL art. 45) covers what the newer apps keep about them: invitations
and attendance, pushes, achievements with their consent, 政策找人 offers and 免申即享 grants, arrival date and
push preference, 惠才卡 applications, why staff opened their archive, and their line in filed reports.
Nobody else's data comes with it: another talent invited to the same gathering, pushed the same notice or
listed in the same filing stays out."""

import json

import pytest
from django.urls import reverse

from huicai.archives import actions as archives
from huicai.archives.choices import Purpose as ArchivePurpose
from huicai.cards import actions as cards
from huicai.cards.tests.conftest import pdf, rules  # noqa: F401 - the fixture
from huicai.engagement import actions as engagement
from huicai.engagement.choices import PushKind
from huicai.engagement.tests.conftest import eng, later, make_gathering, make_rule  # noqa: F401
from huicai.filings import actions as filings
from huicai.filings.tests.conftest import APRIL_1, open_window
from huicai.privacy import actions, export, retention
from huicai.privacy.choices import RequestKind
from huicai.talents.choices import CardKind
from huicai.talents.models import Talent

pytestmark = pytest.mark.django_db


@pytest.fixture
def engaged(eng, rules):  # noqa: F811 - the imported fixtures
    """li_ming and liu_yang both invited to the city's gathering and pushed its notice; each has an
    achievement; li_ming answered, consented, was granted a benefit, applied for a card and had his archive
    opened by 兰山区's chen_jing."""
    world = eng.world
    gathering = make_gathering(world, by=world.zhou_min, window=world.windows["临沂市"])
    invitations = engagement.invite_talents(gathering, by=world.zhou_min, at=world.at)
    mine = next(i for i in invitations if i.talent == world.li_ming)
    engagement.answer_invitation(mine, accept=True, by=world.li_ming_user, at=later(world, hours=1))
    push = engagement.send_push(
        window=world.windows["临沂市"],
        kind=PushKind.NOTICE,
        title="春节慰问通知",
        body="请留意各窗口的慰问安排。",
        by=world.zhou_min,
        at=world.at,
    )
    engagement.read_push(push, by=world.li_ming_user, at=later(world, hours=2))
    achievement = engagement.record_achievement(
        world.li_ming,
        title="新型抗肿瘤药物获批临床",
        summary="李明团队研发的一类新药获批开展临床试验。",
        achieved_date=world.today,
        by=world.chen_jing,
        at=world.at,
    )
    engagement.consent_to_publication(achievement, by=world.li_ming_user, at=later(world, hours=3))
    engagement.record_achievement(
        world.liu_yang,
        title="高强度钢工艺改进",
        summary="刘洋主持的轧钢工艺改进项目。",
        achieved_date=world.today,
        by=world.sun_lei,
        at=world.at,
    )
    engagement.record_arrival_date(world.li_ming, arrival_date=world.today, by=world.chen_jing, at=world.at)
    engagement.set_offer_opt_out(world.li_ming, opted_out=True, by=world.li_ming_user, at=world.at)
    rule = make_rule(eng, max_age=45, grant_without_application=True)
    engagement.grant_benefit(rule, talent=world.li_ming, note="已直接拨付", by=world.chen_jing, at=world.at)
    cards.submit_card_application(
        talent=world.li_ming,
        kind=CardKind.SHANDONG,
        note="申领山东惠才卡",
        files=[("身份证明", pdf())],
        by=world.wang_fang,
        at=world.at,
    )
    archives.state_reason(
        world.li_ming,
        purpose=ArchivePurpose.SERVICE,
        note="跟进刘洋推荐的合作项目",  # staff's own words may name someone else: they stay out
        by=world.chen_jing,
        at=world.at,
    )
    return world


def test_the_json_export_lists_each_new_category_in_the_talents_own_words(engaged, login):
    world = engaged

    data = json.loads(login(world.li_ming_user).get(reverse("privacy:export_json")).content)

    [invitation] = data["gatherings"]
    assert (invitation["gathering"], invitation["rsvp"]) == ("春季人才联谊会", "参加")
    [receipt] = data["pushes"]
    assert (receipt["title"], receipt["channel"]) == ("春节慰问通知", "站内消息")
    assert receipt["read_at"] is not None
    [achievement] = data["achievements"]
    assert (achievement["title"], achievement["status"]) == ("新型抗肿瘤药物获批临床", "人才已同意")
    [consent] = achievement["consents"]
    assert "新型抗肿瘤药物获批临床" in consent["statement"] and consent["withdrawn_at"] is None
    assert data["arrival"][0]["arrival_date"] == str(world.today)
    assert data["preferences"][0]["offers_opted_out"] is True
    [grant] = data["grants"]
    assert (grant["title"], grant["reason"], grant["window"]) == (
        "兰山区高层次人才安家补贴",
        "年龄43周岁",
        world.windows["兰山区"].name,
    )
    [application] = data["card_applications"]
    assert (application["kind"], application["status"]) == ("山东惠才卡", "待窗口审核")
    assert [m["name"] for m in application["materials"]] == ["身份证明"]
    assert [e["event"] for e in application["events"]] == ["提交申请"]
    [reason] = data["archive_reasons"]
    assert (reason["by"], reason["purpose"]) == ("陈静", "办理或跟进该人才的服务事项")


def test_nothing_about_another_talent_comes_with_it(engaged, login):
    world = engaged

    text = login(world.li_ming_user).get(reverse("privacy:export_json")).content.decode()

    # liu_yang was invited to the same gathering, pushed the same notice and has an achievement of his own;
    # chen_jing's reason for opening the archive named him.
    assert "刘洋" not in text
    assert "高强度钢工艺改进" not in text
    assert world.liu_yang.id_number not in text
    # Nor does liu_yang's side of the gathering or the push show up as a second row.
    data = json.loads(text)
    assert len(data["gatherings"]) == len(data["pushes"]) == 1


def test_a_talent_with_nothing_in_the_new_apps_gets_empty_sections(world):
    data = export.personal_data(world.liu_yang)

    for key in ("gatherings", "pushes", "achievements", "offers", "grants", "card_applications", "filings"):
        assert data[key] == [], key


def test_a_filing_that_lists_two_talents_shows_only_the_talents_own_line(world):
    # liu_yang moves to 兰山区, so 兰山区's first quarter lists both of them.
    Talent.objects.filter(pk=world.liu_yang.pk).update(home_window=world.windows["兰山区"])
    filing = filings.file_filing(open_window(world.windows["兰山区"]), by=world.chen_jing, at=APRIL_1)
    assert filing.versions.get().talent_count == 2

    data = export.personal_data(world.li_ming)

    [entry] = data["filings"]
    assert entry["filer"] == world.windows["兰山区"].name
    assert entry["parent"] == world.windows["临沂市"].name
    assert entry["as_filed"]["name"] == "李明"
    assert set(entry["counts"]) >= {"direct_services", "applications"}
    assert "刘洋" not in json.dumps(data, ensure_ascii=False)


def test_the_pdf_carries_the_new_sections_with_chinese_titles(engaged, monkeypatch):
    # No PDF reader in the environment: the lines are caught as fpdf2 writes them, and the file must still
    # come out whole.
    from fpdf import FPDF

    written = []
    original = FPDF.multi_cell

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        written.append(text)
        return original(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", multi_cell)

    body = export.render_pdf(export.personal_data(engaged.li_ming))

    assert body.startswith(b"%PDF")
    text = "\n".join(written)
    for title in (
        "联谊交流活动邀请和签到",
        "收到的信息推送",
        "成果宣传及公开同意",
        "免申即享记录",
        "惠才卡申请",
    ):
        assert title in written
    assert "新型抗肿瘤药物获批临床" in text
    assert "同意内容" in text  # the consent, labelled, inside the achievement's line
    assert "刘洋" not in text


def test_the_export_costs_the_same_number_of_queries_however_much_is_held(
    engaged, django_assert_max_num_queries
):
    world = engaged
    for n in range(3):
        engagement.send_push(
            window=world.windows["临沂市"],
            kind=PushKind.NOTICE,
            title=f"通知{n}",
            body="……",
            by=world.zhou_min,
            at=world.at,
        )
        engagement.record_achievement(
            world.li_ming,
            title=f"成果{n}",
            summary="……",
            achieved_date=world.today,
            by=world.chen_jing,
            at=world.at,
        )

    with django_assert_max_num_queries(30):
        export.personal_data(world.li_ming)


# --- a deletion request: what the other apps hold, and what is kept by law --------------------------------


def test_the_window_answering_a_deletion_sees_what_each_app_holds_and_what_must_be_kept(engaged, login):
    world = engaged
    data_request = actions.file_request(
        world.li_ming,
        kind=RequestKind.DELETION,
        details="请删除我的全部记录。",
        by=world.li_ming_user,
        at=world.at,
    )

    page = login(world.chen_jing).get(reverse("privacy:request", args=[data_request.pk])).content.decode()

    rows = {row["key"]: row for row in retention.holdings(world.li_ming)}
    assert (rows["card_applications"]["count"], rows["grants"]["count"], rows["filings"]["count"]) == (
        1,
        1,
        0,
    )
    assert rows["card_applications"]["decision"] == "依法须保存，限制处理"
    assert rows["achievements"]["decision"] == "人才可自行停止"
    assert 'id="holdings"' in page
    assert "惠才卡申请及材料属申办档案" in page
    assert "已报送的备案是正式记录" in page


def test_the_talent_does_not_see_the_windows_table(engaged, login):
    world = engaged
    data_request = actions.file_request(
        world.li_ming, kind=RequestKind.DELETION, details="请删除。", by=world.li_ming_user, at=world.at
    )

    page = login(world.li_ming_user).get(reverse("privacy:request", args=[data_request.pk])).content.decode()

    assert 'id="holdings"' not in page


def test_the_table_costs_a_fixed_number_of_queries(engaged, django_assert_max_num_queries):
    world = engaged
    for n in range(3):
        engagement.record_achievement(
            world.li_ming,
            title=f"成果{n}",
            summary="……",
            achieved_date=world.today,
            by=world.chen_jing,
            at=world.at,
        )

    with django_assert_max_num_queries(len(retention.RULES)):
        retention.holdings(world.li_ming)


def test_the_talent_sees_on_the_phone_page_which_other_records_are_kept(engaged, login):
    world = engaged

    page = login(world.li_ming_user).get(reverse("privacy:mine"), HTTP_USER_AGENT="iPhone").content.decode()

    assert "惠才卡申请：1 条" in page
    assert "免申即享记录：1 条" in page
    assert "备案报送中的本人信息" not in page  # none yet: only what is held is listed
    assert "S11-4" not in page and "W16-1" not in page  # article numbers are for staff


def test_the_phone_page_costs_a_fixed_number_of_queries(engaged, login, django_assert_max_num_queries):
    world = engaged
    client = login(world.li_ming_user)
    for n in range(3):
        engagement.record_achievement(
            world.li_ming,
            title=f"成果{n}",
            summary="……",
            achieved_date=world.today,
            by=world.chen_jing,
            at=world.at,
        )

    with django_assert_max_num_queries(40):
        assert client.get(reverse("privacy:mine")).status_code == 200
