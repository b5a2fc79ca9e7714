"""Helpers for the emulator's tests: raw HTTP calls and a check of JSON against botocore shapes."""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass
from typing import Any

from pdj_cli.emulator import Emulator

EPOCH = 1_780_000_000.0  # a fixed wall-clock start, so timestamps are exact in asserts


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def signed_header(region: str) -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential=testing/20261129/{region}/personalize/aws4_request, "
        f"SignedHeaders=host;x-amz-date;x-amz-target, Signature={'0' * 64}"
    )


def raw_call(
    emulator: Emulator,
    operation: str | None,
    params: Any = None,
    *,
    region: str = "us-east-1",
    signed: bool = True,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> RawResponse:
    """One POST over a fresh connection, with no SDK in between."""
    payload = body if body is not None else json.dumps(params or {}).encode()
    all_headers = {"Content-Type": "application/x-amz-json-1.1"}
    if operation is not None:
        all_headers["X-Amz-Target"] = f"AmazonPersonalize.{operation}"
    if signed:
        all_headers["Authorization"] = signed_header(region)
    all_headers.update(headers or {})
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=5)
    try:
        connection.request("POST", "/", body=payload, headers=all_headers)
        response = connection.getresponse()
        return RawResponse(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def shape_problems(shape: Any, value: Any, path: str = "$") -> list[str]:
    """Where a raw JSON value breaks a botocore shape (types, required, lengths, ranges)."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        problems = [f"{path}.{k}: not in the model" for k in value if k not in shape.members]
        problems += [f"{path}.{k}: required" for k in shape.required_members if k not in value]
        for key, item in value.items():
            if key in shape.members:
                problems += shape_problems(shape.members[key], item, f"{path}.{key}")
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        problems = []
        for index, item in enumerate(value):
            problems += shape_problems(shape.member, item, f"{path}[{index}]")
        return problems
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: expected a string"]
        problems = []
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: longer than {meta['max']}")
        if "min" in meta and len(value) < meta["min"]:
            problems.append(f"{path}: shorter than {meta['min']}")
        pattern = meta.get("pattern")
        if pattern and "\\p" not in pattern and not re.fullmatch(pattern, value):
            problems.append(f"{path}: does not match {pattern}")
        return problems
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{path}: expected an integer"]
        return []
    if kind == "timestamp":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [f"{path}: expected epoch seconds"]
        if round(value, 3) != value:
            return [f"{path}: more precise than milliseconds"]
        return []
    return [f"{path}: unchecked shape type {kind}"]
