import CopyPTRecords

// MARK: - S3 Batch Operations (`--engine auto|batch` with `--batch-role-arn`)

extension PolicyRenderer {
    /// Statement ids of the Batch Operations statements.
    public enum BatchSid {
        public static let trust = "CopyptBatchOperationsAssumeRole"
        public static let readStaging = "CopyptBatchReadStaging"
        public static let listStaging = "CopyptBatchListStaging"
        public static let readManifest = "CopyptBatchReadManifest"
        public static let writeReport = "CopyptBatchWriteReport"
        public static let writeDestination = "CopyptBatchWriteDestination"
        public static let createJob = "CopyptCreateBatchJobs"
        public static let describeJobs = "CopyptDescribeBatchJobs"
        public static let passRole = "CopyptPassBatchRole"
        public static let batchFiles = "CopyptBatchFiles"
        public static let listBatchFiles = "CopyptListBatchFiles"
    }

    /// The role's ARN when the transfer may go to Batch Operations, else `nil`.
    var batchRole: String? {
        input.options.engine == .direct ? nil : input.options.batchRoleARN
    }

    /// Where copypt keeps a batch transfer's manifest and report: `.copypt/batch/` of the staging bucket.
    var batchFilesARN: String { bucketARN(input.staging.bucket) + "/.copypt/batch/*" }

    /// The role's trust policy and permissions policy (S3 User Guide, "Granting permissions for
    /// Batch Operations": trust `batchoperations.s3.amazonaws.com`; for S3PutObjectCopy read the
    /// source objects, their ACLs and tags; read the manifest; write the report; write the copies).
    func batchRoleDocuments() -> [PolicyDocument] {
        guard let role = batchRole else { return [] }
        let trust = PolicyJSON.object([
            ("Sid", .string(BatchSid.trust)), ("Effect", .string("Allow")),
            ("Principal", .object([("Service", .string("batchoperations.s3.amazonaws.com"))])),
            ("Action", .string("sts:AssumeRole")),
        ])
        var write = ["s3:PutObject", "s3:PutObjectTagging"]
        if input.options.acl == .bucketOwnerFullControl { write.append("s3:PutObjectAcl") }
        let permissions = [
            statement(BatchSid.readStaging, principal: false, actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl", "s3:GetObjectTagging"],
                      resource: objectsARN(input.staging)),
            statement(BatchSid.listStaging, principal: false, actions: ["s3:ListBucket"], resource: bucketARN(input.staging.bucket)),
            statement(BatchSid.readManifest, principal: false, actions: ["s3:GetObject", "s3:GetObjectVersion"], resource: batchFilesARN),
            statement(BatchSid.writeReport, principal: false, actions: ["s3:PutObject"], resource: batchFilesARN),
            statement(BatchSid.writeDestination, principal: false, actions: write, resource: objectsARN(input.destination)),
        ]
        return [
            PolicyDocument(
                kind: .batchRoleTrustPolicy, heading: "Your account: the trust policy of the Batch Operations role \(role):",
                json: Self.document([trust])),
            PolicyDocument(
                kind: .batchRolePolicy, heading: "Your account: attach to the Batch Operations role \(role) as an identity policy:",
                json: Self.document(permissions)),
        ]
    }

    /// The destination bucket policy statement naming the role (the copies are written by it).
    func batchDestinationStatements() -> [PolicyJSON] {
        guard let role = batchRole else { return [] }
        var write = ["s3:PutObject", "s3:PutObjectTagging"]
        if input.options.acl == .bucketOwnerFullControl { write.append("s3:PutObjectAcl") }
        return [.object([
            ("Sid", .string(BatchSid.writeDestination)), ("Effect", .string("Allow")),
            ("Principal", .object([("AWS", .string(role))])),
            ("Action", .strings(write)), ("Resource", .string(objectsARN(input.destination))),
        ])]
    }

    /// What copypt's own principal needs to run the jobs: CreateJob and DescribeJob, PassRole
    /// on the role, and the manifest and report under `.copypt/batch/` (write, read, list, delete).
    func batchIdentityStatements() -> [PolicyJSON] {
        guard let role = batchRole else { return [] }
        let account = role.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? input.principal.account
        var list = statement(BatchSid.listBatchFiles, principal: false, actions: ["s3:ListBucket"], resource: bucketARN(input.staging.bucket))
        if case .object(var members) = list {
            members.append(("Condition", .object([("StringLike", .object([("s3:prefix", .string(".copypt/batch/*"))]))])))
            list = .object(members)
        }
        return [
            // CreateJob takes no resource-level permission (Service Authorization Reference, Amazon S3).
            statement(BatchSid.createJob, principal: false, actions: ["s3:CreateJob"], resource: "*"),
            statement(BatchSid.describeJobs, principal: false, actions: ["s3:DescribeJob"],
                      resource: "arn:\(input.principal.partition):s3:*:\(account):job/*"),
            statement(BatchSid.passRole, principal: false, actions: ["iam:PassRole"], resource: role),
            statement(BatchSid.batchFiles, principal: false, actions: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], resource: batchFilesARN),
            list,
        ]
    }
}
