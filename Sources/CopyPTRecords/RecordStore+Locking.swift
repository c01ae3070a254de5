import Foundation

extension RecordStore {
    /// Runs `body` on a record while holding its lock (`<id>.lock`, `flock`, non-blocking).
    ///
    /// The record is loaded after the lock is taken, so `body` sees the latest version. If
    /// `body` returns normally and changed the record, the change is saved (atomically) before
    /// the lock is released; `body` may also call `save(_:)` itself to checkpoint progress.
    /// If `body` throws, nothing more is saved.
    /// - Returns: `.acquired(body's value)`, or `.busy` when another process (or another call in
    ///   this one) holds the record — never waits.
    /// - Throws: `RecordError.invalidID`, `.notFound`, `.corrupt`, `.unsupportedVersion`,
    ///   `.lockFailed`, `.io`, and whatever `body` throws.
    public func withLock<T>(_ id: String, _ body: (inout TransferRecord) throws -> T) throws -> LockResult<T> {
        let lock = try recordLock(id)
        return try lock.withLock {
            let original = try load(id)
            var record = original
            let value = try body(&record)
            if record != original { try save(record) }
            return value
        }
    }

    /// Async variant of `withLock(_:_:)`, for work that suspends (network calls) under the lock.
    public func withLock<T>(_ id: String, _ body: (inout TransferRecord) async throws -> T) async throws -> LockResult<T> {
        let lock = try recordLock(id)
        return try await lock.withLock {
            let original = try load(id)
            var record = original
            let value = try await body(&record)
            if record != original { try save(record) }
            return value
        }
    }

    /// Who holds the record's lock and since when, if another process (or another call in this
    /// one) holds it now; `nil` when it is free or the holder left no owner line (see `FileLock`).
    public func lockOwner(_ id: String) -> LockOwner? {
        guard RecordID.isValid(id) else { return nil }
        return FileLock.owner(ofLockAt: lockURL(for: id).path)
    }

    /// The lock for an existing record (checked first, so no stray lock file is left for an
    /// unknown id).
    private func recordLock(_ id: String) throws -> FileLock {
        guard RecordID.isValid(id) else { throw RecordError.invalidID(id) }
        let path = recordURL(for: id).path
        guard FileManager.default.fileExists(atPath: path) else { throw RecordError.notFound(id: id, path: path) }
        return FileLock(path: lockURL(for: id).path, now: now)
    }
}
