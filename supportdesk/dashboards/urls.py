from django.urls import URLPattern, path

from supportdesk.dashboards import views

app_name = "dashboards"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("simulation/latest/<str:name>", views.simulation_file, name="simulation-file"),
]
