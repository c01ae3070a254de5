"""R4 bad input for scripts/trials: CLI arguments, hand-edited records, config and credential
files, the Globus token file, and upstream replies that are not what the docs promise.

Each case runs one copypt command and is judged on: the exit status (non-zero; 1 or 2 where it is
the user's input, 1 or 75 where an upstream misbehaves), no crash (no signal, no exit >= 128, no
"Fatal error"), a clear message (1 or 2 lines on stderr once ArgumentParser's Usage/See-help lines
are set aside, none longer than 400 characters), and nothing changed: for user input the state
dir is byte-for-byte the same (lock files aside) and the destination bucket too; for upstream
faults every record still parses and no destination object differs from its staging source.
"""

import json
import os

import copypt_harness as h
import trials_r4_auth
import trials_r4_doctor
import trials_r4_globus
import trials_r4_gstate
import trials_r4_keys
import trials_r4_limits
import trials_r4_notify
import trials_r4_readers
import trials_r4_standin
import trials_r4_state

# Each hardening area keeps its cases in a module of its own (issue 14).
CASE_MODULES = (trials_r4_keys, trials_r4_globus, trials_r4_limits, trials_r4_state, trials_r4_readers,
                trials_r4_standin, trials_r4_doctor, trials_r4_auth, trials_r4_gstate, trials_r4_notify)

UUID_GOOD = "1b7e5c1e-5a0c-11ef-9a6c-0242ac120002"


class Case:
    def __init__(self, name, argv, kind="user", rcs=None, state=None, env=None, rules=None, files=None,
                 setup=None, check=None, timeout=120):
        self.name, self.argv, self.kind = name, argv, kind
        self.rcs = set(rcs or ((1, 2) if kind == "user" else (1, 75)))
        self.state = state    # None (empty), "record" (one waiting record), "succeeded" (record of a done task)
        self.env = env or {}  # changes; None values remove a variable
        self.rules = rules    # (proxy, [rules]) with proxy "s3" or "globus"
        self.files = files or {}  # {path relative to the case dir or "RECORD": text}
        # Hooks for cases the fields above cannot express (see the trials_r4_* modules):
        # setup(ctx, case_dir, env, record_id) runs before the command; it may change env in place.
        # check(ctx, case_dir, state_dir, result) returns a list of problems (empty when as expected).
        self.setup, self.check, self.timeout = setup, check, timeout


def says(*needles):
    """check: the command's stderr contains every one of needles."""
    def check(ctx, case_dir, state_dir, result):
        return ["stderr does not say %r" % n for n in needles if n not in result.err]
    return check


