from django.contrib import admin

from supportdesk.sla.models import BusinessHours, Holiday, SlaPolicy, WorkingInterval


class WorkingIntervalInline(admin.TabularInline[WorkingInterval, BusinessHours]):
    model = WorkingInterval
    extra = 0


class HolidayInline(admin.TabularInline[Holiday, BusinessHours]):
    model = Holiday
    extra = 0


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin[BusinessHours]):
    list_display = ("name", "timezone")
    search_fields = ("name",)
    inlines = (WorkingIntervalInline, HolidayInline)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = (
        "name",
        "priority",
        "language",
        "first_response_minutes",
        "resolution_minutes",
        "business_hours",
        "escalate_on_breach",
    )
    list_filter = ("priority", "escalate_on_breach", "business_hours")
    search_fields = ("name", "language")
