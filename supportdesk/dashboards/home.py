"""`/` (named `home`, the admin's "View site"): each kind of user lands where its work is —
managers on the dashboard, other staff on the ticket list, everyone else on the login page."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from supportdesk.agents.selectors import is_manager


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return HttpResponseRedirect(f"{reverse('admin:login')}?next={reverse('admin:index')}")
    if is_manager(user):
        return HttpResponseRedirect(reverse("dashboards:dashboard"))
    return HttpResponseRedirect(reverse("admin:tickets_ticket_changelist"))


def managers_only(request: HttpRequest) -> HttpResponse:
    """The page a signed-in agent gets for a managers' page: in its language, in the admin's
    look, with a way back to its tickets (status 403)."""
    context = {
        **admin.site.each_context(request),
        "title": _("Managers only"),
        "is_nav_sidebar_enabled": False,
    }
    return render(request, "dashboards/managers_only.html", context, status=403)
