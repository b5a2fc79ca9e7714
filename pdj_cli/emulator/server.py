"""The HTTP side: Personalize's JSON 1.1 protocol on 127.0.0.1, and the Emulator that runs it."""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import json
import re
import secrets
import socket
import socketserver
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import errors, faults
from .errors import ApiError
from .faults import FaultConfig, FaultInjector
from .operations import (
    CreateSettings,
    NextTokens,
    create_data_deletion_job,
    describe_data_deletion_job,
    list_data_deletion_jobs,
)
from .requestlog import RequestLog
from .scenario import (
    Scenario,
    ScenarioJob,
    check_dataset_group_arn,
    check_location_prefix,
    sample_scenario,
)
from .store import JobStore
from .tagging import list_tags_for_resource, tag_resource, untag_resource

TARGET_PREFIX = "AmazonPersonalize."
CONTENT_TYPE = "application/x-amz-json-1.1"
OPERATIONS = (
    "DescribeDataDeletionJob",
    "ListDataDeletionJobs",
    "CreateDataDeletionJob",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
)
_CREDENTIAL_SCOPE = re.compile(
    r"Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/(?P<service>[^/,\s]+)"
    r"/aws4_request"
)
_IDLE_CONNECTION_SECONDS = 120
_JOIN_SECONDS = 5.0


def region_from_authorization(header: str | None) -> str:
    """The region of a SigV4 Authorization header's credential scope; ApiError (403) if unsigned."""
    if not header:
        raise errors.missing_authentication_token()
    if not header.startswith("AWS4-HMAC-SHA256 "):
        raise ApiError("IncompleteSignatureException", "Unsupported signature algorithm.", 403)
    scope = _CREDENTIAL_SCOPE.search(header)
    if scope is None:
        raise ApiError(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential' parameter with a full credential scope.",
            403,
        )
    if scope["service"] != "personalize":
        raise ApiError(
            "InvalidSignatureException",
            "Credential should be scoped to correct service: 'personalize'.",
            403,
        )
    return scope["region"]


