from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from apps.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    raw_id_fields = ["org"]


@admin.register(User)
class XianfengUserAdmin(UserAdmin):
    inlines = [RoleGrantInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("先锋", {"fields": ("display_name",)}))
