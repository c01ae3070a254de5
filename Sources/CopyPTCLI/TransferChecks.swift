import CopyPTGlobus
import CopyPTRecords
import Foundation
import Logging

/// What `copypt transfer` checks of the two Globus collections before it submits anything
/// (unless `--no-check`): each exists and the configured identity can see it (`GET
/// endpoint/{id}`), each is a collection rather than a bare GCSv5 endpoint, the staging one
/// stores into S3 when its document says so. The S3 side is `add`'s ``AddChecks``.
struct TransferChecks {
    let client: GlobusTransferClient
    let logger: Logger

    /// Every problem found with the submission `record` is about to make.
    func problems(_ record: TransferRecord) async -> [AddChecks.Problem] {
        guard let submission = record.submission else { return [] }
        async let source = collectionProblem(submission.sourceCollection, role: "source", option: "the source", record: record)
        async let staging = collectionProblem(submission.stagingCollection, role: "staging", option: "--staging-collection", record: record)
        return [await source, await staging].compactMap { $0 }
    }

    private func collectionProblem(
        _ id: String, role: String, option: String, record: TransferRecord
    ) async -> AddChecks.Problem? {
        let collection: GlobusCollection
        do {
            collection = try await client.collection(id: id)
        } catch let error as GlobusError {
            if error.isRetryable {
                return .init(description: "cannot check the \(role) collection \(id) now: \(error); try again, or pass --no-check", transient: true)
            }
            if case .service(_, let status, let code, _, _) = error, status == 404 || code.hasSuffix("NotFound") {
                return .init(description: "the \(role) collection \(id) does not exist for this Globus identity (endpoint/{id} \(status) \(code)); check \(option)", transient: false)
            }
            return .init(description: "cannot use the \(role) collection \(id): \(error) (or pass --no-check)", transient: false)
        } catch {
            return .init(description: "cannot check the \(role) collection \(id): \(error); or pass --no-check", transient: false)
        }
        logger.debug("checked the \(role) collection", metadata: ["id": "\(id)", "entity_type": "\(collection.entityType ?? "-")"])
        if collection.isEndpointOnly {
            return .init(description: "the \(role) collection \(id) (\(collection.name)) is a Globus Connect Server endpoint, not a collection; give the id of one of its collections in \(option)", transient: false)
        }
        guard role == "staging" else { return nil }
        if collection.storesInS3 == false {
            return .init(description: "the staging collection \(id) (\(collection.name)) does not store into S3, so the files would not reach s3://\(record.from.bucket)/; give the S3 collection on that bucket in --staging-collection", transient: false)
        }
        return nil
    }
}