def cases():
    add = ["copypt-add"]
    good_add = ["--task", UUID_GOOD, "--from", "s3://r4-stg/run/", "--to", "s3://r4-dst/out/"]
    sweep = ["copypt-sweep", "--once"]
    copy = ["copypt", "copy"]
    one = ["s3://r4-stg/run/a.dat", "s3://r4-dst/copy/a.dat"]
    c = [
        # copypt-add arguments
        Case("add: no arguments", add),
        Case("add: task id not a UUID", add + ["--task", "not-a-uuid"] + good_add[2:]),
        Case("add: --from not an s3:// URL", add + ["--task", UUID_GOOD, "--from", "http://r4-stg/run/", "--to", "s3://r4-dst/out/"]),
        Case("add: invalid bucket name", add + ["--task", UUID_GOOD, "--from", "s3://Bad_Bucket/run/", "--to", "s3://r4-dst/out/"]),
        Case("add: --to missing", add + good_add[:4]),
        Case("add: --dest-owner not 12 digits", add + good_add + ["--dest-owner", "12345"]),
        Case("add: unknown --acl", add + good_add + ["--acl", "public-read-write"]),
        Case("add: unknown --storage-class", add + good_add + ["--storage-class", "FAST"]),
        Case("add: unknown --sse", add + good_add + ["--sse", "DES"]),
        Case("add: --sse-kms-key-id without aws:kms", add + good_add + ["--sse-kms-key-id", "k1"]),
        Case("add: label with a newline", add + good_add + ["--label", "two\nlines"]),
        Case("add: misspelt option", add + good_add + ["--frmo", "x"]),
        Case("add: relative --globus-path", add + good_add + ["--globus-path", "relative/path"]),
        # copypt-sweep arguments
        Case("sweep: --interval 0s", ["copypt-sweep", "--interval", "0s"]),
        Case("sweep: --concurrency 0", sweep + ["--concurrency", "0"]),
        Case("sweep: --give-up-after nonsense", sweep + ["--give-up-after", "soon"]),
        Case("sweep: --metrics-file is a directory", sweep + ["--metrics-file", "/tmp/"]),
        Case("sweep: unknown flag", sweep + ["--bogus"]),
        # copypt subcommands
        Case("status: unknown id", ["copypt", "status", "20991231-abcdef"], state="record"),
        Case("cancel: unknown id", ["copypt", "cancel", "20991231-abcdef"], state="record"),
        Case("retry: a path as id", ["copypt", "retry", "../../etc/passwd"], state="record"),
        Case("copypt: unknown subcommand", ["copypt", "frobnicate"]),
        Case("copy: prefix without --recursive", copy + ["s3://r4-stg/run/", "s3://r4-dst/copy/"]),
        Case("copy: source not a URL", copy + ["not-a-url", "s3://r4-dst/copy/a"]),
        Case("copy: --concurrency 0", copy + ["--concurrency", "0"] + one),
        Case("copy: --multipart-threshold 6GiB", copy + ["--multipart-threshold", "6GiB"] + one),
        Case("copy: --sse AES256 with a KMS key", copy + ["--sse", "AES256", "--sse-kms-key-id", "k"] + one),
        Case("copy: no such source bucket", copy + ["s3://r4-no-such-bucket/a", "s3://r4-dst/copy/a"], rcs=(1,)),
        # hand-edited records
        Case("record: truncated", sweep, state="record", files={"RECORD": "TRUNCATE"}),
        Case("record: empty file", sweep, state="record", files={"RECORD": ""}),
        Case("record: binary garbage", sweep, state="record", files={"RECORD": "\x00\xff\xfe garbage \x01"}),
        Case("record: unknown schema version 2", sweep, state="record", files={"RECORD": {"version": 2}}),
        Case("record: version as a string", sweep, state="record", files={"RECORD": {"version": "1"}}),
        Case("record: globus_task_id missing", sweep, state="record", files={"RECORD": {"globus_task_id": None}}),
        Case("record: unknown state", sweep, state="record", files={"RECORD": {"state": "bogus"}}),
        Case("record: from not an s3 URL", sweep, state="record", files={"RECORD": {"from": "http://x/"}}),
        Case("record: a JSON array", sweep, state="record", files={"RECORD": "[1, 2, 3]"}),
        Case("record: id differs from its file name", sweep, state="record", files={"RECORD": {"id": "20990101-000000"}}),
        Case("status: truncated record", ["copypt", "status"], state="record", files={"RECORD": "TRUNCATE"}),
        Case("retry: record with unknown version", ["copypt", "retry", "RECORD_ID"], state="record",
             files={"RECORD": {"version": 99}}),
        # AWS configuration and credentials
        Case("aws: config file garbage", copy + one, env={"AWS_CONFIG_FILE": "CASE/aws-config"},
             files={"aws-config": "[profile default\nregion us-east-1\n= =\n"}),
        Case("aws: no such profile", copy + one, env={"AWS_PROFILE": "nope", "AWS_ACCESS_KEY_ID": None,
                                                      "AWS_SECRET_ACCESS_KEY": None}),
        Case("aws: credentials without a secret", copy + one,
             env={"AWS_SHARED_CREDENTIALS_FILE": "CASE/credentials", "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
             files={"credentials": "[default]\naws_access_key_id = AKIAONLYKEYNOSECRET1\n"}),
        Case("aws: credential_process missing", copy + one,
             env={"AWS_CONFIG_FILE": "CASE/aws-config", "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
             files={"aws-config": "[default]\ncredential_process = /nonexistent/helper --json\n"}),
        Case("aws: AWS_MAX_ATTEMPTS not a number", copy + one, env={"AWS_MAX_ATTEMPTS": "many"}),
        Case("aws: endpoint not a URL", copy + one, env={"AWS_ENDPOINT_URL_S3": "not a url"}),
        Case("aws: sweep with a garbage config file", sweep, state="succeeded",
             env={"AWS_CONFIG_FILE": "CASE/aws-config"}, files={"aws-config": "[default\nregion\n"}),
        # Globus configuration and the token file
        Case("globus: no client and no token file", sweep, state="record",
             env={"COPYPT_GLOBUS_CLIENT_ID": None, "COPYPT_GLOBUS_CLIENT_SECRET": None}),
        Case("globus: token file garbage", sweep, state="record", env={"COPYPT_GLOBUS_CLIENT_SECRET": None},
             files={"config/copypt/globus-tokens.json": "{not json"}),
        Case("globus: token file wrong types", sweep, state="record", env={"COPYPT_GLOBUS_CLIENT_SECRET": None},
             files={"config/copypt/globus-tokens.json": '{"refresh_token": 5, "access_token": [], "expires_at": "x"}'}),
        Case("globus: transfer URL not a URL", sweep, state="record", env={"GLOBUS_SDK_SERVICE_URL_TRANSFER": "::nope"}),
        Case("globus: wrong client secret", sweep, state="record", env={"COPYPT_GLOBUS_CLIENT_SECRET": "wrong-secret-r4"}),
        # Upstream replies that are not what the docs promise
        Case("globus reply: token endpoint HTML", sweep, kind="upstream", state="record",
             rules=("globus", [{"kind": "globus:token", "status": 200, "headers": {"Content-Type": "text/html"},
                                "body": "<html><body>Maintenance</body></html>"}])),
        Case("globus reply: token without access_token", sweep, kind="upstream", state="record",
             rules=("globus", [{"kind": "globus:token", "status": 200, "headers": {"Content-Type": "application/json"},
                                "body": '{"token_type": "Bearer", "expires_in": 3600}'}])),
        Case("globus reply: task_list 502 HTML page", sweep, kind="upstream", state="record", rcs=(75,),
             rules=("globus", [{"kind": "globus:task_list", "status": 502, "headers": {"Content-Type": "text/html"},
                                "body": "<html><h1>502 Bad Gateway</h1></html>"}])),
        Case("globus reply: task_list truncated JSON", sweep, kind="upstream", state="record",
             rules=("globus", [{"kind": "globus:task_list", "status": 200, "headers": {"Content-Type": "application/json"},
                                "body": '{"DATA_TYPE": "task_list", "DATA": [{"task_id": "'}])),
        Case("globus reply: task_list DATA a string", sweep, kind="upstream", state="record",
             rules=("globus", [{"kind": "globus:task_list", "status": 200, "headers": {"Content-Type": "application/json"},
                                "body": '{"DATA_TYPE": "task_list", "length": 1, "limit": 1000, "offset": 0, "total": 1, "DATA": "oops"}'}])),
        Case("globus reply: task status a number", sweep, kind="upstream", state="record",
             rules=("globus", [{"kind": "globus:task_list", "status": 200, "headers": {"Content-Type": "application/json"},
                                "body": '{"DATA_TYPE": "task_list", "length": 1, "limit": 1000, "offset": 0, "total": 1, '
                                        '"DATA": [{"DATA_TYPE": "task", "task_id": "TASK_ID", "status": 7}]}'}])),
        Case("globus reply: successful_transfers truncated", sweep, kind="upstream", state="succeeded",
             rules=("globus", [{"kind": "globus:successful_transfers", "status": 200,
                                "headers": {"Content-Type": "application/json"}, "body": '{"DATA": [{"destination_pa'}])),
        Case("globus reply: successful_transfers wrong types", sweep, kind="upstream", state="succeeded",
             rules=("globus", [{"kind": "globus:successful_transfers", "status": 200,
                                "headers": {"Content-Type": "application/json"},
                                "body": '{"DATA_TYPE": "successful_transfers", "marker": 0, "next_marker": null, '
                                        '"DATA": [{"destination_path": 5, "source_path": null}]}'}])),
        Case("s3 reply: CopyObject 200 truncated XML", sweep, kind="upstream", state="succeeded",
             rules=("s3", [{"kind": "CopyObject", "status": 200, "headers": {"Content-Type": "application/xml"},
                            "body": '<?xml version="1.0"?><CopyObjectResult><ETag>"abc'}])),
        Case("s3 reply: CopyObject 200 empty body", sweep, kind="upstream", state="succeeded",
             rules=("s3", [{"kind": "CopyObject", "status": 200, "body": ""}])),
        Case("s3 reply: HeadObject 403 with an HTML body", copy + one, kind="upstream",
             rules=("s3", [{"kind": "HeadObject", "status": 403, "headers": {"Content-Type": "text/html"},
                            "body": "<html>Forbidden</html>"}])),
        Case("s3 reply: UploadPartCopy 200 truncated XML", sweep, kind="upstream", state="succeeded",
             rules=("s3", [{"kind": "UploadPartCopy", "status": 200, "headers": {"Content-Type": "application/xml"},
                            "body": '<?xml version="1.0"?><CopyPartResult><ETag>"0a'}])),
        Case("s3 reply: CompleteMultipartUpload 200 with <Error>", sweep, kind="upstream", state="succeeded",
             rules=("s3", [{"kind": "CompleteMultipartUpload", "status": 200, "headers": {"Content-Type": "application/xml"},
                            "body": '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>x</Message></Error>'}])),
        Case("s3 reply: CopyObject 200 with <Error> (sweep)", sweep, kind="upstream", state="succeeded",
             rules=("s3", [{"kind": "CopyObject", "status": 200, "headers": {"Content-Type": "application/xml"},
                            "body": '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>'}])),
        Case("s3 reply: ListObjectsV2 HTML", copy + ["--recursive", "s3://r4-stg/run/", "s3://r4-dst/copy/"],
             kind="upstream", rules=("s3", [{"kind": "ListObjectsV2", "status": 200,
                                             "headers": {"Content-Type": "text/html"}, "body": "<html>hello</html>"}])),
        Case("s3 reply: ListObjectsV2 truncated XML", copy + ["--recursive", "s3://r4-stg/run/", "s3://r4-dst/copy/"],
             kind="upstream", rules=("s3", [{"kind": "ListObjectsV2", "status": 200,
                                             "headers": {"Content-Type": "application/xml"},
                                             "body": '<?xml version="1.0"?><ListBucketResult><Contents><Key>run/a'}])),
    ]
    for module in CASE_MODULES:
        c += module.cases()
    return c


def message_lines(err):
    lines = [l for l in err.splitlines() if l.strip()]
    return [l for l in lines if not l.startswith("Usage:") and not l.strip().startswith("See '")
            and not l.startswith("USAGE:") and not l.lower().startswith("help:")]


def run(ctx, scan):
    s3 = ctx.s3
    objects = ctx.staging("r4-stg", "run/", 6, big=1)
    s3.put_object(Bucket="r4-stg", Key="run/a.dat", Body=b"a" * 100)
    objects["run/a.dat"] = b"a" * 100
    h.create_buckets(s3, "r4-dst")
    task_active = ctx.srv.globus.create_task(ctx.ident, {k: len(v) for k, v in objects.items()}, "r4-stg", status="ACTIVE")
    task_done = ctx.task_for(objects, "r4-stg")
    results = []
    for i, case in enumerate(cases()):
        case_dir = os.path.join(ctx.work, "case-%02d" % i)
        state, config = os.path.join(case_dir, "state"), os.path.join(case_dir, "config")
        os.makedirs(config)
        env = ctx.env(state, config)
        record_id = None
        if case.state:
            task = task_done if case.state == "succeeded" else task_active
            record_id = ctx.add(env, task, "s3://r4-stg/run/", "s3://r4-dst/out-%02d/" % i)
        for rel, content in case.files.items():
            if rel == "RECORD":
                path = os.path.join(state, "transfers", record_id + ".json")
                with open(path) as f:
                    original = f.read()
                if content == "TRUNCATE":
                    text = original[: len(original) // 2]
                elif isinstance(content, dict):
                    doc = json.loads(original)
                    doc.update(content)
                    doc = {k: v for k, v in doc.items() if v is not None or k not in content}
                    text = json.dumps(doc, indent=2)
                else:
                    text = content
                with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(text)
            else:
                path = os.path.join(case_dir, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(content)
                if rel.endswith("globus-tokens.json"):
                    os.chmod(path, 0o600)
        for k, v in case.env.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v.replace("CASE/", case_dir + "/")
        argv = [ctx.exe(case.argv[0])] + [a.replace("RECORD_ID", record_id or "x") for a in case.argv[1:]]
        if case.argv[:2] == ["copypt-sweep", "--once"] and len(case.argv) == 2:
            argv += ctx.args.sweep_flags   # the lowered multipart threshold, so multipart replies are asked for
        proxy = None
        if case.rules:
            proxy = ctx.srv.s3_proxy if case.rules[0] == "s3" else ctx.srv.globus_proxy
            rules = json.loads(json.dumps(case.rules[1]).replace("TASK_ID", task_active))
            proxy.configure(reset=True, rules=rules)
            proxy.reset()
        if case.setup:
            case.setup(ctx, case_dir, env, record_id)
        before = h.snapshot_tree(state)
        before = {k: v for k, v in before.items() if not k.endswith(".lock")}
        dst_before = h.list_all(s3, "r4-dst")
        r = ctx.run(argv, env, timeout=case.timeout, tag="R4 " + case.name)
        fired = None
        if proxy:
            fired = proxy.stats()["faults"].get("rule", 0)
            proxy.configure(reset=True)
        after = {k: v for k, v in h.snapshot_tree(state).items() if not k.endswith(".lock")}
        dst_after = h.list_all(s3, "r4-dst")
        problems = []
        if r.crashed or r.timed_out:
            problems.append("crashed (rc %d)" % r.rc)
        if r.rc not in case.rcs:
            problems.append("exit %d, expected %s" % (r.rc, "/".join(map(str, sorted(case.rcs)))))
        lines = message_lines(r.err)
        if not lines:
            problems.append("nothing on stderr")
        elif len(lines) > 2 or any(len(l) > 400 for l in lines):
            problems.append("%d lines on stderr" % len(lines))
        if case.kind == "user":
            changed = h.diff_snapshots(before, after)
            if changed:
                problems.append("state dir changed: %s" % changed[:3])
            if dst_before != dst_after:
                problems.append("destination bucket changed")
        else:
            rec = h.verify_records(state)
            if rec["corrupt"]:
                problems.append("records corrupt: %s" % rec["corrupt"][:2])
            for key in set(dst_after) - set(dst_before):
                rel = key.split("/", 1)[1] if "/" in key else key
                src = objects.get("run/" + rel)
                if src is None or h.sha256_of(s3, "r4-dst", key) != h.hashlib.sha256(src).hexdigest():
                    problems.append("wrong destination object %s" % key)
                    break
            if rec["states"].get("done") and case.rules:
                problems.append("marked done despite the bad reply")
        if case.check:
            problems += case.check(ctx, case_dir, state, r)
        if fired == 0:
            # copypt never made the request this case answers badly: the case does not apply.
            problems = ["n/a: copypt never sent the request this case answers"]
        results.append((case, r, lines, problems))
        scan.tree(state)
        scan.tree(config)
    na = [(c, r, l, p) for c, r, l, p in results if p and p[0].startswith("n/a")]
    bad = [(c, r, l, p) for c, r, l, p in results if p and not p[0].startswith("n/a")]
    n = len(results)
    user = sum(1 for c, *_ in results if c.kind == "user")
    crashes = sum(1 for c, r, l, p in results if r.crashed or r.timed_out)
    line = ("R4 bad input: %d cases (%d user input, %d upstream replies), %d as expected, %d crashes, %d missed, "
            "%d n/a" % (n - len(na), user, n - len(na) - user, n - len(bad) - len(na), crashes, len(bad), len(na)))
    notes = ["%s: %s — %s" % (c.name, "; ".join(p), (l[0] if l else "")[:160]) for c, r, l, p in bad + na]
    if ctx.args.verbose:
        notes += ["ok  %s: exit %d: %s" % (c.name, r.rc, (l[0] if l else "")[:160]) for c, r, l, p in results if not p]
    return n - len(na) >= 40 and not bad, line, notes
