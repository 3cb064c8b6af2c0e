"""Views of the API itself (the apps' endpoints are in ``<app>/api/views.py``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def not_found(request, *args, **kwargs):
    """A JSON 404 for any URL under /api/v1/ that names no endpoint (e.g. ``/orders/abc/``)."""
    raise NotFound()
