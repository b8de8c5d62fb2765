"""Window grading in the admin, to read only: every change goes through actions.py with its event (a score
changed here would bypass the reason and the audit), and an issued report never changes."""

from django.contrib import admin

from huicai.core.admin import ReadOnlyAdmin
from huicai.grading.models import Evaluation, Interview, Objection, Report, RubricVersion, WindowResult


@admin.register(RubricVersion)
class RubricVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "note", "excellent_min", "good_min", "pass_min", "created_at"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "rubric", "computed_at", "published_at", "compute_seconds"]
    list_filter = ["kind", "status"]


@admin.register(WindowResult)
class WindowResultAdmin(ReadOnlyAdmin):
    list_display = ["window", "evaluation", "score", "rank", "grade", "adjusted_score"]
    list_filter = ["grade"]
    list_select_related = ["window", "evaluation"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["result", "status", "filed_at", "answered_at"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["window", "status", "responsible_name", "plan_due_date", "opened_at"]
    list_filter = ["status"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "issued_at", "pdf_sha256"]
    exclude = ["pdf", "xlsx"]
