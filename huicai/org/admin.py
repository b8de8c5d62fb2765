from django.contrib import admin

from huicai.core.admin import ScopedAdminMixin
from huicai.org.models import Department, Division, Employer, UndertakingOrg, Window


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "division", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "host"]
    fields = ["name", "level", "division", "parent", "host", "address", "phone", "is_active"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "division", "is_active"]
    list_filter = ["level", "division", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(UndertakingOrg)
class UndertakingOrgAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "division", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["name"]


@admin.register(Employer)
class EmployerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "credit_code", "window", "is_active"]
    list_filter = ["window", "is_active"]
    search_fields = ["name", "credit_code"]
