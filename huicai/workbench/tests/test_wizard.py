"""The new-application wizard (S11-1, W13): choose the talent, the items with their guides, upload the
materials each asks for, record consent, and review — which says before submitting whether the
application goes straight to a department (one item) or to the window (several)."""

from huicai.casework import actions
from huicai.casework.choices import ApplicationStatus, Route
from huicai.casework.models import Application, Material
from huicai.casework.tests.conftest import item_fields
from huicai.catalogue import actions as catalogue
from huicai.workbench.tests.conftest import HTMX, pdf, prepare


def test_step_one_offers_only_my_talents_and_searches_in_place(world, login, frozen):
    client = login(world.wang_fang)

    page = client.get("/workbench/apply/").content.decode()
    rows = client.get("/workbench/apply/?q=刘", **HTMX).content.decode()

    assert f'href="/workbench/apply/talents/{world.li_ming.pk}/"' in page and "刘洋" not in page
    assert rows.startswith('<div id="talent-rows">') and "没有符合条件的人才" in rows


def test_step_two_shows_the_items_open_to_the_talent_with_their_guides(case, login, frozen):
    world = case.world
    only_c = catalogue.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        talent_categories=[world.category_c],
        **item_fields(world, "LY-ZC-009", "省级人才专项", "市公安局", 5, 10, "title"),
    )
    catalogue.publish_item(only_c, by=world.zhou_min, at=world.at)

    page = login(world.wang_fang).get(f"/workbench/apply/talents/{world.li_ming.pk}/").content.decode()

    assert "高层次人才落户" in page and "人才公寓申请" in page and "子女入学安排" in page
    assert "省级人才专项" not in page  # li_ming is category B
    assert "居民身份证（必交，1 份）" in page and "补充说明（如有）" in page
    assert "承诺 3 个工作日（法定 20）" in page


def test_choosing_nothing_is_refused_next_to_the_items_and_creates_nothing(case, login, frozen):
    world = case.world

    response = login(world.wang_fang).post(f"/workbench/apply/talents/{world.li_ming.pk}/", {"note": "x"})

    assert response.status_code == 400
    page = response.content.decode()
    assert '<div id="items-errors" role="alert">' in page and "请至少选择一个服务事项" in page
    assert not Application.objects.exists()


def test_choosing_items_creates_the_draft_and_moves_to_the_materials(case, login, frozen):
    world = case.world

    response = login(world.wang_fang).post(
        f"/workbench/apply/talents/{world.li_ming.pk}/",
        {"items": [case.hukou.pk, case.housing.pk, case.school.pk], "note": "安家落户"},
    )

    application = Application.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/workbench/apply/{application.pk}/materials/"
    )
    assert application.status == ApplicationStatus.DRAFT and application.items.count() == 3
    assert application.unit_post == world.wang_fang_post and application.note == "安家落户"


def test_an_item_not_open_to_the_talent_cannot_be_smuggled_in(case, login, frozen):
    world = case.world
    only_c = catalogue.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        talent_categories=[world.category_c],
        **item_fields(world, "LY-ZC-009", "省级人才专项", "市公安局", 5, 10, "title"),
    )
    catalogue.publish_item(only_c, by=world.zhou_min, at=world.at)

    response = login(world.wang_fang).post(
        f"/workbench/apply/talents/{world.li_ming.pk}/", {"items": [only_c.pk]}
    )

    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert not Application.objects.exists()


def test_uploads_swap_in_place_and_a_file_that_is_not_a_document_is_refused_beside_its_field(
    case, login, frozen
):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )
    line = application.items.get()
    key = line.materials_required[0]["key"]
    client = login(world.wang_fang)
    url = f"/workbench/apply/{application.pk}/materials/"

    refused = client.post(
        url, {"line": line.pk, "key": key, "file": pdf("假.pdf", b"not a pdf at all")}, **HTMX
    ).content.decode()
    accepted = client.post(
        url, {"line": line.pk, "key": key, "file": pdf("身份证.pdf")}, **HTMX
    ).content.decode()

    assert refused.startswith('<div id="material-lines">')
    error = refused[refused.index(f'id="err-{line.pk}-{key}"') :]
    assert "只接受 PDF、JPG、PNG 文件（按文件内容判断）" in error[: error.index("</ul>")]
    assert f'aria-describedby="err-{line.pk}-{key}"' in refused
    assert Material.objects.count() == 1
    assert "身份证.pdf" in accepted and "必交材料已齐" in accepted


def test_an_upload_without_a_file_is_refused_without_javascript_too(case, login, frozen):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )
    line = application.items.get()

    response = login(world.wang_fang).post(
        f"/workbench/apply/{application.pk}/materials/", {"line": line.pk, "key": "M01"}
    )

    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    assert not Material.objects.exists()


def test_consent_needs_a_method_and_then_leads_to_the_review(case, login, frozen):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )
    client = login(world.wang_fang)
    url = f"/workbench/apply/{application.pk}/consent/"

    refused = client.post(url, {"version": application.version})
    accepted = client.post(url, {"method": "signed", "note": "已签字", "version": application.version})

    assert refused.status_code == 400 and "该字段是必填项" in refused.content.decode()
    assert (
        accepted.status_code == 302 and accepted["Location"] == f"/workbench/apply/{application.pk}/review/"
    )
    application.refresh_from_db()
    assert application.consent_method == "signed" and application.consent_at is not None


def test_the_review_says_one_item_goes_straight_to_its_department(case, login, frozen):
    application = prepare(case, [case.hukou])

    page = login(case.world.wang_fang).get(f"/workbench/apply/{application.pk}/review/").content.decode()

    assert "只有 1 个事项：提交后直接报送 临沂市公安局" in page


def test_the_review_says_several_items_go_to_the_window_and_names_the_departments(case, login, frozen):
    application = prepare(case, [case.hukou, case.housing, case.school])

    page = login(case.world.wang_fang).get(f"/workbench/apply/{application.pk}/review/").content.decode()

    assert "共 3 个事项：提交后报送 兰山区高层次人才服务窗口" in page
    assert "临沂市住房和城乡建设局" in page and "临沂市教育局" in page and "临沂市公安局" in page


def test_submitting_with_a_material_missing_is_refused_and_lists_what_is_missing(case, login, frozen):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou, case.school], by=world.wang_fang, at=world.at
    )
    application = actions.record_consent(application, method="signed", by=world.wang_fang, at=world.at)

    response = login(world.wang_fang).post(
        f"/workbench/apply/{application.pk}/review/", {"version": application.version}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert '<ul class="errorlist" role="alert" id="submit-errors">' in page and "以下必交材料尚未上传" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submitting_sends_it_on_and_the_wizard_then_leads_to_the_application(case, login, frozen):
    world = case.world
    application = prepare(case, [case.hukou, case.housing, case.school])
    client = login(world.wang_fang)

    response = client.post(
        f"/workbench/apply/{application.pk}/review/", {"version": application.version}, follow=True
    )
    again = client.get(f"/workbench/apply/{application.pk}/materials/")

    application.refresh_from_db()
    assert (application.status, application.route) == (ApplicationStatus.SUBMITTED, Route.WINDOW)
    assert "已报送 兰山区高层次人才服务窗口 梳理分办" in response.content.decode()
    assert again.status_code == 302 and again["Location"] == f"/cases/applications/{application.pk}/"
