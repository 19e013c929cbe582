from django.urls import URLPattern, path

from supportdesk.api.v1.dashboards import views

app_name = "dashboard-api"

urlpatterns: list[URLPattern] = [
    path("queues/", views.QueuesView.as_view(), name="queues"),
    path("hub/", views.HubView.as_view(), name="hub"),
    path("agents/", views.AgentsView.as_view(), name="agents"),
    path("sla/", views.SlaView.as_view(), name="sla"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("staffing/", views.StaffingView.as_view(), name="staffing"),
]
