import ArgumentParser
import CopyPTS3

/// `--acl`: the canned ACL for copied objects.
enum CopyACLChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// The destination bucket's owner gets full control (the default).
    case bucketOwnerFullControl = "bucket-owner-full-control"
    /// No ACL header (buckets with ACLs disabled).
    case none

    var acl: CopyOptions.CannedACL? { self == .none ? nil : .bucketOwnerFullControl }
}

/// `--sse`: server-side encryption of copied objects.
enum CopySSEChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// SSE-S3.
    case aes256 = "AES256"
    /// SSE-KMS, with `--sse-kms-key-id` or the account's default key.
    case kms = "aws:kms"
}

/// `--storage-class`: S3's storage classes.
enum CopyStorageClass: String, ExpressibleByArgument, CaseIterable, Sendable {
    case standard = "STANDARD"
    case reducedRedundancy = "REDUCED_REDUNDANCY"
    case standardIA = "STANDARD_IA"
    case onezoneIA = "ONEZONE_IA"
    case intelligentTiering = "INTELLIGENT_TIERING"
    case glacier = "GLACIER"
    case deepArchive = "DEEP_ARCHIVE"
    case glacierIR = "GLACIER_IR"
    case outposts = "OUTPOSTS"
    case expressOnezone = "EXPRESS_ONEZONE"
}
