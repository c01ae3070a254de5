import CopyPTRecords

/// Writes the policies copypt's principal needs for one transfer, from its options alone (no
/// network): the destination bucket policy statements, the KMS key policy statements and the
/// identity policy in copypt's own account. Each statement has a fixed `Sid`, so `doctor` can
/// print only the statements a failed check calls for.
///
/// Actions are the ones copypt's requests need (Service Authorization Reference, Amazon S3:
/// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html):
/// CopyObject and multipart copies need `s3:PutObject` on the destination and `s3:GetObject` on
/// the source; the size check after a copy whose ETag differs is a HeadObject of the
/// destination (`s3:GetObject`); interrupted large copies are resumed with ListParts
/// (`s3:ListMultipartUploadParts`) or aborted (`s3:AbortMultipartUpload`); a canned ACL needs
/// `s3:PutObjectAcl`, and copied tags `s3:PutObjectTagging`. After a transfer with multipart
/// copies the sweep lists the destination's open uploads (ListMultipartUploads, a bucket-level
/// action no prefix can limit: `s3:ListBucketMultipartUploads` on the bucket) to abort strays.
public struct PolicyRenderer: Sendable {
    /// The policy language version every document uses.
    public static let version = "2012-10-17"

    /// Statement ids, stable across versions so people can find and replace them.
    public enum Sid {
        public static let writeDestination = "CopyptWriteDestination"
        public static let putObjectACL = "CopyptPutObjectAcl"
        public static let useDestinationKey = "CopyptUseDestinationKey"
        public static let decryptStagingObjects = "CopyptDecryptStagingObjects"
        public static let listStaging = "CopyptListStaging"
        public static let readStaging = "CopyptReadStaging"
        public static let listOpenUploads = "CopyptListOpenUploads"
    }

    /// The input the documents are written for.
    public let input: PolicyInput

    /// A renderer for `input`.
    public init(input: PolicyInput) {
        self.input = input
    }

    /// Every document, in the order people apply them: the other account's first.
    /// - Throws: ``PolicyError`` when SSE-KMS names no key ARN.
    public func documents() throws(PolicyError) -> [PolicyDocument] {
        let destinationKey = try input.destinationKMSKey()
        var documents = [bucketPolicy()]
        if let destinationKey {
            documents.append(PolicyDocument(
                kind: .destinationKeyPolicy,
                heading: "Destination account \(destinationKey.account): add to the key policy of \(destinationKey.arn):",
                json: Self.document([keyStatement(Sid.useDestinationKey, actions: Self.destinationKeyActions, key: destinationKey, principal: true)])))
        }
        if let stagingKey = input.stagingKMSKey {
            documents.append(PolicyDocument(
                kind: .stagingKeyPolicy,
                heading: "Account \(stagingKey.account) (staging objects are encrypted with this key): add to the key policy of \(stagingKey.arn):",
                json: Self.document([keyStatement(Sid.decryptStagingObjects, actions: ["kms:Decrypt"], key: stagingKey, principal: true)])))
        }
        documents.append(try identityPolicy())
        documents += batchRoleDocuments()
        return documents
    }

    /// The KMS actions SSE-KMS copies need on the destination key: a data key for each new
    /// object, and Decrypt for multipart copies (S3 decrypts the parts to complete the upload).
    public static let destinationKeyActions = ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"]

    // MARK: - Documents

    /// The destination account's bucket policy statements.
    public func bucketPolicy() -> PolicyDocument {
        let owner = input.options.destOwner.map { "Destination account \($0)" } ?? "The destination bucket's account"
        return PolicyDocument(
            kind: .destinationBucketPolicy,
            heading: "\(owner): add to the bucket policy of s3://\(input.destination.bucket):",
            json: Self.document(destinationStatements(principal: true) + batchDestinationStatements()))
    }

