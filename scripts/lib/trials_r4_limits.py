"""R4 bad-input cases for body caps, time limits, container credentials, credential_process, CA bundles (issue 14).

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.
"""

import os
import stat

import copypt_harness as h

# Printed by a credential_process helper on its stderr: it passes through to copypt's stderr (as
# with the AWS CLI) but must never be part of copypt's own message.
FAKE_SECRET = "R4-helper-stderr-FAKE-SECRET-0001"
CONTAINER_TOKEN = "R4-container-auth-token-0001"

_servers = {}


def _start_trickle(ctx, case_dir, env, record_id):
    """An S3 endpoint that answers every request a byte a second (scripts/trickle-server)."""
    port = h.free_port()
    server = h.Server("trickle", [os.path.join(h.SCRIPTS, "trickle-server"), str(port)], port, log_dir=case_dir).start()
    _servers[case_dir] = server
    env["AWS_ENDPOINT_URL_S3"] = server.url


def _stop_trickle(ctx, case_dir, state_dir, result):
    server = _servers.pop(case_dir, None)
    if server:
        server.stop()
    return []


def _helper(script):
    """setup: writes CASE/helper (executable) and an AWS config whose credential_process runs it."""
    def setup(ctx, case_dir, env, record_id):
        helper = os.path.join(case_dir, "helper")
        with open(helper, "w") as f:
            f.write(script)
        os.chmod(helper, os.stat(helper).st_mode | stat.S_IXUSR)
        config = os.path.join(case_dir, "aws-config")
        with open(config, "w") as f:
            f.write("[default]\ncredential_process = %s\n" % helper)
        env["AWS_CONFIG_FILE"] = config
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.pop(name, None)
    return setup


def _not_in_own_message(secret, wanted=None):
    """check: copypt's own lines (those naming copypt) never hold `secret`; one says `wanted`."""
    def check(ctx, case_dir, state_dir, result):
        own = [line for line in result.err.splitlines() if line.startswith("copypt")]
        problems = ["secret in copypt's message: %s" % line[:120] for line in own if secret in line]
        if wanted and not any(wanted in line for line in own):
            problems.append("no message saying %r" % wanted)
        return problems
    return check


def _container(url):
    return {"AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": CONTAINER_TOKEN,
            "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_SESSION_TOKEN": None}


def cases():
    from trials_r4 import Case  # noqa: F401  (imported here: trials_r4 imports this module)
    copy = ["copypt", "copy"]
    one = ["s3://r4-stg/run/a.dat", "s3://r4-dst/copy/a.dat"]
    return [
        # Time limits: a server that never stalls long enough for the 1 byte/s low-speed limit.
        Case("limits: S3 trickling a byte a second, sweep --max-runtime 3s", ["copypt-sweep", "--once", "--max-runtime", "3s"],
             kind="upstream", state="succeeded", rcs=(75,), setup=_start_trickle, check=_stop_trickle, timeout=60),
        Case("limits: S3 trickling a byte a second, copy with COPYPT_HTTP_TIMEOUT=2s", copy + one, kind="upstream",
             rcs=(75,), env={"COPYPT_HTTP_TIMEOUT": "2s", "AWS_MAX_ATTEMPTS": "2"},
             setup=_start_trickle, check=_stop_trickle, timeout=60),
        Case("limits: COPYPT_HTTP_TIMEOUT not a duration", copy + one, rcs=(2,), env={"COPYPT_HTTP_TIMEOUT": "soon"}),
        Case("limits: sweep --max-runtime 0", ["copypt-sweep", "--once", "--max-runtime", "0"], rcs=(2,)),
        # Body caps: a CopyObject reply far longer than any S3 answer.
        Case("limits: CopyObject reply of 5 MiB", copy + one, kind="upstream", rcs=(1, 2),
             rules=("s3", [{"kind": "CopyObject", "status": 200, "headers": {"Content-Type": "application/xml"},
                            "body": "<CopyObjectResult>" + " " * (5 << 20) + "</CopyObjectResult>"}])),
        # Endpoints: checked once as libcurl reads them, before any request (http:/h is host h to curl).
        Case("limits: AWS_ENDPOINT_URL_S3=http:/h (one slash)", copy + one, rcs=(2,),
             env={"AWS_ENDPOINT_URL_S3": "http:/h"},
             check=lambda ctx, case_dir, state_dir, result: [] if "AWS_ENDPOINT_URL_S3" in result.err
             else ["the message does not name AWS_ENDPOINT_URL_S3"]),
        # Container credentials: hosts the AWS SDKs do not allow, however the URL dresses them up.
        Case("limits: container credentials on a foreign http host", copy + one, rcs=(2,),
             env=_container("http://creds.example.com/v1/credentials"), check=_not_in_own_message(CONTAINER_TOKEN, "not allowed")),
        Case("limits: container credentials host hidden behind a fragment", copy + one, rcs=(2,),
             env=_container("http://vm:8080#@127.0.0.1/creds"), check=_not_in_own_message(CONTAINER_TOKEN, "fragment")),
        Case("limits: container credentials URL with user information", copy + one, rcs=(2,),
             env=_container("http://user:R4-url-password@127.0.0.1:9/creds"),
             check=_not_in_own_message("R4-url-password", "user name or password")),
        # credential_process: secrets on stderr stay out of copypt's message; stdout is capped.
        Case("limits: credential_process fails with a secret on stderr", copy + one, rcs=(2,),
             setup=_helper("#!/bin/sh\necho 'login failed for secret %s' >&2\nexit 1\n" % FAKE_SECRET),
             check=_not_in_own_message(FAKE_SECRET, "exited with status 1")),
        Case("limits: credential_process prints more than 64 KiB", copy + one, rcs=(2,),
             setup=_helper("#!/bin/sh\nexec yes '{\"Version\": 1, \"AccessKeyId\": \"AKIAFLOOD\"}'\n"),
             check=_not_in_own_message(FAKE_SECRET, "more than 65536 bytes")),
    ]
