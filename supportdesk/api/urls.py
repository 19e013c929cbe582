"""/api/v1/ — one line per resource; add new ones as `path("<prefix>/", include(...))`."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from supportdesk.api import converters, schema  # noqa: F401 - registers the `ticket` path converter and the Api-Key OpenAPI scheme
from supportdesk.api.v1.agents.views import AgentMeView
from supportdesk.api.v1.attachments.views import AttachmentDownloadView, AttachmentThumbnailView
from supportdesk.api.v1.customers.views import (
    CustomerEraseView,
    CustomerExportJobView,
    CustomerExportView,
)
from supportdesk.api.v1.languages.views import LanguageListView
from supportdesk.api.v1.macros.views import MacroApplyView, MacroListView, MacroRenderView
from supportdesk.api.v1.messages.views import TicketMessagesView, TicketRepliesView
from supportdesk.api.v1.tickets.views import TicketViewSet

router = SimpleRouter(use_regex_path=False)
router.register("tickets", TicketViewSet, basename="ticket")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(router.urls)),
    path("tickets/<uuid:id>/messages/", TicketMessagesView.as_view(), name="ticket-messages"),
    path("tickets/<uuid:id>/replies/", TicketRepliesView.as_view(), name="ticket-replies"),
    path("languages/", LanguageListView.as_view(), name="language-list"),
    path("macros/", MacroListView.as_view(), name="macro-list"),
    path(
        "tickets/<uuid:id>/macros/<str:macro>/",
        MacroRenderView.as_view(),
        name="ticket-macro-render",
    ),
    path(
        "tickets/<uuid:id>/macros/<str:macro>/apply/",
        MacroApplyView.as_view(),
        name="ticket-macro-apply",
    ),
    path("agents/me/", AgentMeView.as_view(), name="agent-me"),
    path("dashboard/", include("supportdesk.api.v1.dashboards.urls")),
    path("webhooks/", include("supportdesk.api.v1.webhooks.urls")),
    path("customers/erase/", CustomerEraseView.as_view(), name="customer-erase"),
    path("customers/export/", CustomerExportView.as_view(), name="customer-export"),
    path(
        "customers/export/<uuid:id>/", CustomerExportJobView.as_view(), name="customer-export-job"
    ),
    path("attachments/<uuid:id>/", AttachmentDownloadView.as_view(), name="attachment-detail"),
    path(
        "attachments/<uuid:id>/thumbnail/",
        AttachmentThumbnailView.as_view(),
        name="attachment-thumbnail",
    ),
]
