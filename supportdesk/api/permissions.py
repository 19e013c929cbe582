from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from supportdesk.api.authentication import principal_of


class IsClientApp(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return principal_of(request).client_app_id is not None


class IsStaff(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return principal_of(request).is_staff


class IsAgent(BasePermission):
    """Staff with an agent profile."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        principal = principal_of(request)
        return principal.is_staff and hasattr(request.user, "agent")


class IsManager(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return principal_of(request).is_manager


class IsClientAppOrStaff(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        principal = principal_of(request)
        return principal.client_app_id is not None or principal.is_staff
