"""The admin is no side door around the rules: the superuser, posting straight to the change forms, cannot
set a protected field (a card's status, a commissioner's employer, a post's period); the changes an
administrator does need go through the same actions, with their checks and their events; and every
registered admin still renders."""

import pytest
from django.contrib import admin
from django.urls import reverse

from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post, UnitAssignment
from huicai.core.models import AuditEvent
from huicai.talents.actions import change_card_status
from huicai.talents.choices import CardStatus
from huicai.talents.models import TalentCardEvent
from huicai.testing import make_user


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_every_registered_admin_list_and_add_form_renders_for_the_superuser(world, login):
    client = login(world.admin)

    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        if model_admin.has_add_permission(changelist.wsgi_request):
            added = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
            assert added.status_code == 200, opts.label
        first = model_admin.get_queryset(changelist.wsgi_request).first()
        if first is not None:
            change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
            assert change.status_code == 200, opts.label


# --- talent cards ----------------------------------------------------------------------------------


def test_a_revoked_card_cannot_be_set_back_to_valid_from_its_change_form(world, login):
    card = change_card_status(world.li_ming_card, status=CardStatus.REVOKED, by=world.chen_jing, at=world.at)
    events = TalentCardEvent.objects.count()
    client = login(world.admin)

    response = client.post(
        f"/admin/talents/talentcard/{card.pk}/change/",
        {
            "talent": world.li_ming.pk,
            "kind": card.kind,
            "number": card.number,
            "level": "",
            "issued_date": "2026-01-10",
            "valid_until_date": "2028-01-09",
            "status": CardStatus.VALID,
        },
    )

    card.refresh_from_db()
    assert response.status_code == 403
    assert card.status == CardStatus.REVOKED
    assert TalentCardEvent.objects.count() == events


def test_the_admin_action_revokes_a_card_through_the_action_and_writes_its_event(world, login):
    card = world.li_ming_card
    client = login(world.admin)

    response = client.post(
        "/admin/talents/talentcard/", {"action": "revoke", "_selected_action": [card.pk]}, follow=True
    )

    card.refresh_from_db()
    assert card.status == CardStatus.REVOKED
    event = card.events.latest("at", "id")
    assert (event.from_status, event.to_status, event.by) == (
        CardStatus.VALID,
        CardStatus.REVOKED,
        world.admin,
    )
    assert "已更新 1 张人才卡的状态。" in messages_of(response)


def test_the_admin_action_reports_a_refused_status_change_in_chinese(world, login):
    card = change_card_status(world.li_ming_card, status=CardStatus.REVOKED, by=world.chen_jing, at=world.at)
    events = TalentCardEvent.objects.count()
    client = login(world.admin)

    response = client.post(
        "/admin/talents/talentcard/", {"action": "mark_lost", "_selected_action": [card.pk]}, follow=True
    )

    card.refresh_from_db()
    assert response.status_code == 200
    assert card.status == CardStatus.REVOKED
    assert TalentCardEvent.objects.count() == events
    assert any("人才卡状态不能从“已撤销”改为“已挂失”" in message for message in messages_of(response))


def test_a_card_issued_in_the_admin_goes_through_issue_card_and_is_valid(world, login):
    client = login(world.admin)

    response = client.post(
        "/admin/talents/talentcard/add/",
        {
            "talent": world.liu_yang.pk,
            "kind": "yimeng",
            "number": "YM2026000009",
            "level": "",
            "issued_date": "2026-03-01",
            "valid_until_date": "2028-02-28",
            "status": CardStatus.REVOKED,
        },
    )

    card = world.liu_yang.cards.get()
    assert response.status_code == 302
    assert card.status == CardStatus.VALID
    assert list(card.events.values_list("to_status", "by")) == [(CardStatus.VALID, world.admin.pk)]


def test_a_cards_history_cannot_be_deleted(world, login):
    client = login(world.admin)

    response = client.post(f"/admin/talents/talentcard/{world.li_ming_card.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert world.li_ming.cards.count() == 1


# --- unit commissioners ----------------------------------------------------------------------------


def test_a_unit_assignment_cannot_be_pointed_at_another_employers_commissioner(world, login):
    assignment = world.li_ming.unit_assignments.get()
    client = login(world.admin)

    response = client.post(
        f"/admin/commissioners/unitassignment/{assignment.pk}/change/",
        {"talent": world.li_ming.pk, "post": world.qian_hui_post.pk, "reason": "后门"},
    )

    assignment.refresh_from_db()
    assert response.status_code == 403
    assert assignment.post == world.wang_fang_post


def test_adding_another_employers_commissioner_is_refused_with_the_actions_message(world, login):
    client = login(world.admin)

    response = client.post(
        "/admin/commissioners/unitassignment/add/",
        {"talent": world.li_ming.pk, "post": world.qian_hui_post.pk, "reason": "后门"},
        follow=True,
    )

    assert "单位专员必须来自人才所在的用人单位。" in messages_of(response)
    assert list(world.li_ming.unit_assignments.values_list("post", "active_to")) == [
        (world.wang_fang_post.pk, None)
    ]


def test_adding_a_colleague_reassigns_the_talent_through_the_action(world, login):
    colleague = appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=world.linyi_pharma,
        by=world.admin,
        at=world.at,
    )
    client = login(world.admin)

    response = client.post(
        "/admin/commissioners/unitassignment/add/",
        {"talent": world.li_ming.pk, "post": colleague.pk, "reason": "王芳调岗"},
    )

    assert response.status_code == 302
    old, new = world.li_ming.unit_assignments.order_by("active_from", "id")
    assert (old.post, old.ended_by, old.end_reason) == (world.wang_fang_post, world.admin, "王芳调岗")
    assert old.active_to is not None
    assert (new.post, new.assigned_by, new.active_to) == (colleague, world.admin, None)


