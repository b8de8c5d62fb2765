"""The pages of 惠才卡 applications: who sees what, bad input, the talent's card with its QR code, and the
public check that shows validity and never the holder."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huicai.cards import actions
from huicai.cards.choices import ApplicationStatus
from huicai.cards.models import CardApplication
from huicai.cards.tests.test_flow import apply_shandong
from huicai.core.models import AuditEvent
from huicai.directservices.cards import card_qr_payload
from huicai.testing import force_login


def test_the_unit_applies_on_the_page_with_materials(rules, client):
    world = rules
    force_login(client, world.wang_fang)
    page = client.get("/cards/apply/")
    assert world.li_ming.name in page.content.decode()
    response = client.post(
        f"/cards/apply/{world.li_ming.pk}/",
        {
            "kind": "shandong",
            "purpose": "new",
            "note": "",
            "materials": [
                SimpleUploadedFile("a.pdf", b"%PDF-1.4 a", content_type="application/pdf"),
                SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\nxxxx", content_type="image/png"),
            ],
        },
    )
    application = CardApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cards/{application.pk}/"
    assert application.materials.count() == 2


def test_a_file_that_is_not_a_pdf_or_picture_is_refused_and_nothing_is_kept(rules, client):
    force_login(client, rules.wang_fang)
    response = client.post(
        f"/cards/apply/{rules.li_ming.pk}/",
        {"kind": "shandong", "purpose": "new", "materials": [SimpleUploadedFile("x.pdf", b"MZ not a pdf")]},
    )
    assert response.status_code == 400
    assert "只接受 PDF、JPG、PNG" in response.content.decode()
    assert not CardApplication.objects.exists()


def test_bad_ids_and_other_peoples_talents_are_404(rules, client):
    force_login(client, rules.qian_hui)
    assert client.get(f"/cards/apply/{rules.li_ming.pk}/").status_code == 404
    assert client.get("/cards/99999999999999999999/").status_code == 404
    application = apply_shandong(rules)
    assert client.get(f"/cards/{application.pk}/").status_code == 404
    force_login(client, rules.sun_lei)
    assert client.get(f"/cards/{application.pk}/").status_code == 404
    assert client.post(f"/cards/{application.pk}/steps/approve/", {"version": 1}).status_code == 404
    assert CardApplication.objects.get().status == ApplicationStatus.SUBMITTED


def test_the_window_decides_on_the_page_and_a_stale_form_says_so(rules, client):
    world = rules
    application = apply_shandong(world)
    force_login(client, world.chen_jing)
    page = client.get(f"/cards/{application.pk}/").content.decode()
    assert "批准发卡" in page and "退回补正" in page
    client.post(f"/cards/{application.pk}/steps/return/", {"version": 1, "reason": "请补充证明"})
    response = client.post(f"/cards/{application.pk}/steps/approve/", {"version": 1}, follow=True)
    assert "已被他人修改" in response.content.decode() or "不能执行此操作" in response.content.decode()
    assert CardApplication.objects.get().status == ApplicationStatus.RETURNED
    assert client.post(f"/cards/{application.pk}/steps/bogus/", {"version": 2}).status_code == 404


def test_a_material_download_is_audited_and_only_for_those_who_see_the_application(rules, client):
    application = apply_shandong(rules)
    material = application.materials.get()
    force_login(client, rules.chen_jing)
    response = client.get(f"/cards/{application.pk}/materials/{material.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.EXPORT, detail=f"cards material {material.pk}"
    ).exists()
    force_login(client, rules.zhao_qiang)
    assert client.get(f"/cards/{application.pk}/materials/{material.pk}/").status_code == 404


def test_the_talent_sees_the_card_with_its_qr_code_and_no_article_numbers(rules, client):
    force_login(client, rules.li_ming_user)
    page = client.get("/cards/mine/").content.decode()
    assert rules.li_ming_card.number in page
    assert "<svg" in page and "qr-svg" in page
    assert "S11" not in page


def test_staff_have_no_talent_card_page(rules, client):
    force_login(client, rules.chen_jing)
    assert client.get("/cards/mine/").status_code == 403
    force_login(client, rules.zhao_qiang)
    assert client.get("/cards/").status_code == 403


def test_the_public_check_shows_validity_and_never_the_holder(rules, client):
    card = rules.li_ming_card
    response = client.post("/cards/verify/", {"code": card_qr_payload(card)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "今日有效" in page and rules.li_ming.name not in page
    forged = card_qr_payload(card)[:-2] + "00"
    response = client.post("/cards/verify/", {"code": forged})
    assert response.status_code == 400 and "校验失败" in response.content.decode()


def test_the_list_is_paged_with_a_fixed_number_of_queries(rules, client, django_assert_max_num_queries):
    world = rules
    for talent, kind in [(world.li_ming, "shandong")]:
        actions.submit_card_application(
            talent=talent,
            kind=kind,
            files=[("x", SimpleUploadedFile("x.pdf", b"%PDF-1.4"))],
            by=world.wang_fang,
            at=world.at,
        )
    force_login(client, world.chen_jing)
    with django_assert_max_num_queries(12):
        response = client.get("/cards/")
    assert response.status_code == 200
    assert "第 1 / 1 页" in response.content.decode()


@pytest.mark.parametrize("path", ["/cards/?page=abc", "/cards/?page=999", "/cards/?status=nonsense"])
def test_odd_query_strings_are_answered(rules, client, path):
    force_login(client, rules.chen_jing)
    assert client.get(path).status_code == 200
