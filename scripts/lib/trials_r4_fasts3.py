"""R4 bad-input cases for throughput at real S3 latency (issue 16): S3 throttling that does not let
up (every copy answered 503 SlowDown, S3's documented XML error, as scripts/s3-standin sends above
its rate limit), and over HTTPS (scripts/s3-standin with its throwaway CA) a CA bundle that cannot
be used: missing, not PEM, or one that does not hold the endpoint's CA. Each must end in one
readable line, a non-zero exit, and nothing copied.

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged. The HTTPS cases start
their own stand-in in `setup` and stop it in `check` (the harness kills it at exit otherwise).
"""

import os

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def _slowdown():
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your '
            'request rate.</Message><RequestId>R4FASTS300000001</RequestId><HostId>r4</HostId></Error>')


def _https(bundle, needles):
    """setup/check hooks: copypt against an HTTPS stand-in holding s3://r4-stg/run/a.dat, with
    AWS_CA_BUNDLE = bundle (CASE/ = the case dir); check: nothing copied, stderr says needles."""
    from standin_harness import StandIn
    holder = {}

    def setup(ctx, case_dir, env, record_id):
        stand = StandIn(https=True, log_dir=case_dir).start()
        holder["stand"] = stand
        stand.seed("r4-stg", keys=["run/a.dat"], size=100)
        stand.seed("r4-dst")
        env["AWS_ENDPOINT_URL_S3"] = stand.url
        env["AWS_CA_BUNDLE"] = bundle.replace("CASE/", case_dir + "/")

    def check(ctx, case_dir, state_dir, result):
        stand = holder.pop("stand")
        try:
            problems = [] if stand.count("r4-dst")["objects"] == 0 else ["the HTTPS stand-in's destination changed"]
        finally:
            stand.stop()
        return problems + ["stderr does not say %r" % n for n in needles if n not in result.err]
    return setup, check


def cases():
    from trials_r4 import Case, says  # imported here: trials_r4 imports this module
    copy = ["copypt", "copy"]
    one = ["s3://r4-stg/run/a.dat", "s3://r4-dst/copy/a.dat"]
    xml = {"Content-Type": "application/xml"}
    slowdown = [{"kind": "CopyObject", "status": 503, "headers": xml, "body": _slowdown()}]
    c = [
        Case("s3 reply: every CopyObject 503 SlowDown", copy + one, kind="upstream", check=says("SlowDown"),
             env={"AWS_MAX_ATTEMPTS": "3"}, rules=("s3", slowdown)),
        Case("s3 reply: every CopyObject 503 SlowDown, through the sweep", ["copypt-sweep", "--once"],
             kind="upstream", state="succeeded", check=says("SlowDown"), env={"AWS_MAX_ATTEMPTS": "3"},
             rules=("s3", slowdown)),
    ]
    bundles = [("a missing file", "/nonexistent/ca.pem", ()), ("a file that is not PEM", "CASE/not-a-ca.pem", ())]
    if os.path.exists(SYSTEM_BUNDLE):
        bundles.append(("the system's CAs, not the endpoint's", SYSTEM_BUNDLE, ()))
    for what, bundle, needles in bundles:
        setup, check = _https(bundle, needles)
        c.append(Case("env: AWS_CA_BUNDLE is %s, HTTPS endpoint" % what, copy + one, kind="user", rcs=(1, 2, 75),
                      files={"not-a-ca.pem": "this is not a certificate\n"}, setup=setup, check=check))
    return c
