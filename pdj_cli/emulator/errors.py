"""Errors the emulator answers with, in the shape botocore's JSON parser reads."""

from __future__ import annotations


class ApiError(Exception):
    """An error response: HTTP status, `__type` code and message; `fault` names the switch
    that made it, for the request log (None: the service's own answer)."""

    def __init__(
        self, code: str, message: str, status: int = 400, fault: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.fault = fault

    def body(self) -> dict[str, str]:
        return {"__type": self.code, "message": self.message}


def invalid_input(message: str) -> ApiError:
    return ApiError("InvalidInputException", message)


def not_found(message: str) -> ApiError:
    return ApiError("ResourceNotFoundException", message)


def invalid_next_token(message: str = "The nextToken is not valid for this request.") -> ApiError:
    return ApiError("InvalidNextTokenException", message)


def unknown_operation(target: str | None) -> ApiError:
    return ApiError(
        "UnknownOperationException", f"Unknown operation: {target or '(no X-Amz-Target)'}"
    )


def serialization_error(message: str) -> ApiError:
    return ApiError("SerializationException", message)


def missing_authentication_token() -> ApiError:
    return ApiError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