class _Server(ThreadingHTTPServer):
    """Tracks connections and handler threads so stop() can close and join every one."""

    allow_reuse_address = True  # restart on the same port while old connections sit in TIME_WAIT
    daemon_threads = True  # a forgotten emulator must not hold the interpreter open

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        self.stopping = threading.Event()
        self._tracked_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn) that can stall; skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            daemon=True,
            name=f"pdj-emulator-connection-{client_address[1]}",
        )
        with self._tracked_lock:
            self._connections.add(request)
            self._handler_threads.add(thread)
        thread.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._tracked_lock:
                self._connections.discard(request)
                self._handler_threads.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-answer is normal here (drops, stops, retries).
        return

    def close_connections_and_join(self) -> None:
        with self._tracked_lock:
            connections = list(self._connections)
            threads = list(self._handler_threads)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)  # wakes a handler blocked reading
        for thread in threads:
            thread.join(_JOIN_SECONDS)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pdj-emulator"
    timeout = _IDLE_CONNECTION_SECONDS
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Answers are one write; without NODELAY a keep-alive peer can stall 40 ms on ACKs.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the request log records every request

    def do_POST(self) -> None:
        self._serve()

    do_GET = do_PUT = do_DELETE = do_PATCH = do_POST

    def _serve(self) -> None:
        emulator = self.server.emulator
        request_id = str(uuid.uuid4())
        body = self._read_body()
        target = self.headers.get("X-Amz-Target")
        operation = target.removeprefix(TARGET_PREFIX) if target else None
        if operation == target:
            operation = None  # not AmazonPersonalize.*
        entry: dict[str, Any] = {
            "time": round(time.time(), 3),
            "elapsed": round(emulator.elapsed(), 3),
            "requestId": request_id,
            "operation": operation or target,
            "region": None,
            "params": None,
            "status": None,
            "error": None,
            "fault": faults.NONE,
        }
        with contextlib.suppress(ValueError):
            entry["params"] = json.loads(body) if body else {}
        try:
            entry["region"] = region_from_authorization(self.headers.get("Authorization"))
        except ApiError as error:
            self._answer_error(error, entry, request_id)
            return

        decision = emulator._injector.decide()
        entry["fault"] = decision.kind
        if decision.latency > 0 and self.server.stopping.wait(decision.latency):
            decision = faults.FaultDecision(faults.DROP)  # stopping: go away as a dead server does
        if decision.kind == faults.DROP:
            self.close_connection = True
            emulator._log.record(entry)
            return
        if decision.kind == faults.THROTTLE:
            self._answer_error(ApiError("ThrottlingException", "Rate exceeded"), entry, request_id)
            return
        if decision.kind == faults.SERVER_ERROR:
            server_error = (
                ApiError("InternalFailure", "An internal error occurred.", 500)
                if decision.status == 500
                else ApiError("ServiceUnavailable", "Service is unavailable, try again.", 503)
            )
            self._answer_error(server_error, entry, request_id)
            return

        try:
            result = self._dispatch(operation, target, body, entry["region"])
        except ApiError as error:
            self._answer_error(error, entry, request_id)
            return
        except Exception as bug:  # a bug answers 500, as the service would
            internal = ApiError("InternalFailure", f"Emulator error: {bug!r}", 500)
            self._answer_error(internal, entry, request_id)
            return
        entry["status"] = 200
        emulator._log.record(entry)
        self._write(200, result, request_id)

    def _dispatch(
        self, operation: str | None, target: str | None, body: bytes, region: str
    ) -> dict[str, Any]:
        if operation not in OPERATIONS:
            raise errors.unknown_operation(target)
        try:
            params = json.loads(body) if body else {}
        except ValueError:
            raise errors.serialization_error("The request body is not valid JSON.") from None
        if not isinstance(params, dict):
            raise errors.serialization_error("The request body must be a JSON object.")
        return self.server.emulator._call(operation, region, params)

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
            self.close_connection = True  # cannot find the next request's start
        return self.rfile.read(length) if length > 0 else b""

    def _answer_error(self, error: ApiError, entry: dict[str, Any], request_id: str) -> None:
        entry["status"] = error.status
        entry["error"] = error.code
        if error.fault is not None:
            entry["fault"] = error.fault
        self.server.emulator._log.record(entry)
        self._write(error.status, error.body(), request_id)

    def _write(self, status: int, body: dict[str, Any], request_id: str) -> None:
        payload = json.dumps(body, separators=(",", ":")).encode()
        reason = self.responses.get(status, ("",))[0]
        head = [
            f"HTTP/1.1 {status} {reason}",
            f"x-amzn-RequestId: {request_id}",
            f"Content-Type: {CONTENT_TYPE}",
            f"Content-Length: {len(payload)}",
            f"Date: {email.utils.formatdate(usegmt=True)}",
        ]
        if self.close_connection:
            head.append("Connection: close")
        # One buffer, one sendall: headers and body never go out as separate segments.
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)


