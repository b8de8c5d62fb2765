"""An audit trail that can't be rewritten (issue 13.5): refusals are recorded without flooding, rows keep
the actor as text, every row is chained to the one before, the database refuses changes (PostgreSQL), old
rows are archived with their chain, and a refused admin page is no reveal."""

import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponseForbidden, HttpResponseNotFound
from django.urls import resolve

from huicai.core import audit
from huicai.core.jobs import archive_audit_events
from huicai.core.middleware import AuditDenialsMiddleware
from huicai.core.models import AuditArchive, AuditEvent
from huicai.schedule import get_job
from huicai.testing import make_user

# Well after the world was built (2026-03-02), so the world's own audit rows are past every retention.
NOW = datetime.datetime(2027, 6, 1, 2, 30, tzinfo=datetime.UTC)


def tamper(sql, params):
    """Change audit rows behind the application's back, as someone with a database shell could on SQLite
    (on PostgreSQL only by switching the append-only trigger off, which takes a superuser)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def verify():
    """The first broken link of the whole chain (None when intact), after checking it covered every row."""
    checked, broken = audit.verify_chain()
    if broken is None:
        assert checked == AuditEvent.objects.count()
    return broken


# --- Refusals are recorded, aggregated. ---


def test_out_of_scope_requests_are_recorded_as_counted_denials(world, login):
    url = f"/talents/{world.li_ming.pk}/"

    with time_machine.travel(NOW, tick=False):
        outsider = login(world.sun_lei)
        statuses = {outsider.get(url).status_code for _ in range(12)}

    assert statuses == {404}
    denials = AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, actor=world.sun_lei).order_by("id")
    assert [event.detail for event in denials] == [
        "GET talents:detail (#1 in 10 min)",
        "GET talents:detail (#10 in 10 min)",
    ]
    assert {event.result for event in denials} == {"not_found"}


def test_three_thousand_denials_leave_four_rows_that_say_how_many(world, rf):
    # The same middleware as above, without the page around it, so the count stays fast.
    middleware = AuditDenialsMiddleware(lambda request: HttpResponseNotFound())
    with time_machine.travel(NOW, tick=False):
        for _ in range(3000):
            request = rf.get(f"/talents/{world.li_ming.pk}/")
            request.user = world.sun_lei
            request.resolver_match = resolve(request.path)
            middleware(request)

    denials = AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).order_by("id")
    assert [event.detail for event in denials] == [
        f"GET talents:detail (#{count} in 10 min)" for count in (1, 10, 100, 1000)
    ]


def test_a_new_window_starts_a_new_count(world, rf):
    middleware = AuditDenialsMiddleware(lambda request: HttpResponseNotFound())
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(2):
            request = rf.get(f"/talents/{world.li_ming.pk}/")
            request.user = world.sun_lei
            request.resolver_match = resolve(request.path)
            middleware(request)
            traveller.shift(datetime.timedelta(minutes=10))

    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, detail__contains="#1 in").count() == 2


def test_a_forbidden_page_is_recorded_as_a_denial(world, login):
    response = login(world.chen_jing).get("/accounts/unlock/")

    assert response.status_code == 403
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.DENIED)
    assert event.actor == world.chen_jing
    assert event.result == "denied"
    assert event.detail.startswith("GET accounts:unlock")


def test_a_refusal_the_view_records_itself_is_not_recorded_twice(world, rf):
    def view_that_audits_its_refusal(request):
        audit.record(AuditEvent.Kind.DENIED, request=request, result="denied", detail="reveal")
        return HttpResponseForbidden()

    request = rf.get("/talents/1/")
    request.user = world.chen_jing
    request.resolver_match = resolve(f"/talents/{world.li_ming.pk}/")

    response = AuditDenialsMiddleware(view_that_audits_its_refusal)(request)

    assert response.status_code == 403
    denials = AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED)
    assert list(denials.values_list("detail", flat=True)) == ["reveal"]


def test_an_unknown_address_is_not_a_denial(world, login):
    response = login(world.sun_lei).get("/no-such-page/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).exists()


# --- Old rows keep the actor as text. ---


def test_renaming_or_deleting_a_user_does_not_change_their_audit_rows(world):
    temp = make_user("temp_clerk", "临时办事员")
    audit.record(AuditEvent.Kind.LOGIN_OK, actor=temp, at=NOW)
    audit.record(AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW)
    temp_id = temp.pk

    world.chen_jing.username = "chen_jing_renamed"
    world.chen_jing.full_name = "陈晶"
    world.chen_jing.save()
    temp.delete()

    rows = {event.actor_id: event for event in AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_OK)}
    assert (rows[temp_id].actor_login, rows[temp_id].actor_name) == ("temp_clerk", "临时办事员")
    assert rows[world.chen_jing.pk].actor_display == "陈静（chen_jing）"
    assert verify() is None


# --- The hash chain and verify_audit. ---


def record_three(world):
    return [
        audit.record(AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW),
        audit.record(AuditEvent.Kind.REVEAL, actor=world.chen_jing, obj=world.li_ming, at=NOW),
        audit.record(AuditEvent.Kind.LOGOUT, actor=world.chen_jing, at=NOW),
    ]


def test_each_row_links_to_the_one_before(world):
    head = AuditEvent.objects.order_by("-id").first()

    first, second, third = record_three(world)

    assert first.prev_hash == head.row_hash
    assert second.prev_hash == first.row_hash
    assert third.prev_hash == second.row_hash
    assert len({first.row_hash, second.row_hash, third.row_hash}) == 3


def test_the_first_row_of_an_empty_log_starts_the_chain(db):
    event = audit.record(AuditEvent.Kind.LOGIN_FAILED, at=NOW)

    assert event.prev_hash == ""
    assert event.row_hash == event.compute_hash()


def test_verify_audit_reports_an_intact_chain(world, capsys):
    record_three(world)

    call_command("verify_audit")

    assert f"audit chain intact: {AuditEvent.objects.count()} rows verified" in capsys.readouterr().out


def test_verify_audit_reports_the_first_altered_row(world):
    _first, second, _third = record_three(world)
    tamper("UPDATE core_auditevent SET object_id = %s WHERE id = %s", ["999", second.pk])

    with pytest.raises(CommandError, match=f"broken at event #{second.pk}: content does not match its hash"):
        call_command("verify_audit")


def test_verify_audit_reports_a_removed_row_at_the_row_after_it(world):
    _first, second, third = record_three(world)
    tamper("DELETE FROM core_auditevent WHERE id = %s", [second.pk])

    with pytest.raises(CommandError, match=f"broken at event #{third.pk}: prev_hash is not the hash"):
        call_command("verify_audit")


def test_the_orm_refuses_to_change_or_delete_an_audit_row(world):
    event = audit.record(AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW)

    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(result="edited")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.save()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_the_database_refuses_update_and_delete_of_audit_rows(world):
    event = audit.record(AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW)

    for sql in [
        "UPDATE core_auditevent SET result = 'edited' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).result == "ok"
    assert verify() is None


# --- Retention: archived with the chain. ---


def test_the_retention_job_is_on_the_schedule():
    assert get_job("archive_audit_events").resolve() is archive_audit_events


def test_retention_archives_old_security_events_and_keeps_the_chain_verifiable(world, settings, tmp_path):
    settings.HUICAI_AUDIT_ARCHIVE_DIR = tmp_path
    old_login = audit.record(
        AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW - datetime.timedelta(days=200)
    )
    old_logout = audit.record(
        AuditEvent.Kind.LOGOUT, actor=world.chen_jing, at=NOW - datetime.timedelta(days=190)
    )
    recent = audit.record(
        AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW - datetime.timedelta(days=100)
    )

    outcome = archive_audit_events(at=NOW)

    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    archive = AuditArchive.objects.get()
    lines = [json.loads(line) for line in (tmp_path / outcome["file"]).read_text().splitlines()]
    assert outcome["archived"] == archive.count == len(lines)
    assert [line["id"] for line in lines[-2:]] == [old_login.pk, old_logout.pk]
    assert lines[-1]["row_hash"] == archive.last_hash == recent.prev_hash
    assert verify() is None


def test_security_events_younger_than_six_months_are_never_archived(world, settings, tmp_path):
    settings.HUICAI_AUDIT_ARCHIVE_DIR = tmp_path
    failure = audit.record(AuditEvent.Kind.LOGIN_FAILED, at=NOW - datetime.timedelta(days=183))

    archive_audit_events(at=NOW)

    assert list(AuditEvent.objects.all()) == [failure]


def test_a_reveal_is_kept_three_years_and_holds_back_the_rows_after_it(world, settings, tmp_path):
    settings.HUICAI_AUDIT_ARCHIVE_DIR = tmp_path
    audit.record(AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW - datetime.timedelta(days=400))
    reveal = audit.record(
        AuditEvent.Kind.REVEAL,
        actor=world.chen_jing,
        obj=world.li_ming,
        at=NOW - datetime.timedelta(days=300),
    )
    audit.record(AuditEvent.Kind.LOGOUT, actor=world.chen_jing, at=NOW - datetime.timedelta(days=299))

    archive_audit_events(at=NOW)

    assert AuditEvent.objects.order_by("id").first() == reveal
    assert AuditEvent.objects.count() == 2
    assert verify() is None


def test_after_everything_is_archived_the_next_row_links_to_the_archive(world, settings, tmp_path):
    settings.HUICAI_AUDIT_ARCHIVE_DIR = tmp_path
    audit.record(AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW - datetime.timedelta(days=400))
    archive_audit_events(at=NOW)

    new = audit.record(AuditEvent.Kind.LOGIN_OK, actor=world.chen_jing, at=NOW)

    assert new.prev_hash == AuditArchive.objects.get().last_hash
    assert verify() is None


# --- The admin's change form. ---


def test_a_refused_admin_change_form_is_no_reveal(world, login):
    # zhou_min is staff and sees every talent, but holds no admin permission on talents.
    response = login(world.zhou_min).get(f"/admin/talents/talent/{world.li_ming.pk}/change/")

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL).exists()


def test_an_admin_change_form_shown_is_one_reveal(world, login):
    response = login(world.admin).get(f"/admin/talents/talent/{world.li_ming.pk}/change/")

    assert response.status_code == 200
    reveal = AuditEvent.objects.get(kind=AuditEvent.Kind.REVEAL)
    assert reveal.object_id == str(world.li_ming.pk)