def test_unit_assignments_cannot_be_deleted(world, login):
    assignment = world.li_ming.unit_assignments.get()

    response = login(world.admin).post(
        f"/admin/commissioners/unitassignment/{assignment.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert UnitAssignment.objects.filter(pk=assignment.pk).exists()


# --- posts ---------------------------------------------------------------------------------------


def police_post(world):
    return Post.objects.get(user=world.zhao_qiang, kind=PostKind.DEPARTMENT)


def test_a_posts_holder_organisation_and_period_cannot_be_changed_in_its_form(world, login):
    post = police_post(world)
    client = login(world.admin)

    response = client.post(
        f"/admin/commissioners/post/{post.pk}/change/",
        {
            "user": world.chen_jing.pk,
            "kind": PostKind.WINDOW,
            "window": world.windows["兰山区"].pk,
            "department": "",
            "is_manager": "on",
            "is_full_time": "on",
            "position": "科长",
            "office_phone": "0539-1234567",
            "active_from_0": "2020-01-01",
            "active_from_1": "00:00:00",
            "active_to_0": "2020-06-01",
            "active_to_1": "00:00:00",
        },
    )

    post.refresh_from_db()
    assert response.status_code == 302
    assert (post.user, post.kind, post.department, post.window, post.is_manager) == (
        world.zhao_qiang,
        PostKind.DEPARTMENT,
        world.departments["市公安局"],
        None,
        False,
    )
    assert (post.active_from, post.active_to) == (world.at, None)
    assert (post.position, post.office_phone) == ("科长", "0539-1234567")


def test_ending_a_post_goes_through_end_post_and_is_audited(world, login):
    post = police_post(world)
    client = login(world.admin)

    response = client.post(
        "/admin/commissioners/post/", {"action": "end_selected", "_selected_action": [post.pk]}, follow=True
    )

    post.refresh_from_db()
    assert post.active_to is not None
    assert "已结束 1 个岗位。" in messages_of(response)
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ROLE_CHANGE, actor=world.admin, object_id=str(post.pk), detail="post ended"
    ).exists()


def test_ending_a_unit_post_that_still_has_talents_is_refused_in_chinese(world, login):
    client = login(world.admin)

    response = client.post(
        "/admin/commissioners/post/",
        {"action": "end_selected", "_selected_action": [world.wang_fang_post.pk]},
        follow=True,
    )

    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.active_to is None
    assert any("仍有对接的人才" in message for message in messages_of(response))


def test_a_post_added_in_the_admin_is_appointed_through_the_action_and_audited(world, login):
    person = make_user("wu_gang", "吴刚")
    client = login(world.admin)

    response = client.post(
        "/admin/commissioners/post/add/",
        {
            "user": person.pk,
            "kind": PostKind.UNIT,
            "employer": world.luozhuang_steel.pk,
            "is_full_time": "on",
            "position": "人事专员",
            "office_phone": "",
        },
    )

    post = Post.objects.get(user=person)
    assert response.status_code == 302
    assert (post.employer, post.active_to, post.position) == (world.luozhuang_steel, None, "人事专员")
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ROLE_CHANGE, object_id=str(post.pk), detail="post appointed"
    ).exists()


# --- talents and accounts ------------------------------------------------------------------------


def test_a_talents_employer_home_window_and_status_cannot_be_changed_in_the_admin(world, login):
    talent = world.li_ming
    client = login(world.admin)

    client.post(
        f"/admin/talents/talent/{talent.pk}/change/",
        {
            "name": "李明",
            "id_type": talent.id_type,
            "id_number": talent.id_number,
            "category": world.category_b.pk,
            "employer": world.luozhuang_steel.pk,
            "home_window": world.windows["罗庄区"].pk,
            "mobile": talent.mobile,
            "employment_status": "left",
            "lives_in_linyi": "false",
        },
    )

    talent.refresh_from_db()
    assert (talent.employer, talent.home_window, talent.employment_status) == (
        world.linyi_pharma,
        world.windows["兰山区"],
        "employed",
    )


def test_making_someone_a_superuser_is_audited_as_a_role_change(world, login):
    person = world.chen_jing
    client = login(world.admin)

    response = client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        {
            "username": person.username,
            "full_name": person.full_name,
            "mobile": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ROLE_CHANGE, object_id=str(person.pk), detail="account is_staff,is_superuser"
    ).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/talents/talent/{li_ming}/delete/",
        "/admin/accounts/user/{chen_jing}/delete/",
        "/admin/org/employer/{linyi_pharma}/delete/",
    ],
)
def test_records_with_history_cannot_be_deleted(world, login, url):
    client = login(world.admin)
    ids = {
        "li_ming": world.li_ming.pk,
        "chen_jing": world.chen_jing.pk,
        "linyi_pharma": world.linyi_pharma.pk,
    }

    response = client.post(url.format(**ids), {"post": "yes"})

    assert response.status_code == 403
