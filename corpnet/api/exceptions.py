"""One error format for the whole API, whatever layer refused the request.

The services raise Django's ``ValidationError`` (from ``full_clean``, optimistic locking
and delete protection); DRF only knows its own. Here they become JSON answers:

* field errors → 400 ``{"field": ["message", …]}`` (model-wide ones under ``non_field_errors``);
* a stale ``version`` (code ``stale``) → 409 ``{"detail": …, "code": "stale"}``;
* a delete refused because rows still refer to the object (code ``protected``) → 409;
* a unique constraint lost in a race with another writer → 409;
* a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` → 413, too many parameters → 400.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

CONFLICT_CODES = {"stale", "protected"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the record.")
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def _codes(error: DjangoValidationError) -> set[str]:
    return {e.code for e in error.error_list} if not hasattr(error, "error_dict") else set()


def from_django(error: DjangoValidationError) -> exceptions.APIException:
    """Translate a Django ValidationError raised by a service into an API error."""
    codes = _codes(error)
    if codes & CONFLICT_CODES:
        return Conflict(detail=" ".join(error.messages), code=sorted(codes & CONFLICT_CODES)[0])
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = from_django(exc)
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        # E.g. more query parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS: a 400, in JSON.
        exc = exceptions.ParseError(_("The request is malformed or exceeds the server's limits."))
    elif isinstance(exc, IntegrityError):
        # full_clean checked the constraints; losing a race to a concurrent insert is the
        # only way here, and the transaction was rolled back: nothing was half-written.
        exc = Conflict(detail=_("Another request changed the same data at the same time; try again."))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, Conflict):
        response.data = {"detail": response.data["detail"], "code": exc.get_codes()}
    return response
