"""OpenAPI generation: every operation documents the one error format for its 4xx answers."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from integration.api.exceptions import ErrorSerializer

# Any operation may meet these: bad query or body, no or bad credentials, no permission,
# nothing there (or an invalid page), too many requests.
COMMON_ERRORS = ("400", "401", "403", "404", "429")
# Writes (deletions too) may also meet: wrong state, stale or missing If-Match, a body too
# large to read, a body that is not JSON.
WRITE_ERRORS = ("409", "412", "413", "415", "428")


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = COMMON_ERRORS
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes = (*codes, *WRITE_ERRORS)
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses
