"""The OpenAPI schema: drf-spectacular's, plus the errors each operation answers.

drf-spectacular documents the success response only, so a client (or schemathesis) reading the
schema met 400, 401, 403, 404 and 429 as undocumented. Every error body is DRF's JSON object: `detail`
with a message, or the names of the bad fields with theirs.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema

ERROR_BODY = {
    "type": "object",
    "description": '`{"detail": "..."}`, or `{"field": ["message", ...]}` for each bad field.',
    "additionalProperties": {},
}
ERRORS = {
    "400": "The request is invalid: the body names each bad field and why.",
    "401": "No valid API token or session.",
    "403": "Signed in, but this needs a permission the account does not have.",
    "404": "Not found in your workspaces (or no such page of results).",
    "429": "Too many requests from this account or address (config.auth's throttles): wait and retry.",
}


class SiftAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(
                code, {"description": ERRORS[code], "content": {"application/json": {"schema": ERROR_BODY}}}
            )
        return responses

    def _error_codes(self) -> list[str]:
        # Every API route needs a signed-in user, some writes a permission, and all are throttled.
        codes = ["401", "403", "429"]
        has_input = self.method in ("POST", "PUT", "PATCH") or bool(self.get_override_parameters())
        is_list = self.method == "GET" and self._is_list_view()
        if has_input or is_list:  # bodies, filters and query parameters can be wrong
            codes.append("400")
        if "{" in self.path or is_list:  # a detail route's object, or a page past the last
            codes.append("404")
        return codes


def blank_query_parameters(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """An optional query parameter left blank is not given (`?usage=` is everyone, as on the web
    forms): the schema says so with `allowEmptyValue`, so a client may send the blank it accepts."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
