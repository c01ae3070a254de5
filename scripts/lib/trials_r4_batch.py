"""R4 bad-input cases for S3 Batch Operations (issue 20): --engine, --batch-role-arn, --batch-threshold.

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged. Every one is a
`copypt-add` that must exit 2 with one line naming what is wrong, and write no record.
"""

ROLE = "arn:aws:iam::111122223333:role/copypt-batch"


def cases():
    from trials_r4 import UUID_GOOD, Case, says  # imported here: trials_r4 imports this module
    add = ["copypt-add", "--no-check", "--task", UUID_GOOD]
    same = ["--from", "s3://r4-stg/run/", "--to", "s3://r4-dst/run/"]
    other = ["--from", "s3://r4-stg/run/", "--to", "s3://r4-dst/out/"]
    return [
        Case("batch: --engine batch without --batch-role-arn", add + same + ["--engine", "batch"],
             rcs=(2,), check=says("--batch-role-arn")),
        Case("batch: --batch-role-arn not a role ARN", add + same + ["--engine", "batch", "--batch-role-arn", "arn:aws:iam::1234:role/x"],
             rcs=(2,), check=says("arn:aws:iam::111122223333:role/")),
        Case("batch: --batch-role-arn a user ARN", add + same + ["--batch-role-arn", "arn:aws:iam::111122223333:user/x"],
             rcs=(2,), check=says("role ARN")),
        Case("batch: --engine batch with a key mapping Batch Operations cannot write", add + other + ["--engine", "batch", "--batch-role-arn", ROLE],
             rcs=(2,), check=says("TargetKeyPrefix", "--engine auto or direct")),
        Case("batch: --engine batch with REDUCED_REDUNDANCY", add + same + ["--engine", "batch", "--batch-role-arn", ROLE, "--storage-class", "REDUCED_REDUNDANCY"],
             rcs=(2,), check=says("REDUCED_REDUNDANCY")),
        Case("batch: --engine batch with --sse AES256", add + same + ["--engine", "batch", "--batch-role-arn", ROLE, "--sse", "AES256"],
             rcs=(2,), check=says("SSE-S3")),
        Case("batch: --engine unknown", add + same + ["--engine", "warp"], rcs=(2,), check=says("warp")),
        Case("batch: --engine direct with a role", add + same + ["--engine", "direct", "--batch-role-arn", ROLE],
             rcs=(2,), check=says("--engine direct")),
        Case("batch: --batch-threshold 0", add + same + ["--batch-threshold", "0"], rcs=(2,), check=says("--batch-threshold")),
        Case("batch: --batch-threshold not a number", add + same + ["--batch-threshold", "many"], rcs=(2,), check=says("many")),
        Case("batch: --batch-threshold beyond Int64", add + same + ["--batch-threshold", "99999999999999999999"], rcs=(2,)),
    ]
