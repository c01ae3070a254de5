"""R4 bad-input cases for the hand-written readers: depth limits in the JSON and XML readers (issue 14).

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.
"""

import os


def _nested(depth):
    return "[" * depth + "]" * depth


def _deep_record(ctx, case_dir, env, record_id):
    """Adds 20,000 nested arrays under a key the record does not know."""
    path = os.path.join(case_dir, "state", "transfers", record_id + ".json")
    with open(path) as f:
        text = f.read()
    start = text.index("{") + 1
    with open(path, "w") as f:
        f.write(text[:start] + '"x-hand-edit": ' + _nested(20000) + "," + text[start:])


def cases():
    from trials_r4 import Case, says  # imported here: trials_r4 imports this module
    sweep = ["copypt-sweep", "--once"]
    recursive = ["copypt", "copy", "--recursive", "s3://r4-stg/run/", "s3://r4-dst/copy/"]
    deep_xml = ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Contents><Key>'
                + "<a>" * 100000 + "run/a.dat" + "</a>" * 100000 + "</Key></Contents></ListBucketResult>")
    deep_xml_commented = deep_xml.replace("<ListBucketResult>", "<ListBucketResult><!-- c -->", 1)
    deep_page = ('{"DATA_TYPE": "successful_transfers", "marker": 0, "next_marker": null, "x": '
                 + _nested(20000) + ', "DATA": []}')
    return [
        Case("record: 20,000 nested arrays (status)", ["copypt", "status"], state="record",
             setup=_deep_record, check=says("deeper than")),
        Case("record: 20,000 nested arrays (sweep)", sweep, state="record", setup=_deep_record, check=says("deeper than")),
        Case("s3 reply: ListObjectsV2 nested 100,000 deep", recursive, kind="upstream",
             rules=("s3", [{"kind": "ListObjectsV2", "status": 200, "headers": {"Content-Type": "application/xml"},
                            "body": deep_xml}])),
        Case("s3 reply: ListObjectsV2 nested 100,000 deep, past the scanner", recursive, kind="upstream",
             rules=("s3", [{"kind": "ListObjectsV2", "status": 200, "headers": {"Content-Type": "application/xml"},
                            "body": deep_xml_commented}])),
        Case("globus reply: successful_transfers nested 20,000 deep", sweep, kind="upstream", state="succeeded",
             rules=("globus", [{"kind": "globus:successful_transfers", "status": 200,
                                "headers": {"Content-Type": "application/json"}, "body": deep_page}])),
    ]
