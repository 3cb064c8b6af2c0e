from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from corpnet.api.pagination import PagePagination
from mailing import selectors, services
from mailing.api.serializers import (
    MailingCreateSerializer,
    MailingSerializer,
    RecipientSerializer,
    RetriedSerializer,
)
from mailing.services import SEND_PERMISSION
from mailing.views import VIEW_PERMISSION


class MailingPermissions(BasePermission):
    """As on the mailing pages: view (or send) to read, send to create and steer."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return user.has_perm(VIEW_PERMISSION) or user.has_perm(SEND_PERMISSION)
        return user.has_perm(SEND_PERMISSION)


class MailingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Mailings with their live counts. Create one (it is validated, its audience snapshotted
    and its sending queued by the mailing services, as on the page), read its status and
    per-recipient results, and pause, resume, cancel or retry it."""

    serializer_class = MailingSerializer
    permission_classes = [MailingPermissions]
    filter_backends: list = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.mailing_list()

    def _answer(self, mailing, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=mailing.pk)
        return Response(MailingSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=MailingCreateSerializer, responses={201: MailingSerializer})
    def create(self, request):
        serializer = MailingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mailing = services.mailing_create(created_by=request.user, **serializer.validated_data)
        return self._answer(mailing, status.HTTP_201_CREATED)

    @extend_schema(responses=RecipientSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=PagePagination, serializer_class=RecipientSerializer)
    def recipients(self, request, pk=None):
        """Per-recipient results: status, attempts, when sent and the server's reply."""
        mailing = self.get_object()
        page = self.paginate_queryset(mailing.recipients.order_by("id"))
        return self.get_paginated_response(RecipientSerializer(page, many=True).data)

    def _allowed(self, mailing, what: str) -> None:
        if not services.may_do(user=self.request.user, mailing=mailing, action=what):
            raise PermissionDenied

    def _steer(self, service):
        mailing = self.get_object()
        self._allowed(mailing, self.action.replace("_", "-"))
        service(mailing=mailing, by=self.request.user)
        return self._answer(mailing)

    @extend_schema(request=None, responses=MailingSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Stop after the message in flight; the rest waits until resumed."""
        return self._steer(services.mailing_pause)

    @extend_schema(request=None, responses=MailingSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Continue a paused mailing, or restart one whose worker was lost."""
        return self._steer(services.mailing_resume)

    @extend_schema(request=None, responses=MailingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Send nothing more; pending recipients are marked cancelled."""
        return self._steer(services.mailing_cancel)

    def _retry(self, service):
        mailing = self.get_object()
        self._allowed(mailing, self.action.replace("_", "-"))
        queued = service(mailing=mailing, by=self.request.user)
        fresh = self.get_queryset().get(pk=mailing.pk)
        return Response({"queued": queued, "mailing": MailingSerializer(fresh).data})

    @extend_schema(request=None, responses=RetriedSerializer)
    @action(detail=True, methods=["post"], url_path="retry-failed")
    def retry_failed(self, request, pk=None):
        """Send the failed recipients again."""
        return self._retry(services.mailing_retry_failed)

    @extend_schema(request=None, responses=RetriedSerializer)
    @action(detail=True, methods=["post"], url_path="retry-unknown")
    def retry_unknown(self, request, pk=None):
        """Resend recipients whose fate is unknown (some may get two copies)."""
        return self._retry(services.mailing_retry_unknown)
