"""The organisations (divisions, windows, departments, institutions, employers) as reference data. Their
rules live on the models (a window's path and level, an employer's credit code) and the admin form runs them.
Cases, posts and talents point at these rows, so they are retired with "有效/运行中", never deleted."""

from django.contrib import admin

from huicai.core.admin import ScopedAdminMixin
from huicai.org.models import Department, Division, Employer, UndertakingOrg, Window


class NotDeletedAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Division)
class DivisionAdmin(NotDeletedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Window)
class WindowAdmin(NotDeletedAdmin):
    list_display = ["name", "level", "division", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "host"]
    fields = ["name", "level", "division", "parent", "host", "address", "phone", "is_active"]


@admin.register(Department)
class DepartmentAdmin(NotDeletedAdmin):
    list_display = ["name", "short_name", "level", "division", "is_active"]
    list_filter = ["level", "division", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(UndertakingOrg)
class UndertakingOrgAdmin(NotDeletedAdmin):
    list_display = ["name", "department", "division", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["name"]


@admin.register(Employer)
class EmployerAdmin(ScopedAdminMixin, NotDeletedAdmin):
    list_display = ["name", "credit_code", "window", "is_active"]
    list_filter = ["window", "is_active"]
    search_fields = ["name", "credit_code"]
