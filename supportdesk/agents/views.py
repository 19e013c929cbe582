"""The agent's own status switch, posted from the header of every admin page, and the
heartbeat an open workspace page sends (the middleware records it as activity)."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_set_status
from supportdesk.core.exceptions import DomainError


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


@require_POST
@staff_member_required
def agent_status_set(request: HttpRequest) -> HttpResponse:
    agent = Agent.objects.filter(user__pk=request.user.pk or 0).first()
    if agent is None:
        messages.error(request, _("You have no agent profile."))
        return HttpResponseRedirect(_back(request))
    try:
        agent_set_status(agent=agent, status=request.POST.get("status", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Your status is now %(status)s.") % {"status": agent.get_status_display()},
        )
    return HttpResponseRedirect(_back(request))


@require_POST
@staff_member_required
def agent_heartbeat(request: HttpRequest) -> HttpResponse:
    """204: the page is open. `AgentPreferencesMiddleware` has already marked the agent seen."""
    return HttpResponse(status=204)
