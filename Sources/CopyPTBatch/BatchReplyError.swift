/// A value in an S3 Control answer or a completion report that copypt refuses to read, e.g. a
/// task count that is not a number.
public struct BatchReplyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, one line.
    public var detail: String

    /// An error.
    public init(detail: String) { self.detail = detail }

    /// The detail, with what to check next.
    public var description: String { "\(detail); check that the S3 Control endpoint (AWS_ENDPOINT_URL_S3_CONTROL) is S3 Control" }
}
