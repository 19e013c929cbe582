from django.urls import include, path

from benchmarks.intake.floor.views import NoteCreateView

urlpatterns = [
    path("bench/floor/", NoteCreateView.as_view()),
    path("", include("config.urls")),
]
