import Foundation

/// Caches another provider's credentials and refreshes them before they expire.
///
/// Credentials without an expiry are fetched once. Expiring ones are refreshed when they
/// are within ``refreshMargin`` of expiry (default 5 minutes); concurrent callers share one
/// refresh. If a refresh fails while the cached credentials are still valid, the cached
/// ones are returned and the next call tries again.
public actor CachingCredentialProvider: CredentialProvider {
    /// The wrapped source.
    public nonisolated let source: any CredentialProvider
    /// How long before expiry a refresh starts. Default 5 minutes.
    public nonisolated let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var refreshing: Task<AWSCredentials, any Error>?

    /// Creates a caching wrapper.
    /// - Parameters:
    ///   - source: the provider to cache.
    ///   - refreshMargin: how long before expiry to refresh, default 300 s.
    ///   - now: the clock, default the system clock.
    public init(
        wrapping source: any CredentialProvider,
        refreshMargin: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// Returns the cached credentials, refreshing them first when they are expiring.
    public func credentials() async throws -> AWSCredentials {
        let time = now()
        if let cached, !cached.isExpiring(at: time, within: refreshMargin) {
            return cached
        }
        let task: Task<AWSCredentials, any Error>
        if let refreshing {
            task = refreshing
        } else {
            let source = self.source
            task = Task { try await source.credentials() }
            refreshing = task
        }
        do {
            // A cancelled caller cancels the refresh (an unstructured task would run on).
            let fresh = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
            if refreshing == task { refreshing = nil }
            cached = fresh
            return fresh
        } catch {
            if refreshing == task { refreshing = nil }
            if let cached, !cached.isExpiring(at: now()) { return cached }
            throw error
        }
    }
}
