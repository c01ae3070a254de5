import CopyPTGlobus
import CopyPTRecords

extension GlobusTaskStatusSource {
    /// Submits `record`'s `submission` as a Globus `transfer` (``GlobusTransferClient/submitTransfer(_:)``).
    /// `Accepted` and `Duplicate` both give the task id.
    /// - Throws: ``SweepError``: a missing consent or login is a configuration error (a person
    ///   must act, the record stays `submitting`), a refusal permanent, anything retryable transient.
    public func submit(_ record: TransferRecord) async throws -> String {
        guard let document = Self.document(record) else {
            throw SweepError.remote(
                code: "NoSubmission", message: "transfer \(record.id) has no Globus submission to make", kind: .permanent)
        }
        do {
            return try await client.submitTransfer(document).taskID
        } catch {
            // A consent or session Globus asks for is a configuration error naming the
            // `copypt login` to run (GlobusError.authorizationRequired): the record waits.
            throw Self.sweepError(error)
        }
    }

    /// The `transfer` document for `record` (`nil` without a submission): one item from the
    /// source path to the record's Globus path in the staging collection, recursive for a folder.
    public static func document(_ record: TransferRecord) -> GlobusTransferDocument? {
        guard let submission = record.submission else { return nil }
        return GlobusTransferDocument(
            submissionID: submission.submissionID, sourceEndpoint: submission.sourceCollection,
            destinationEndpoint: submission.stagingCollection, sourcePath: submission.sourcePath,
            destinationPath: submission.isFolder ? record.globusPath : record.globusPath + lastSegment(submission.sourcePath),
            recursive: submission.isFolder, label: record.label.map(globusLabel),
            syncLevel: submission.syncLevel.map(globusSyncLevel), verifyChecksum: submission.verifyChecksum,
            deadline: submission.deadline)
    }

    /// Globus's number for a sync level (globus-sdk `_sync_level_dict`).
    static func globusSyncLevel(_ level: TransferSubmission.SyncLevel) -> Int {
        switch level {
        case .exists: return 0
        case .size: return 1
        case .mtime: return 2
        case .checksum: return 3
        }
    }

    /// A file's name: what follows the last `/`.
    private static func lastSegment(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }

    /// Globus allows labels of 128 characters of letters, digits, spaces and `-_,`; copypt's
    /// may hold more, so others become `_` and the label is cut.
    static func globusLabel(_ label: String) -> String {
        let kept = label.map { character -> Character in
            character.isLetter || character.isNumber || " -_,".contains(character) ? character : "_"
        }
        return String(String(kept).prefix(128))
    }
}
