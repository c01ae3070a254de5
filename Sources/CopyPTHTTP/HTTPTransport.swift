/// The one seam between copypt's service clients and the network.
///
/// Clients for S3 and Globus depend on this protocol only, so they run unchanged against
/// real AWS and Globus (through ``CurlTransport``), the local servers in integration
/// tests, or a stub in unit tests.
public protocol HTTPTransport: Sendable {
    /// Sends one request and returns the whole response.
    ///
    /// A response with any status (4xx and 5xx included) is returned, not thrown.
    /// - Throws: ``HTTPError`` when no response arrived (connection, DNS, TLS, timeout),
    ///   or `CancellationError`.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse

    /// An executor that runs tasks on the thread that does this transport's I/O, for work that
    /// mostly waits on it (many small requests): `nil` (the default) for the global pool.
    ///
    /// Use it with `withTaskExecutorPreference(_:operation:)`; the transport stays usable for
    /// as long as a task prefers it.
    var taskExecutor: (any TaskExecutor)? { get }
}

extension HTTPTransport {
    /// No executor of its own: tasks run on the global pool.
    public var taskExecutor: (any TaskExecutor)? { nil }
}
