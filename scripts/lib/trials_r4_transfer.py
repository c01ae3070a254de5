"""R4 bad-input cases for `copypt transfer` (issue 19): the source, locations, collection ids and
submission options it is given, and Globus failing the submission id it asks for first.

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged. A bad argument
must be one line on stderr, exit 2, and leave no record; nothing is submitted.
"""

import copypt_harness as h

SOURCE = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc:/data/run42/"
STAGING_COLLECTION = "31ce9ba0-176d-45a5-add3-f37d233ba47d"


def transfer(source=SOURCE, destination="s3://r4-dst/out/", staging="s3://r4-stg/run/", extra=()):
    return (["copypt", "transfer", source, destination, "--staging", staging,
             "--staging-collection", STAGING_COLLECTION] + list(extra))


def says_no_record(*needles):
    """stderr says every needle, and no record was written."""
    def check(ctx, case_dir, state_dir, result):
        problems = ["stderr does not say %r" % n for n in needles if n not in result.err]
        records, _ = h.read_records(state_dir)
        if records:
            problems.append("%d record(s) written" % len(records))
        return problems
    return check


def cases():
    from trials_r4 import Case  # imported here: trials_r4 imports this module
    return [
        Case("transfer: no arguments", ["copypt", "transfer"]),
        Case("transfer: source without a collection", transfer(source="/data/run42/"), rcs=(2,),
             check=says_no_record("COLLECTION_UUID:/path/")),
        Case("transfer: source collection not a UUID", transfer(source="lab-disk:/data/run42/"), rcs=(2,),
             check=says_no_record("collection id is a UUID")),
        Case("transfer: source path relative", transfer(source=SOURCE.replace(":/", ":")), rcs=(2,),
             check=says_no_record("absolute")),
        Case("transfer: source path with '..'", transfer(source=SOURCE + "../../etc/"), rcs=(2,),
             check=says_no_record("'..'")),
        Case("transfer: source path with a newline", transfer(source=SOURCE + "a\nb/"), rcs=(2,),
             check=says_no_record("control character")),
        Case("transfer: staging and destination the same", transfer(staging="s3://r4-dst/out/"), rcs=(2,),
             check=says_no_record("same location")),
        Case("transfer: staging inside the destination", transfer(staging="s3://r4-dst/out/stage/"), rcs=(2,),
             check=says_no_record("overlap")),
        Case("transfer: --staging-collection not a UUID",
             ["copypt", "transfer", SOURCE, "s3://r4-dst/out/", "--staging", "s3://r4-stg/run/",
              "--staging-collection", "my-staging"], rcs=(2,), check=says_no_record("collection id is a UUID")),
        Case("transfer: --sync-level unknown", transfer(extra=["--sync-level", "newer"]), rcs=(2,),
             check=says_no_record("sync-level")),
        Case("transfer: --deadline not a time", transfer(extra=["--deadline", "next week"]), rcs=(2,),
             check=says_no_record("duration from now")),
        Case("transfer: --deadline in the past", transfer(extra=["--deadline", "2001-01-01T00:00:00Z", "--no-check"]),
             rcs=(2,), check=says_no_record("already past")),
        Case("transfer: --wait --interval 0", transfer(extra=["--wait", "--interval", "0"]), rcs=(2,),
             check=says_no_record("--interval")),
        Case("transfer: label of two lines", transfer(extra=["--label", "run 42\nrm -rf /"]), rcs=(2,),
             check=says_no_record("one line")),
        Case("globus reply: submission_id answers 500 every time", transfer(extra=["--no-check"]), kind="upstream",
             rcs=(75,), rules=("globus", [{"kind": "globus:other", "status": 500,
                                            "headers": {"Content-Type": "application/json"},
                                            "body": '{"code": "InternalError", "message": "try later"}'}]),
             check=says_no_record("submission id")),
    ]