    /// The identity policy for copypt's principal: read staging, write the destination, use the keys.
    public func identityPolicy() throws(PolicyError) -> PolicyDocument {
        var statements: [PolicyJSON] = []
        var list: [(String, PolicyJSON)] = [
            ("Sid", .string(Sid.listStaging)), ("Effect", .string("Allow")),
            ("Action", .string("s3:ListBucket")), ("Resource", .string(bucketARN(input.staging.bucket))),
        ]
        if !input.staging.prefix.isEmpty {
            list.append(("Condition", .object([("StringLike", .object([("s3:prefix", .string(Self.escaped(input.staging.prefix) + "*"))]))])))
        }
        statements.append(.object(list))
        var read = ["s3:GetObject"]
        if input.copiesTags { read.append("s3:GetObjectTagging") }
        if input.options.deleteStaging { read.append("s3:DeleteObject") }
        statements.append(statement(Sid.readStaging, principal: false, actions: read, resource: objectsARN(input.staging)))
        statements += destinationStatements(principal: false)
        if let key = try input.destinationKMSKey() {
            statements.append(keyStatement(Sid.useDestinationKey, actions: Self.destinationKeyActions, key: key, principal: false))
        }
        if let key = input.stagingKMSKey {
            statements.append(keyStatement(Sid.decryptStagingObjects, actions: ["kms:Decrypt"], key: key, principal: false))
        }
        statements += batchIdentityStatements()
        return PolicyDocument(
            kind: .identityPolicy,
            heading: "Your account \(input.principal.account): attach to \(input.principal.arn) as an identity policy:",
            json: Self.document(statements))
    }

    // MARK: - Statements

    /// The write statements, with a Principal for the bucket policy or without for the identity policy.
    func destinationStatements(principal: Bool) -> [PolicyJSON] {
        var write = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        if input.copiesTags { write.append("s3:PutObjectTagging") }
        var statements = [
            statement(Sid.writeDestination, principal: principal, actions: write, resource: objectsARN(input.destination)),
            statement(Sid.listOpenUploads, principal: principal, actions: ["s3:ListBucketMultipartUploads"], resource: bucketARN(input.destination.bucket)),
        ]
        if input.options.acl == .bucketOwnerFullControl {
            var acl = statement(Sid.putObjectACL, principal: principal, actions: ["s3:PutObjectAcl"], resource: objectsARN(input.destination))
            if case .object(var members) = acl {
                members.append(("Condition", .object([("StringEquals", .object([("s3:x-amz-acl", .string("bucket-owner-full-control"))]))])))
                acl = .object(members)
            }
            statements.append(acl)
        }
        return statements
    }

    func statement(_ sid: String, principal: Bool, actions: [String], resource: String) -> PolicyJSON {
        var members: [(String, PolicyJSON)] = [("Sid", .string(sid)), ("Effect", .string("Allow"))]
        if principal { members.append(("Principal", .object([("AWS", .string(input.principal.arn))]))) }
        members.append(("Action", .strings(actions)))
        members.append(("Resource", .string(resource)))
        return .object(members)
    }

    /// A key policy statement (with a Principal) or an identity policy statement. Both name
    /// the key's ARN as Resource: in a key policy `"*"` means the same key, but parliament
    /// flags it (RESOURCE_STAR), and the ARN says which key the statement is for.
    func keyStatement(_ sid: String, actions: [String], key: KMSKeyARN, principal: Bool) -> PolicyJSON {
        statement(sid, principal: principal, actions: actions, resource: key.arn)
    }

    static func document(_ statements: [PolicyJSON]) -> PolicyJSON {
        .object([("Version", .string(version)), ("Statement", .array(statements))])
    }

    // MARK: - ARNs

    func bucketARN(_ bucket: String) -> String {
        "arn:\(input.principal.partition):s3:::\(bucket)"
    }

    /// `arn:aws:s3:::BUCKET/PREFIX*`: the objects under the prefix and nothing else.
    func objectsARN(_ location: S3Prefix) -> String {
        bucketARN(location.bucket) + "/" + Self.escaped(location.prefix) + "*"
    }

    /// A key prefix as literal text in an ARN pattern: `*`, `?` and `$` would be wildcards or
    /// policy variables, so they are written as the policy variables `${*}`, `${?}`, `${$}`
    /// (IAM User Guide, "IAM policy elements: Variables and tags", special characters).
    static func escaped(_ prefix: String) -> String {
        guard prefix.contains(where: { $0 == "*" || $0 == "?" || $0 == "$" }) else { return prefix }
        var out = ""
        for character in prefix {
            switch character {
            case "*", "?", "$": out += "${\(character)}"
            default: out.append(character)
            }
        }
        return out
    }
}
