"""R4 bad-input cases for the cross-account refusals scripts/policy-s3 models (issue 17): the error
answers real S3 gives a principal that the other account has not let in, replayed by the fault
proxy in front of moto, each to end in one readable line that names S3's error code.

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged. AWS's AccessDenied
wording runs past 200 characters (for a KMS key more), so these also hold copypt to cutting S3's
message rather than its line growing past R4's 400.
"""

KEY_ARN = "arn:aws:kms:us-east-1:222222222222:key/0b5e7c1e-0000-4000-8000-000000004444"


def _error(code, message):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>'
            '<RequestId>R4STANDIN0000001</RequestId><HostId>r4</HostId></Error>' % (code, message))


def cases():
    from trials_r4 import Case, says  # imported here: trials_r4 imports this module
    copy = ["copypt", "copy"]
    one = ["s3://r4-stg/run/a.dat", "s3://r4-dst/copy/a.dat"]
    denied = _error("AccessDenied", 'User: arn:aws:iam::111111111111:user/copypt is not authorized to perform: '
                    's3:PutObject on resource: "arn:aws:s3:::r4-dst/copy/a.dat" because no resource-based policy '
                    'allows the s3:PutObject action')
    kms_denied = _error("AccessDenied", 'User: arn:aws:iam::111111111111:user/copypt is not authorized to perform: '
                        'kms:GenerateDataKey on resource: %s because no resource-based policy allows the '
                        'kms:GenerateDataKey action' % KEY_ARN)
    xml = {"Content-Type": "application/xml"}
    return [
        Case("s3 reply: CopyObject 403 AccessDenied for a KMS key, AWS's long wording",
             copy + ["--sse", "aws:kms", "--sse-kms-key-id", KEY_ARN] + one,
             kind="upstream", rcs=(1,), check=says("AccessDenied"),
             rules=("s3", [{"kind": "CopyObject", "status": 403, "headers": xml, "body": kms_denied}])),
        Case("s3 reply: CopyObject 403 AccessDenied, AWS's long wording, through the sweep", ["copypt-sweep", "--once"],
             kind="upstream", state="succeeded", check=says("AccessDenied"),
             rules=("s3", [{"kind": "CopyObject", "status": 403, "headers": xml, "body": denied}])),
        Case("s3 reply: CopyObject 403 AccessDenied, no bucket policy in the other account", copy + one,
             kind="upstream", rcs=(1,), check=says("AccessDenied"),
             rules=("s3", [{"kind": "CopyObject", "status": 403, "headers": xml, "body": denied}])),
        Case("s3 reply: CopyObject 400 KMS.NotFoundException", copy + ["--sse", "aws:kms", "--sse-kms-key-id", KEY_ARN] + one,
             kind="upstream", rcs=(1,), check=says("KMS.NotFoundException"),
             rules=("s3", [{"kind": "CopyObject", "status": 400, "headers": xml,
                            "body": _error("KMS.NotFoundException", "Invalid keyId '%s'" % KEY_ARN)}])),
        Case("s3 reply: CopyObject 400 AccessControlListNotSupported", copy + one,
             kind="upstream", rcs=(1,), check=says("AccessControlListNotSupported"),
             rules=("s3", [{"kind": "CopyObject", "status": 400, "headers": xml,
                            "body": _error("AccessControlListNotSupported", "The bucket does not allow ACLs")}])),
        Case("s3 reply: CopyObject 412 PreconditionFailed", copy + one,
             kind="upstream", rcs=(1,), check=says("PreconditionFailed"),
             rules=("s3", [{"kind": "CopyObject", "status": 412, "headers": xml, "body": _error(
                 "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")}])),
    ]
