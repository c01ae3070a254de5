"""R4 bad-input cases for Globus replies and requests as the Globus SDK speaks them (issue 14).

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged. Upstream cases
answer through the Globus fault proxy ("globus:*" kinds); the checks add what the generic
judgement cannot see: a transfer failed for good by a 5xx, or a whole staging prefix copied
because Globus refused the delivered-file list of a task whose history is kept.
"""

import json

import copypt_harness as h

JSON = {"Content-Type": "application/json"}
SWEEP = ["copypt-sweep", "--once"]

# The shape of globus-sdk's recorded operation_stat "not_found" answer (testing/data/transfer).
MULTILINE = ("Path not found, Error (list)\nEndpoint: Globus Tutorial Collection 1 "
             "(00000000-0000-0000-0005-4925541e7725)\nServer: 100.26.231.26:443\n"
             "Message: No such file or directory\n---\nDetails: Error: '~/foo' not found\\r\\n"
             "550-GlobusError: v=1 c=PATH_NOT_FOUND\\r\\n550 End.\\r\\n\n")


def error_doc(code, message):
    return json.dumps({"code": code, "message": message, "request_id": "r4globus1", "resource": "/r4"})


def the_record(state_dir):
    records, _ = h.read_records(state_dir)
    docs = [d for d in records.values() if d is not None]
    return docs[0] if len(docs) == 1 else None


def not_failed(ctx, case_dir, state_dir, result):
    """The transfer is still there for the next run: not failed, not done."""
    doc = the_record(state_dir)
    if doc is None:
        return ["record unreadable"]
    if doc["state"] in ("failed", "done"):
        return ["record %s after a transient reply: %s" % (doc["state"], (doc.get("last_error") or {}).get("message", "")[:120])]
    return []


def nothing_copied(ctx, case_dir, state_dir, result):
    """Nothing reached the record's destination (no fallback to copying the whole prefix)."""
    problems = not_failed(ctx, case_dir, state_dir, result)
    doc = the_record(state_dir)
    if doc is not None:
        bucket, _, prefix = doc["to"][len("s3://"):].partition("/")
        copied = h.list_all(ctx.s3, bucket, prefix)
        if copied:
            problems.append("%d object(s) copied although Globus listed nothing: %s" % (len(copied), sorted(copied)[:2]))
    return problems


def one_line_error(ctx, case_dir, state_dir, result):
    doc = the_record(state_dir)
    message = ((doc or {}).get("last_error") or {}).get("message", "")
    if "\n" in message or "\r" in message:
        return ["the record's last error spans several lines"]
    return []


def cases():
    from trials_r4 import Case  # imported here: trials_r4 imports this module
    st = "globus:successful_transfers"
    c = [
        # Item 4: a 5xx is transient, never a permanent failure (retried in the run first).
        Case("globus reply: task_list 500 with a JSON error document", SWEEP, kind="upstream", state="record", rcs=(75,),
             rules=("globus", [{"kind": "globus:task_list", "status": 500, "headers": JSON,
                                "body": error_doc("InternalError", "An internal error occurred")}]),
             check=not_failed),
        Case("globus reply: successful_transfers 500 with a JSON error document", SWEEP, kind="upstream",
             state="succeeded", rcs=(75,),
             rules=("globus", [{"kind": st, "status": 500, "headers": JSON,
                                "body": error_doc("InternalError", "An internal error occurred")}]),
             check=not_failed),
        Case("globus reply: successful_transfers 502 EndpointError (not retried in the run)", SWEEP, kind="upstream",
             state="succeeded", rcs=(75,),
             rules=("globus", [{"kind": st, "status": 502, "headers": JSON,
                                "body": error_doc("EndpointError", "The endpoint is not responding")}]),
             check=not_failed),
        # Item 5: a 404 on successful_transfers of a SUCCEEDED task whose history is kept.
        Case("globus reply: successful_transfers 404 NotFound while the task SUCCEEDED", SWEEP, kind="upstream",
             state="succeeded", rcs=(75,),
             rules=("globus", [{"kind": st, "status": 404, "headers": JSON, "body": error_doc("NotFound", "Not Found")}]),
             check=nothing_copied),
        Case("globus reply: successful_transfers 410 while history_deleted is false", SWEEP, kind="upstream",
             state="succeeded", rcs=(75,),
             rules=("globus", [{"kind": st, "status": 410, "headers": JSON,
                                "body": error_doc("TaskHistoryDeleted", "gone")}]),
             check=nothing_copied),
        Case("globus reply: successful_transfers empty for a task that transferred files", SWEEP, kind="upstream",
             state="succeeded", rcs=(75,),
             rules=("globus", [{"kind": st, "status": 200, "headers": JSON,
                                "body": json.dumps({"DATA_TYPE": "successful_transfers", "marker": 0,
                                                    "next_marker": None, "DATA": []})}]),
             check=nothing_copied),
        # Item 7: multi-line server messages become one line (the generic check counts stderr lines).
        Case("globus reply: task_list 400 with a multi-line message", SWEEP, kind="upstream", state="record", rcs=(1,),
             rules=("globus", [{"kind": "globus:task_list", "status": 400, "headers": JSON,
                                "body": error_doc("ClientError.BadRequest", MULTILINE)}])),
        Case("globus reply: successful_transfers 403 with a multi-line message", SWEEP, kind="upstream",
             state="succeeded", rcs=(1,),
             rules=("globus", [{"kind": st, "status": 403, "headers": JSON,
                                "body": error_doc("EndpointPermissionDenied", MULTILINE)}]),
             check=one_line_error),
        Case("globus reply: task fatal_error over several lines", SWEEP, kind="upstream", state="record", rcs=(1,),
             rules=("globus", [{"kind": "globus:task_list", "status": 200, "headers": JSON,
                                "body": json.dumps({"DATA_TYPE": "task_list", "length": 1, "limit": 1000, "offset": 0,
                                                    "total": 1, "DATA": [{"DATA_TYPE": "task", "task_id": "TASK_ID",
                                                                          "status": "FAILED", "fatal_error": {
                                                                              "code": "PERMISSION_DENIED",
                                                                              "description": MULTILINE}}]})}]),
             check=one_line_error),
        # Item 13: a repeated marker is an error, not a loop (nor a silent end).
        Case("globus reply: successful_transfers next_marker repeats for ever", SWEEP, kind="upstream",
             state="succeeded", rcs=(75,), timeout=90,
             rules=("globus", [{"kind": st, "status": 200, "headers": JSON,
                                "body": json.dumps({"DATA_TYPE": "successful_transfers", "marker": 0,
                                                    "next_marker": 7, "DATA": []})}]),
             check=not_failed),
        Case("globus reply: successful_transfers next_marker equal to marker", SWEEP, kind="upstream",
             state="succeeded", rcs=(75,), timeout=90,
             rules=("globus", [{"kind": st, "status": 200, "headers": JSON,
                                "body": json.dumps({"DATA_TYPE": "successful_transfers", "marker": 3,
                                                    "next_marker": 3, "DATA": []})}]),
             check=not_failed),
    ]
    # Item 10: GLOBUS_SDK_HTTP_TIMEOUT that would overflow or means nothing: exit 2, nothing changed.
    for value in ("inf", "1e17", "-5", "nan"):
        c.append(Case("globus: GLOBUS_SDK_HTTP_TIMEOUT=%s" % value, SWEEP, state="record", rcs=(2,),
                      env={"GLOBUS_SDK_HTTP_TIMEOUT": value}))
    return c
