"""The schedule cannot forget a job: every app's periodic functions are collected from the apps themselves,
and a function that looks like a job but is declared nowhere fails this test."""

import datetime
import inspect
import types

from django.core.management import call_command

from huicai.core.schedule import Job
from huicai.schedule import all_jobs, job_modules


def looks_like_a_job(function) -> bool:
    """``f(*, at, ...)``: no positional parameter, a keyword-only ``at``, the rest with defaults."""
    parameters = inspect.signature(function).parameters.values()
    return (
        any(p.name == "at" and p.kind is p.KEYWORD_ONLY for p in parameters)
        and all(p.kind is p.KEYWORD_ONLY for p in parameters)
        and all(p.default is not p.empty for p in parameters if p.name != "at")
    )


def unscheduled_job_functions(modules, jobs) -> list[str]:
    scheduled = {job.resolve() for job in jobs}
    missing = []
    for module in modules:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if looks_like_a_job(function) and function not in scheduled:
                missing.append(f"{module.__name__}.{name}")
    return missing


def test_every_job_function_of_every_app_is_on_the_schedule():
    assert unscheduled_job_functions(job_modules(), all_jobs()) == []


def test_the_check_names_a_job_function_that_is_declared_nowhere():
    module = types.ModuleType("huicai.example.jobs")

    def sweep(*, at):
        return {}

    def helper(pk, *, at):  # takes a row: a step of a job, not a job
        return True

    sweep.__module__ = helper.__module__ = module.__name__
    module.sweep, module.helper = sweep, helper

    assert unscheduled_job_functions([module], []) == ["huicai.example.jobs.sweep"]
    assert unscheduled_job_functions([module], [Job("x", sweep, every=datetime.timedelta(hours=1))]) == []


def test_the_schedule_collects_the_jobs_of_every_app_that_has_periodic_work():
    apps_with_jobs = {module.__name__.split(".")[1] for module in job_modules()}
    names = {job.name for job in all_jobs()}

    assert {
        "notifications",
        "directservices",
        "supervision",
        "ratings",
        "hotlines",
        "outreach",
    } <= apps_with_jobs
    assert {
        "send_pending_deliveries",
        "supervision_cards",
        "supervision_chase_rounds",
        "ratings_flag_overdue_rectifications",
        "directservices_appointment_reminders",
        "hotlines_send_results",
        "hotlines_forget_webhook_ids",
        "outreach_chase_checkins",
    } <= names
    assert len(names) == len(all_jobs())  # names are unique


def test_the_job_table_lists_every_job_with_its_timing(db, capsys):
    call_command("run_scheduler", "--list")

    table = capsys.readouterr().out
    for job in all_jobs():
        assert job.name in table
        assert job.dotted_path in table
    assert "每个工作日 09:00" in table
    assert "每 1 小时" in table
