import Foundation

/// Where `copypt copy` writes: standard output (results, JSON) and standard error
/// (progress, failures). Tests pass closures that collect the text.
struct CopyOutput: Sendable {
    /// Writes to standard output.
    var out: @Sendable (String) -> Void
    /// Writes to standard error.
    var err: @Sendable (String) -> Void

    /// The process's standard output and error.
    static let standard = CopyOutput(
        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
        err: { FileHandle.standardError.write(Data($0.utf8)) })
}
