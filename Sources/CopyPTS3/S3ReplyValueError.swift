/// A value in an S3 answer that cannot be right (a negative `Size`, `PartNumber` 0), thrown by
/// the response readers; the client turns it into ``S3Error/invalidResponse(operation:detail:)``
/// for the operation that got the answer.
struct S3ReplyValueError: Error, Sendable, Equatable {
    /// What is wrong, e.g. `Size -1 of key run42/a.h5 is not a byte count`.
    let detail: String
}
