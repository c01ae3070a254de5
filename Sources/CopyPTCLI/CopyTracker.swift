import CopyPTS3
import Synchronization

/// What `copypt copy` must know when Ctrl-C stops it, kept from the copy engine's concurrent
/// event handlers: how many objects were verified, and which multipart uploads are still open.
final class CopyTracker: Sendable {
    private let state = Mutex<(verified: Int, uploads: [S3Location: String])>((0, [:]))

    /// Counts `event`.
    func record(_ event: CopyEvent) {
        switch event {
        case .multipartStarted(let item, let uploadID, _):
            state.withLock { $0.uploads[item.destination] = uploadID }
        case .verified(let item, _):
            state.withLock {
                $0.verified += 1
                $0.uploads[item.destination] = nil
            }
        case .failed(let item, let error) where !error.isRetryable:
            // The engine aborted the upload itself (it keeps it after transient trouble, to resume).
            state.withLock { $0.uploads[item.destination] = nil }
        case .failed:
            break
        case .copied, .partCopied:
            break
        }
    }

    /// Objects copied and verified so far.
    var verified: Int { state.withLock { $0.verified } }

    /// Multipart uploads started and neither completed nor aborted by the engine, by destination.
    var openUploads: [S3Location: String] { state.withLock { $0.uploads } }
}
