/// The continuation tokens or markers one paged listing has been handed, so that a listing
/// which hands one back again (and would page forever) stops with an error instead.
struct S3PageTokens: Sendable {
    /// Names the listing in the error, e.g. `ListObjectsV2 s3://staging/run42/`.
    let operation: String
    private var seen: Set<String> = []

    init(operation: String) {
        self.operation = operation
    }

    /// Records `token`.
    /// - Throws: ``S3Error/invalidResponse(operation:detail:)`` when `token` came before.
    mutating func check(_ token: String) throws(S3Error) {
        guard seen.insert(token).inserted else {
            throw .invalidResponse(
                operation: operation,
                detail: "it handed back the page marker \"\(token.prefix(80))\" a second time, so the listing would never end")
        }
    }
}
