from django.urls import path

from supportdesk.mail.views import inbound

urlpatterns = [path("inbound/<slug:provider>/", inbound, name="mail-inbound")]
