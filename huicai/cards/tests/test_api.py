"""惠才卡 applications over REST: the same actions, 4xx for bad input, 409 for a stale or decided one."""

from django.core.files.uploadedfile import SimpleUploadedFile

from huicai.cards.models import CardApplication
from huicai.cards.tests.test_flow import apply_shandong
from huicai.testing import force_login


def test_the_unit_applies_and_the_window_approves_over_the_api(rules, client):
    world = rules
    force_login(client, world.wang_fang)
    response = client.post(
        "/api/v1/card-applications/",
        {
            "talent": world.li_ming.pk,
            "kind": "shandong",
            "materials": [SimpleUploadedFile("a.pdf", b"%PDF-1.4")],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["allowed_steps"] == ["withdraw"]

    force_login(client, world.chen_jing)
    listed = client.get("/api/v1/card-applications/").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    stale = client.post(
        f"/api/v1/card-applications/{body['id']}/approve/",
        {},
        HTTP_IF_MATCH="7",
        content_type="application/json",
    )
    assert stale.status_code == 409
    approved = client.post(
        f"/api/v1/card-applications/{body['id']}/approve/",
        {},
        HTTP_IF_MATCH=str(body["version"]),
        content_type="application/json",
    )
    assert approved.status_code == 200
    assert approved.json()["card_number"].startswith("SD")
    again = client.post(
        f"/api/v1/card-applications/{body['id']}/approve/", {}, content_type="application/json"
    )
    assert again.status_code == 409


def test_bad_bodies_are_400_and_change_nothing(rules, client):
    force_login(client, rules.wang_fang)
    assert client.post("/api/v1/card-applications/", {"talent": "x", "kind": "gold"}).status_code == 400
    assert (
        client.post(
            "/api/v1/card-applications/",
            {
                "talent": rules.liu_yang.pk,
                "kind": "shandong",
                "materials": [SimpleUploadedFile("a.pdf", b"%PDF-1.4")],
            },
        ).status_code
        == 400
    )
    assert not CardApplication.objects.exists()
    application = apply_shandong(rules)
    force_login(client, rules.chen_jing)
    response = client.post(
        f"/api/v1/card-applications/{application.pk}/return/", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert (
        client.post("/api/v1/card-applications/abc/approve/", {}, content_type="application/json").status_code
        == 404
    )


def test_outsiders_get_404_and_the_unit_403_on_a_decision(rules, client):
    application = apply_shandong(rules)
    force_login(client, rules.sun_lei)
    assert client.get(f"/api/v1/card-applications/{application.pk}/").status_code == 404
    force_login(client, rules.wang_fang)
    response = client.post(
        f"/api/v1/card-applications/{application.pk}/approve/", {}, content_type="application/json"
    )
    assert response.status_code == 403