class Emulator:
    """A local Personalize endpoint for data deletion jobs.

    `with Emulator() as emu:` serves the sample scenario on a free port of 127.0.0.1 until the
    block ends. `clock` returns monotonic seconds (default time.monotonic); `time_scale`
    multiplies how fast job timelines advance; `epoch` fixes the wall time of the start.
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        port: int = 0,
        faults: FaultConfig | None = None,
        request_log: str | Path | None = None,
        clock: Callable[[], float] | None = None,
        *,
        host: str = "127.0.0.1",
        time_scale: float = 1.0,
        epoch: float | None = None,
        create_settings: CreateSettings | None = None,
    ) -> None:
        if time_scale <= 0:
            raise ValueError("time scale must be greater than 0")
        self.scenario = scenario if scenario is not None else sample_scenario()
        self.host = host
        self.time_scale = time_scale
        # A copy of the scenario's settings: changing emu.create_settings leaves it as it was.
        self.create_settings = create_settings or dataclasses.replace(
            self.scenario.created_jobs or CreateSettings()
        )
        self._unreadable_locations = list(self.scenario.unreadable_locations)
        self._port = port
        self._clock = clock or time.monotonic
        self._clock_origin = self._clock()
        self.epoch_origin = round(epoch if epoch is not None else time.time(), 3)
        self._store = JobStore(
            self.scenario.jobs,
            elapsed=self.elapsed,
            epoch_origin=self.epoch_origin,
            time_scale=time_scale,
            dataset_groups=self.scenario.dataset_groups,
        )
        self._tokens = NextTokens(secrets.token_bytes(16))
        self._injector = FaultInjector(faults or FaultConfig())
        self._log = RequestLog(request_log)
        self._lifecycle = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> Emulator:
        """Starts serving (again, on the same port after a stop). Raises OSError if it is taken."""
        with self._lifecycle:
            if self._server is not None:
                return self
            server = _Server((self.host, self._port), self)
            self._port = server.server_address[1]
            self._log.open()
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.02},  # stop() waits up to this long
                name=f"pdj-emulator-{self._port}",
                daemon=True,
            )
            thread.start()
            self._server, self._thread = server, thread
            return self

    def stop(self) -> None:
        """Stops serving and closes every connection; jobs, clock and log carry on."""
        with self._lifecycle:
            server, thread = self._server, self._thread
            if server is None or thread is None:
                return
            server.stopping.set()
            server.shutdown()
            server.server_close()
            server.close_connections_and_join()
            thread.join(_JOIN_SECONDS)
            self._log.close()
            self._server = self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        return self._port

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self._port}"

    # time and jobs
    def elapsed(self) -> float:
        """Seconds of emulated time since the emulator was made (scaled)."""
        return (self._clock() - self._clock_origin) * self.time_scale

    def add_job(self, job: ScenarioJob | None = None, **fields: Any) -> str:
        """Adds a job while running: a ScenarioJob, or ScenarioJob fields (created now by
        default). Returns its ARN; ScenarioError if a job of that name exists in its region."""
        if job is None:
            fields.setdefault("created_at", self.elapsed())
            job = ScenarioJob(**fields)
        elif fields:
            raise TypeError("pass a ScenarioJob or its fields, not both")
        return self._store.add(job)

    def add_dataset_group(self, arn: str) -> str:
        """Makes a dataset group exist (jobs can be created in it); ScenarioError if `arn` is
        not a dataset group ARN."""
        self._store.add_group(check_dataset_group_arn(arn, "dataset group"))
        return arn

    def add_unreadable_location(self, prefix: str) -> str:
        """Jobs created from now on with a data location at or under `prefix` (s3://bucket or
        s3://bucket/path) FAIL: their role cannot read it."""
        self._unreadable_locations.append(check_location_prefix(prefix, "location"))
        return prefix

    def tags(self, arn: str) -> dict[str, str]:
        """The tags of a job or dataset group, as TagResource and create left them."""
        return self._store.tags(arn)

    def _call(self, operation: str, region: str, params: dict[str, Any]) -> dict[str, Any]:
        store = self._store
        if operation == "DescribeDataDeletionJob":
            return describe_data_deletion_job(store, region, params)
        if operation == "ListDataDeletionJobs":
            return list_data_deletion_jobs(store, self._tokens, region, params)
        if operation == "TagResource":
            return tag_resource(store, region, params)
        if operation == "UntagResource":
            return untag_resource(store, region, params)
        if operation == "ListTagsForResource":
            return list_tags_for_resource(store, region, params)
        return create_data_deletion_job(
            store,
            self.create_settings,
            region,
            params,
            unreadable_locations=tuple(self._unreadable_locations),
            create_error=self._injector.config.create_error,
        )

    # faults
    @property
    def faults(self) -> FaultConfig:
        return self._injector.config

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        self._injector.config = config
        self._injector.reset()

    def set_faults(self, **changes: Any) -> FaultConfig:
        """Changes fault options at once, e.g. set_faults(throttle_rate=0.5, seed=1)."""
        self._injector.config.update(**changes)
        if "seed" in changes:
            self._injector.reset()
        return self._injector.config

    # request log
    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request so far, oldest first (copies)."""
        return self._log.entries()

    def request_count(self, operation: str | None = None, *, fault: str | None = None) -> int:
        return sum(
            1
            for entry in self._log.entries()
            if (operation is None or entry["operation"] == operation)
            and (fault is None or entry["fault"] == fault)
        )

    def clear_requests(self) -> None:
        self._log.clear()
