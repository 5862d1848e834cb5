from django.contrib import admin

from .models import AuditEntry, Centre, Office, Team

admin.site.register(Centre)
admin.site.register(Office)
admin.site.register(Team)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
