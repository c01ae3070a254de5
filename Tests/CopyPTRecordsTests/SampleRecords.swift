import CopyPTRecords
import Foundation

/// Records for the tests: a fixed clock and a fully populated transfer.
enum SampleRecords {
    /// 2026-11-25T09:41:07Z.
    static let addedAt = Date(timeIntervalSince1970: 1_795_599_667)

    static func waiting(id: String = "20261125-3f9a2c", label: String? = "run 42") -> TransferRecord {
        TransferRecord(
            id: id,
            label: label,
            globusTaskID: "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002",
            from: S3Prefix(bucket: "my-staging", prefix: "run42/"),
            to: S3Prefix(bucket: "lab-archive", prefix: "2026/run42/"),
            globusPath: "/my-staging/run42/",
            options: CopyOptions(storageClass: .intelligentTiering, sse: .awsKMS, sseKMSKeyID: "alias/lab",
                                 destOwner: "111122223333", sourceOwner: "444455556666", profile: "lab"),
            createdAt: addedAt
        )
    }

    static func busy(id: String = "20261125-0000aa") -> TransferRecord {
        var record = waiting(id: id)
        record.state = .copying
        record.globusStatus = GlobusStatusSeen(status: "SUCCEEDED", niceStatus: "OK", at: addedAt.addingTimeInterval(60))
        record.progress = TransferProgress(objectsTotal: 1234, objectsDone: 17, bytesTotal: 60_880_000_000, bytesDone: 9_000_000)
        record.lastError = RecordedError(code: "SlowDown", message: "CopyObject throttled;\nretrying", at: addedAt.addingTimeInterval(90), transient: true)
        record.attempts = 2
        record.planSource = "successful_transfers"
        record.notes = ["1 path outside the Globus path was not copied: /elsewhere/x"]
        record.touch(at: addedAt.addingTimeInterval(90.7))
        return record
    }
}
