import io
import logging

from pdj_cli.debuglog import REDACTED, RedactingFormatter, enable_wire_log, redact

SIGNED = (
    "{'Authorization': b'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/personalize/"
    "aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef', "
    "'X-Amz-Security-Token': b'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH'}"
)


def test_the_signature_and_the_session_token_header_are_redacted():
    text = redact(SIGNED)
    assert "0123456789abcdef" not in text
    assert "IQoJb3JpZ2lu" not in text
    assert f"Signature={REDACTED}" in text
    assert "Credential=AKIDEXAMPLE" in text  # the key ID is not a secret; it helps debugging


def test_secrets_in_json_bodies_are_redacted():
    body = '{"Credentials": {"SecretAccessKey": "wJalrXUtnFEMI", "SessionToken": "FwoGZXIvYXdz"}}'
    text = redact(body)
    assert "wJalrXUtnFEMI" not in text and "FwoGZXIvYXdz" not in text


def test_secrets_in_an_sts_xml_answer_are_redacted():
    body = (
        "<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>"
        "<SecretAccessKey>wJalrXUtnFEMI/K7MDENG</SecretAccessKey>"
        "<SessionToken>FwoGZXIvYXdzEJr//////////wEaDA==</SessionToken></Credentials>"
    )
    text = redact(body)
    assert "wJalrXUtnFEMI" not in text and "FwoGZXIvYXdz" not in text
    assert f"<SecretAccessKey>{REDACTED}</SecretAccessKey>" in text
    assert "ASIAEXAMPLE" in text  # the key ID is not a secret


def test_known_secret_values_are_redacted_wherever_they_appear():
    assert redact("key is s3cr3t-value here", ["s3cr3t-value"]) == f"key is {REDACTED} here"


def test_the_formatter_asks_for_the_current_secrets_at_each_record():
    secrets = ["first"]
    formatter = RedactingFormatter(lambda: secrets)
    record = logging.LogRecord("botocore", logging.DEBUG, "", 0, "first second", None, None)
    assert "first" not in formatter.format(record)
    secrets[:] = ["second"]  # refreshed credentials
    assert "second" not in formatter.format(record)


def test_enable_wire_log_sends_botocore_debug_to_stderr_redacted(monkeypatch):
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    logger = logging.getLogger("botocore")
    saved = (logger.level, list(logger.handlers), logger.propagate)
    try:
        enable_wire_log(lambda: ["hunter2"])
        logging.getLogger("botocore.endpoint").debug("Sending %s", "password hunter2")
        assert "Sending password" in stderr.getvalue()
        assert "hunter2" not in stderr.getvalue()
    finally:
        logger.setLevel(saved[0])
        logger.handlers[:] = saved[1]
        logger.propagate = saved[2]


def test_a_failing_secret_lookup_never_breaks_logging(monkeypatch):
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    logger = logging.getLogger("urllib3")
    saved = (logger.level, list(logger.handlers), logger.propagate)

    def broken():
        raise RuntimeError("no credentials yet")

    try:
        enable_wire_log(broken)
        logger.debug("still logged")
        assert "still logged" in stderr.getvalue()
    finally:
        logger.setLevel(saved[0])
        logger.handlers[:] = saved[1]
        logger.propagate = saved[2]


def test_botocores_own_signature_line_is_redacted():
    # botocore.auth logs 'Signature:\n%s' with the 64-hex SigV4 signature on the next line.
    signature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    text = redact(f"2026-12-01 botocore.auth [DEBUG] Signature:\n{signature}")
    assert signature not in text
    assert f"Signature:\n{REDACTED}" in text
    assert signature not in redact(f"https://x/?X-Amz-Signature={signature}&X-Amz-Date=1")


def test_no_signature_botocore_computes_reaches_the_wire_log(monkeypatch):
    """A real client signs a real request; every signature it computed is absent from the log."""
    import botocore.auth
    import botocore.session
    from botocore.awsrequest import AWSResponse

    computed: list[str] = []
    real_signature = botocore.auth.SigV4Auth.signature

    def recording(self, string_to_sign, request):
        computed.append(real_signature(self, string_to_sign, request))
        return computed[-1]

    monkeypatch.setattr(botocore.auth.SigV4Auth, "signature", recording)
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    saved = {
        name: (log.level, list(log.handlers), log.propagate)
        for name, log in ((n, logging.getLogger(n)) for n in ("botocore", "urllib3"))
    }
    try:
        enable_wire_log(lambda: ["testing-secret"])
        client = botocore.session.get_session().create_client(
            "personalize",
            region_name="us-east-1",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="testing-secret",
        )

        class Body:
            def stream(self, **_):
                yield b'{"dataDeletionJobs": []}'

        def answer(request, **_):  # answer before the wire: the request is signed by then
            return AWSResponse(request.url, 200, {}, Body())

        client.meta.events.register_first("before-send", answer)
        client.list_data_deletion_jobs()
    finally:
        for name, (level, handlers, propagate) in saved.items():
            log = logging.getLogger(name)
            log.setLevel(level)
            log.handlers[:] = handlers
            log.propagate = propagate
    log_text = stderr.getvalue()
    assert computed and "StringToSign" in log_text
    for signature in computed:
        assert signature not in log_text
    assert "testing-secret" not in log_text
