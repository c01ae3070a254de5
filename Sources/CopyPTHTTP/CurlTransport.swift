/// The real ``HTTPTransport``: libcurl's C API, driven by one dedicated thread.
///
/// One `curl_multi` handle is driven by a private thread (`curl_multi_socket_action`), so
/// Swift's cooperative pool (two threads on small machines) never blocks in
/// libcurl; each request's continuation is resumed from that thread. Easy handles
/// are pooled and reset between requests, and the multi handle's connection cache
/// keeps HTTP/1.1 connections alive across requests. At most
/// ``Configuration/maxConcurrentRequests`` transfers run at once; the rest queue.
///
/// libcurl honours the usual proxy variables (`https_proxy`, `no_proxy`, …) on its own; when
/// none names a proxy at start-up, requests go direct without libcurl looking them up again.
/// Copies of a `CurlTransport` share one engine; the engine's thread ends when the last
/// copy is gone.
public struct CurlTransport: HTTPTransport {
    /// Settings for a ``CurlTransport``.
    public struct Configuration: Sendable, Equatable {
        /// Transfers in flight at once; more wait in a queue. Default 64.
        public var maxConcurrentRequests: Int
        /// Idle connections kept for reuse, beyond the ``maxConcurrentRequests`` in use. Default 64.
        public var maxIdleConnections: Int
        /// Time allowed to open a connection (TCP and TLS). Default 10 s.
        public var connectTimeout: Duration
        /// A request is abandoned when it moves fewer than 1 byte/s for this long. Default 120 s.
        ///
        /// A low-speed limit (1 byte/s) rather than anything faster, because a 5 GiB CopyObject
        /// may legitimately take minutes while S3 sends only sparse keep-alive whitespace. A server
        /// trickling a byte a second passes it: ``requestTimeout`` is what ends that.
        public var stallTimeout: Duration
        /// The longest any request may take, start to end: the limit of a request that sets none
        /// (``HTTPRequest/timeout``) and the cap of one that does. Default 30 min, room for a
        /// 5 GiB CopyObject at under 3 MB/s; the CLI takes it from `COPYPT_HTTP_TIMEOUT`.
        public var requestTimeout: Duration
        /// The most body bytes a reply may carry when the request sets no cap of its own
        /// (``HTTPRequest/maxResponseBytes``). Default 64 MiB.
        public var maxResponseBytes: Int
        /// Verify TLS peers and host names. Default `true`; only tests should turn this off.
        public var verifyTLS: Bool
        /// A PEM bundle of trusted CAs (e.g. from `AWS_CA_BUNDLE`), else the system's. Default `nil`.
        public var caBundlePath: String?

        /// Connections libcurl's cache keeps open, in use or idle: every request in flight
        /// keeps its own, plus ``maxIdleConnections`` (other hosts, or a width that shrank).
        var connectionCacheSize: Int {
            maxConcurrentRequests > Int.max - maxIdleConnections ? Int.max : maxConcurrentRequests + maxIdleConnections
        }

        /// Creates a configuration; every argument has the default documented on its property.
        public init(
            maxConcurrentRequests: Int = 64,
            maxIdleConnections: Int = 64,
            connectTimeout: Duration = .seconds(10),
            stallTimeout: Duration = .seconds(120),
            requestTimeout: Duration = .seconds(1800),
            maxResponseBytes: Int = 64 << 20,
            verifyTLS: Bool = true,
            caBundlePath: String? = nil
        ) {
            self.maxConcurrentRequests = max(1, maxConcurrentRequests)
            self.maxIdleConnections = max(1, maxIdleConnections)
            self.connectTimeout = connectTimeout
            self.stallTimeout = stallTimeout
            self.requestTimeout = requestTimeout
            self.maxResponseBytes = max(0, maxResponseBytes)
            self.verifyTLS = verifyTLS
            self.caBundlePath = caBundlePath
        }
    }

    /// The settings this transport was made with.
    public let configuration: Configuration
    private let owner: EngineOwner

    /// Creates a transport and starts its engine thread.
    /// - Throws: ``HTTPError/transport(host:code:detail:)`` when libcurl cannot be initialised.
    public init(configuration: Configuration = .init()) throws {
        self.configuration = configuration
        self.owner = EngineOwner(engine: try CurlEngine(configuration: configuration))
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await owner.engine.send(request)
    }

    /// The engine thread, as an executor: a task that prefers it runs between libcurl's
    /// events, and resumes there from each response without a thread switch. Keep CPU-heavy
    /// or blocking work off it, since it stalls every transfer of this transport meanwhile.
    public var taskExecutor: (any TaskExecutor)? { owner }

    /// Transfers currently in flight or queued (for tests and diagnostics).
    public var pendingCount: Int { owner.engine.pendingCount }
}

/// Stops the engine when the last transport copy referencing it goes away, and is the
/// engine's face as a task executor, so that a task preferring it keeps the engine running.
private final class EngineOwner: TaskExecutor {
    let engine: CurlEngine
    init(engine: CurlEngine) { self.engine = engine }
    deinit { engine.shutdown() }

    func enqueue(_ job: consuming ExecutorJob) {
        engine.enqueue(UnownedJob(job), as: asUnownedTaskExecutor())
    }
}
