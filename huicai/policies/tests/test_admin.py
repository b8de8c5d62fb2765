"""The admin goes through the actions: index, events and jurisdiction rules are the same as on the pages."""

from django.urls import reverse

from huicai.policies.actions import expire_policy
from huicai.policies.choices import PolicyEventKind, PolicyStatus
from huicai.policies.models import Policy, PolicyTerm

FORM = {
    "title": "人才子女入学服务办法",
    "issuer": "临沂市教育局",
    "document_number": "临教发〔2026〕2号",
    "issue_date": "2026-03-01",
    "effective_date": "2026-03-01",
    "expiry_date": "",
    "body": "高层次人才子女入学，由教育部门统筹安排。",
    "events-TOTAL_FORMS": "0",
    "events-INITIAL_FORMS": "0",
}


def test_adding_in_the_admin_drafts_through_the_action(world, login):
    client = login(world.admin)

    response = client.post(
        reverse("admin:policies_policy_add"), {**FORM, "window": world.windows["临沂市"].pk}
    )

    policy = Policy.objects.get()
    assert response.status_code == 302
    assert (policy.status, policy.created_by) == (PolicyStatus.DRAFT, world.admin)
    assert PolicyTerm.objects.filter(policy=policy, term="子女").exists()
    assert [e.kind for e in policy.events.all()] == [PolicyEventKind.CREATED]


def test_the_admin_shows_a_region_outside_the_window_as_a_form_error(world, login):
    client = login(world.admin)

    response = client.post(
        reverse("admin:policies_policy_add"),
        {**FORM, "window": world.windows["兰山区"].pk, "divisions": [world.divisions["罗庄区"].pk]},
    )

    assert response.status_code == 200
    assert "超出本窗口辖区" in response.content.decode()
    assert not Policy.objects.exists()


def test_changing_in_the_admin_edits_through_the_action(world, draft, login):
    policy = draft(title="旧标题")
    client = login(world.admin)

    response = client.post(reverse("admin:policies_policy_change", args=[policy.pk]), FORM)

    policy.refresh_from_db()
    assert response.status_code == 302
    assert policy.title == "人才子女入学服务办法"
    assert policy.events.filter(kind=PolicyEventKind.EDITED, by=world.admin).exists()
    assert PolicyTerm.objects.filter(policy=policy, term="入学").exists()


def test_the_admin_publish_action_publishes_and_notifies(world, draft, login):
    policy = draft(title="人才住房办法")
    client = login(world.admin)

    client.post(
        reverse("admin:policies_policy_changelist"),
        {"action": "publish_selected", "_selected_action": [policy.pk]},
    )

    policy.refresh_from_db()
    assert policy.status == PolicyStatus.IN_FORCE
    assert world.li_ming_user.notifications.count() == 1


def test_the_admin_reports_a_refused_transition(world, draft, login):
    policy = draft(title="人才住房办法")
    client = login(world.admin)

    response = client.post(
        reverse("admin:policies_policy_changelist"),
        {"action": "expire_selected", "_selected_action": [policy.pk]},
        follow=True,
    )

    assert "人才住房办法：草稿尚未发布，不能废止。" in response.content.decode()


def test_an_expired_policy_cannot_be_changed_in_the_admin(world, draft, login):
    policy = draft(title="人才住房办法", publish=True)
    expire_policy(policy, by=world.zhou_min, at=world.at)
    client = login(world.admin)

    response = client.post(reverse("admin:policies_policy_change", args=[policy.pk]), FORM)

    policy.refresh_from_db()
    assert response.status_code == 403
    assert policy.title == "人才住房办法"


def test_a_staff_window_commissioner_cannot_change_another_windows_policy_in_the_admin(world, draft, login):
    from django.contrib.auth.models import Permission

    policy = draft(
        title="兰山区人才住房办法",
        by=world.chen_jing,
        window=world.windows["兰山区"],
        divisions=[world.divisions["兰山区"]],
        publish=True,
    )
    world.sun_lei.is_staff = True
    world.sun_lei.save(update_fields=["is_staff"])
    world.sun_lei.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_policy", "change_policy"])
    )
    client = login(world.sun_lei)

    response = client.post(reverse("admin:policies_policy_change", args=[policy.pk]), FORM)

    policy.refresh_from_db()
    assert response.status_code == 403
    assert policy.title == "兰山区人才住房办法"
