import CopyPTS3
@testable import CopyPTSweep
import Foundation

/// An in-memory S3 with two buckets' worth of objects; copies, lists (pages of `pageSize`),
/// deletes; failures can be injected per destination key. Counts copies per key.
final class FakeObjectStore: ObjectStore, @unchecked Sendable {
    struct Object: Equatable {
        var size: Int64
        var eTag: String
    }

    private let lock = NSLock()
    private var buckets: [String: [String: Object]] = [:]
    private var failures: [String: SweepError] = [:]
    private(set) var copies: [String: Int] = [:]
    /// What ``concurrency`` answers (an S3 engine's width), default none.
    var reportedConcurrency: CopyConcurrency?
    var concurrency: CopyConcurrency? { lock.withLock { reportedConcurrency } }
    private(set) var listCalls = 0
    /// The `maxKeys` of each listPage call, in order.
    private(set) var listMaxKeys: [Int?] = []
    private(set) var deleteCalls = 0
    /// Keys per listing page.
    var pageSize = 1000
    /// When set, every page hands back this continuation token (a listing that never ends).
    var stuckToken: String?
    /// Objects above this size are "multipart": an upload id is reported before verification.
    var multipartThreshold: Int64 = .max
    /// Upload ids passed in `resume`, by destination key.
    private(set) var resumed: [String: String] = [:]
    /// Called after each verified object; throw from it to simulate a kill mid-batch.
    var afterVerify: (@Sendable (String) throws -> Void)?

    func put(_ bucket: String, _ key: String, size: Int64 = 10, eTag: String? = nil) {
        lock.withLock { buckets[bucket, default: [:]][key] = Object(size: size, eTag: eTag ?? "\"etag-\(key.hashValue & 0xffff)\"") }
    }

    func objects(in bucket: String) -> [String: Object] { lock.withLock { buckets[bucket] ?? [:] } }

    func fail(_ destinationKey: String, with error: SweepError?) {
        lock.withLock { failures[destinationKey] = error }
    }

    var totalCopies: Int { lock.withLock { copies.values.reduce(0, +) } }

    // MARK: - ObjectStore

    func listPage(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int?, expectedOwner: String?) async throws -> StagingPage {
        lock.withLock {
            listCalls += 1
            listMaxKeys.append(maxKeys)
            let keys = (buckets[bucket] ?? [:]).keys.filter { $0.hasPrefix(prefix) }.sorted()
            let start = continuationToken.flatMap { Int($0) } ?? 0
            let end = min(start + min(pageSize, maxKeys ?? 1000), keys.count)
            let objects = keys[start..<end].map { key -> StagingObject in
                let object = buckets[bucket]?[key] ?? Object(size: 0, eTag: "")
                return StagingObject(key: key, size: object.size, eTag: object.eTag)
            }
            return StagingPage(objects: objects, nextContinuationToken: stuckToken ?? (end < keys.count ? String(end) : nil))
        }
    }

    func copy(
        _ items: [PlannedCopy], options: PlannedCopyOptions, resume: [String: String],
        onEvent: @escaping @Sendable (ObjectCopyEvent) async throws -> Void
    ) async throws -> [ObjectCopyFailure] {
        var failed: [ObjectCopyFailure] = []
        for item in items {
            let failure: SweepError? = lock.withLock {
                if let id = resume[item.destinationKey] { resumed[item.destinationKey] = id }
                return failures[item.destinationKey]
            }
            if let failure {
                failed.append(ObjectCopyFailure(item: item, error: failure))
                continue
            }
            if item.size > multipartThreshold, resume[item.destinationKey] == nil {
                try await onEvent(.multipartStarted(destinationKey: item.destinationKey, uploadID: "upload-\(item.destinationKey)"))
            }
            let source: Object? = lock.withLock { buckets[item.sourceBucket]?[item.sourceKey] }
            guard let source, source.eTag == item.eTag else {
                failed.append(ObjectCopyFailure(item: item, error: .remote(code: "PreconditionFailed", message: "source changed", kind: .permanent)))
                continue
            }
            lock.withLock {
                buckets[item.destinationBucket, default: [:]][item.destinationKey] = source
                copies[item.destinationKey, default: 0] += 1
            }
            try await onEvent(.verified(destinationKey: item.destinationKey, eTag: source.eTag, size: source.size))
            try afterVerify?(item.destinationKey)
        }
        return failed
    }

    /// Uploads "in progress" in the destination, by key.
    private(set) var uploads: [String: String] = [:]

    func leaveUpload(_ key: String, _ uploadID: String) {
        lock.withLock { uploads[key] = uploadID }
    }

    /// When set, ListMultipartUploads fails with it.
    var openUploadsError: SweepError?

    func openUploads(bucket: String, prefix: String, expectedOwner: String?) async throws -> [OpenUpload] {
        if let openUploadsError { throw openUploadsError }
        return lock.withLock { uploads.filter { $0.key.hasPrefix(prefix) }.map { OpenUpload(key: $0.key, uploadID: $0.value) } }
    }

    func abortUpload(bucket: String, _ upload: OpenUpload, expectedOwner: String?) async throws {
        lock.withLock { uploads[upload.key] = nil }
    }

    func delete(bucket: String, keys: [String], expectedOwner: String?) async throws -> [ObjectCopyFailure.KeyFailure] {
        lock.withLock {
            deleteCalls += 1
            for key in keys { buckets[bucket]?[key] = nil }
        }
        return []
    }
}

/// Thrown by `afterVerify` to stop a copy as a kill would.
struct SimulatedKill: Error {}
