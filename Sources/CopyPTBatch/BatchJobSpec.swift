import CopyPTS3

/// What a `CreateJob` request asks for: an `S3PutObjectCopy` job over a CSV manifest, with a
/// completion report of the failed tasks (S3 Control API 2018-08-20, CreateJob;
/// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_CreateJob.html).
public struct BatchJobSpec: Sendable, Hashable {
    /// The account the job runs in (the role's account), `x-amz-account-id`.
    public var accountID: String
    /// The IAM role Batch Operations assumes.
    public var roleARN: String
    /// Idempotency token (1–64 characters): the same token never makes a second job.
    public var clientRequestToken: String
    /// The manifest object's ARN, `arn:<partition>:s3:::<bucket>/<key>`.
    public var manifestARN: String
    /// The manifest object's ETag, without quotes.
    public var manifestETag: String
    /// The destination bucket's ARN, `arn:<partition>:s3:::<bucket>`.
    public var targetBucketARN: String
    /// `TargetKeyPrefix`: each copy lands at `prefix + "/" + source key`; `nil` for the source key itself.
    public var targetKeyPrefix: String?
    /// `CannedAccessControlList`, e.g. `bucket-owner-full-control`; `nil` to send none.
    public var cannedACL: String?
    /// `StorageClass`; `nil` for the bucket's default.
    public var storageClass: String?
    /// `SSEAwsKmsKeyId`; `nil` for the bucket's default encryption.
    public var kmsKeyID: String?
    /// The report bucket's ARN.
    public var reportBucketARN: String
    /// The report prefix (1–512 characters); the report lands under `<prefix>/job-<id>/`.
    public var reportPrefix: String
    /// `Description`, 1–256 characters.
    public var description: String
    /// `Priority`, 0 or more. Default 10.
    public var priority: Int

    /// A job; every argument is as its property says.
    public init(
        accountID: String, roleARN: String, clientRequestToken: String, manifestARN: String, manifestETag: String,
        targetBucketARN: String, targetKeyPrefix: String?, cannedACL: String?, storageClass: String?, kmsKeyID: String?,
        reportBucketARN: String, reportPrefix: String, description: String, priority: Int = 10
    ) {
        self.accountID = accountID
        self.roleARN = roleARN
        self.clientRequestToken = clientRequestToken
        self.manifestARN = manifestARN
        self.manifestETag = manifestETag
        self.targetBucketARN = targetBucketARN
        self.targetKeyPrefix = targetKeyPrefix
        self.cannedACL = cannedACL
        self.storageClass = storageClass
        self.kmsKeyID = kmsKeyID
        self.reportBucketARN = reportBucketARN
        self.reportPrefix = reportPrefix
        self.description = description
        self.priority = priority
    }

    /// The `CreateJobRequest` document, members in the model's order. Metadata and tags are
    /// copied from each source object (`MetadataDirective` COPY, no `NewObjectTagging`), as
    /// copypt's own copies do; `ConfirmationRequired` is false so the job runs unattended.
    public var xml: String {
        func element(_ name: String, _ value: String?) -> String {
            value.map { "<\(name)>\(S3XMLEscaping.escape($0))</\(name)>" } ?? ""
        }
        var copy = element("TargetResource", targetBucketARN)
        copy += element("CannedAccessControlList", cannedACL)
        copy += element("MetadataDirective", "COPY")
        copy += element("StorageClass", storageClass)
        copy += element("SSEAwsKmsKeyId", kmsKeyID)
        copy += element("TargetKeyPrefix", targetKeyPrefix)
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<CreateJobRequest xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\">"
            + "<ConfirmationRequired>false</ConfirmationRequired>"
            + "<Operation><S3PutObjectCopy>\(copy)</S3PutObjectCopy></Operation>"
            + "<Report>" + element("Bucket", reportBucketARN) + "<Format>Report_CSV_20180820</Format><Enabled>true</Enabled>"
            + element("Prefix", reportPrefix) + "<ReportScope>FailedTasksOnly</ReportScope></Report>"
            + element("ClientRequestToken", clientRequestToken)
            + "<Manifest><Spec><Format>S3BatchOperations_CSV_20180820</Format>"
            + "<Fields><member>Bucket</member><member>Key</member></Fields></Spec>"
            + "<Location>" + element("ObjectArn", manifestARN) + element("ETag", manifestETag) + "</Location></Manifest>"
            + element("Description", description)
            + "<Priority>\(priority)</Priority>"
            + element("RoleArn", roleARN)
            + "</CreateJobRequest>"
    }
}
