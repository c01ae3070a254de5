"""R4 bad-input cases for `copypt doctor` and `copypt policy` (issue 17): arguments that cannot
name a transfer, principals and KMS keys no policy can name. Each must exit 2 with one clear line
and change nothing; none needs AWS (`--principal` spares the STS call).

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.
"""

PRINCIPAL = "arn:aws:iam::111122223333:user/copypt"
LOCATIONS = ["--from", "s3://r4-stg/run/", "--to", "s3://r4-dst/out/"]


def cases():
    from trials_r4 import Case  # imported here: trials_r4 imports this module
    doctor, policy = ["copypt", "doctor"], ["copypt", "policy"]
    return [
        Case("doctor: neither an ID nor --from/--to", doctor, rcs=(2,)),
        Case("doctor: --from without --to", doctor + LOCATIONS[:2], rcs=(2,)),
        Case("doctor: an ID with copy options", doctor + ["20991231-abcdef", "--acl", "none"], state="record", rcs=(2,)),
        Case("doctor: unknown id", doctor + ["20991231-abcdef"], state="record", rcs=(2,)),
        Case("doctor: a path as id", doctor + ["../../etc/passwd"], state="record", rcs=(2,)),
        Case("policy: --principal not an ARN", policy + LOCATIONS + ["--principal", "copypt"], rcs=(2,)),
        Case("policy: --principal with a 4-digit account", policy + LOCATIONS + ["--principal", "arn:aws:iam::1111:user/x"], rcs=(2,)),
        Case("policy: --principal with a wildcard", policy + LOCATIONS + ["--principal", "arn:aws:iam::111122223333:user/*"], rcs=(2,)),
        Case("policy: --sse aws:kms without a key", policy + LOCATIONS + ["--principal", PRINCIPAL, "--sse", "aws:kms"], rcs=(2,)),
        Case("policy: a KMS alias instead of the key ARN",
             policy + LOCATIONS + ["--principal", PRINCIPAL, "--sse-kms-key-id", "alias/lab"], rcs=(2,)),
        Case("policy: --staging-kms-key not a key ARN",
             policy + LOCATIONS + ["--principal", PRINCIPAL, "--staging-kms-key", "arn:aws:kms:eu-west-1:222222222222:alias/x"], rcs=(2,)),
        Case("policy: unknown id", policy + ["20991231-abcdef", "--principal", PRINCIPAL], state="record", rcs=(2,)),
    ]
