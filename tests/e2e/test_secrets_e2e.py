"""Secrets: with --debug and in every error message, the secret key, the session token and
request signatures never appear, on stdout or stderr, in any command."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import quote

import pytest

from pdj_cli.emulator import DEMO_GROUP_ARN, DEMO_JOB_ARN

pytestmark = pytest.mark.e2e

OLD_JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/demo-erasure-2026-10"
FAILED_JOB = (
    "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/retail-purge-access-denied"
)
SECRET_KEY = "pdjTestSecret/Kq9+ZxW7vLr2MnB8sT4yHc6jUe1oPa3dGf5iRk0"
SESSION_TOKEN = "FwoGZXIvYXdzEPdjTestSessionToken//7vQm+3kL9sW2xZ8cB5nR1tY4uH6jE0aP"
SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAPDJTESTKEY000001",
    "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    "AWS_SESSION_TOKEN": SESSION_TOKEN,
}
# A SigV4 signature: 64 hex digits after "Signature" (`Signature=`, or botocore.auth's
# `Signature:` line with the hex on the next line).
SIGNATURE = re.compile(r"Signature\W{0,8}[0-9a-f]{64}", re.IGNORECASE)


def leaks(text: str) -> list[str]:
    found = []
    for secret in (SECRET_KEY, SESSION_TOKEN):
        # as it is, URL-encoded, or in pieces long enough to recognise
        for form in (secret, quote(secret, safe=""), secret[:24], secret[-24:]):
            if form in text:
                found.append(form)
    found += SIGNATURE.findall(text)
    return found


@pytest.mark.parametrize(
    "args",
    [
        ["describe", OLD_JOB],
        ["describe", OLD_JOB, "--exit-status", "-o", "table"],  # the typer path
        ["list", "--dataset-group-arn", DEMO_GROUP_ARN, "-o", "jsonl"],
        ["batch", OLD_JOB, FAILED_JOB, "--dataset-group-arn", DEMO_GROUP_ARN],
        ["watch", FAILED_JOB, "-o", "jsonl", "--interval", "0.1"],
        ["describe", OLD_JOB.replace("demo-erasure-2026-10", "never-created")],  # not found
    ],
)
def test_debug_shows_the_wire_but_no_secret(run_pdj, args):
    result = run_pdj(*args, "--debug", env=SECRETS)
    assert result.returncode in (0, 1, 4), result.stderr[-2000:]
    assert "botocore" in result.stderr  # the wire log is there...
    assert "<redacted>" in result.stderr  # ...with its secrets replaced
    assert leaks(result.stderr) == []
    assert leaks(result.stdout) == []


class _Refusing(BaseHTTPRequestHandler):
    """A Personalize endpoint that refuses every request, echoing the Authorization header in
    its message (as some services and proxies do) to catch pdj repeating it."""

    answers: ClassVar[dict[str, tuple[int, str, str]]] = {
        "deny": (400, "AccessDeniedException", "User is not authorized; request was {auth}"),
        "bad-key": (400, "UnrecognizedClientException", "The security token is invalid: {auth}"),
        "bad-signature": (
            403,
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Authorization: {auth} X-Amz-Security-Token: {token}",
        ),
    }
    mode = "deny"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, code, message = self.answers[type(self).mode]
        auth = self.headers.get("Authorization", "")
        token = self.headers.get("X-Amz-Security-Token", "")
        body = json.dumps({"__type": code, "message": message.format(auth=auth, token=token)})
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(params=sorted(_Refusing.answers))
def refusing_endpoint(request) -> Iterator[str]:
    handler = type("Handler", (_Refusing,), {"mode": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "args",
    [
        ["describe", DEMO_JOB_ARN],  # the fast path; list takes the same way to its error
        ["batch", DEMO_JOB_ARN, OLD_JOB, "-o", "jsonl"],
        ["watch", DEMO_JOB_ARN, "--grace", "0"],
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_refused_credentials_are_reported_without_them(run_pdj, refusing_endpoint, args, debug):
    env = {**SECRETS, "AWS_ENDPOINT_URL_PERSONALIZE": refusing_endpoint}
    result = run_pdj(*args, *(["--debug"] if debug else []), env=env, timeout=60)
    assert result.returncode == 5, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("pdj: error:")]
    assert errors or '"error"' in result.stdout
    assert leaks(result.stderr) == []
    assert leaks(result.stdout) == []  # batch error records carry the message too
