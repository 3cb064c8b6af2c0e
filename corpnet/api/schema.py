"""The OpenAPI schema: drf-spectacular's, plus the error answers every operation can give.

Documenting 400/401/403/404/409/413/429 keeps the schema honest about behaviour, which the
schemathesis test checks: an answer whose status the schema does not list is a failure.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` (and `code`) for request-wide errors; field name → list of messages for invalid input.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": True,
}

ERRORS = {
    "400": "Invalid input: field errors, or a bad filter value.",
    "401": "Not authenticated: send `Authorization: Token <key>` or a session cookie.",
    "403": "Authenticated, but your role does not allow this.",
    "404": "No such object (or page / cursor).",
    "409": "Conflict: a stale `version`, or a delete refused because other rows still refer to it.",
    "413": "The request body is larger than the server accepts.",
    "415": "Unsupported media type: send JSON.",
    "429": "Too many requests; retry after the `Retry-After` seconds.",
}
#: Which errors each kind of operation can answer, beyond 401/403/429 which all can.
ERRORS_BY_METHOD = {
    "GET": {"400", "404"},
    "POST": {"400", "404", "409", "413", "415"},
    "PUT": {"400", "404", "409", "413", "415"},
    "PATCH": {"400", "404", "409", "413", "415"},
    "DELETE": {"404", "409"},
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = ResolvedComponent(name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA)
        self.registry.register_on_missing(error)
        codes = {"401", "403", "429"} | ERRORS_BY_METHOD.get(self.method, set())
        for code in sorted(codes):
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=error.ref, description=ERRORS[code]), code, direction=direction
                )
        return responses

    def get_response_serializers(self):
        # PUT and PATCH answer with the full record (the output serializer), not their input form.
        if getattr(self.view, "action", None) in {"update", "partial_update"} and getattr(
            self.view, "update_serializer_class", None
        ):
            return self.view.serializer_class
        return super().get_response_serializers()
