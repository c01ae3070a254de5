import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// Globus Transfer against scripts/globus-emulator over CurlTransport: batched statuses,
/// successful_transfers paging, faults and lost history, asserted through the request log.
@Suite struct GlobusTransferIntegrationTests {
    static let logger = Logger(label: "copypt.test.globus")

    struct Setup {
        let emulator: GlobusEmulator
        let identity: String
        let client: GlobusTransferClient
    }

    /// An emulator with a service account whose tasks the client sees.
    static func setup(pageSize: Int? = nil) async throws -> Setup {
        let emulator = try await GlobusEmulator.start(pageSize: pageSize)
        let identity = try await emulator.registerClient("svc", secret: "emulator-secret")
        var environment = emulator.environment
        environment["COPYPT_GLOBUS_CLIENT_ID"] = "svc"
        environment["COPYPT_GLOBUS_CLIENT_SECRET"] = "emulator-secret"
        let configuration = try GlobusConfiguration.fromEnvironment(environment)
        let tokens = try GlobusTokenProvider.make(configuration: configuration, transport: emulator.transport, logger: logger)
        let client = GlobusTransferClient(configuration: configuration, transport: emulator.transport, tokens: tokens, logger: logger)
        return Setup(emulator: emulator, identity: identity, client: client)
    }

    static func transferRequests(_ emulator: GlobusEmulator) async throws -> [GlobusEmulator.LoggedRequest] {
        try await emulator.requests().filter { $0.path.hasPrefix("/v0.10/") }
    }

    @Test("2,500 unfinished tasks: one page of 1,000 (offset paging stops there), the rest by id; no refusal, no URL over 8 KB")
    func unfinished2500() async throws {
        let s = try await Self.setup()
        let ids = try await s.emulator.createTasks(count: 2500, ownerID: s.identity)
        let started = ContinuousClock.now
        let results = try await s.client.statuses(for: ids)
        let elapsed = started.duration(to: .now)
        #expect(results.count == 2500)
        #expect(results.values.allSatisfy { $0.task?.status == .active })
        let log = try await Self.transferRequests(s.emulator)
        #expect(log.count == 1 + 8)
        #expect(log.filter { $0.query.contains("offset=") }.count == 1)
        #expect(log.allSatisfy { $0.urlLength < 8192 && $0.status == 200 })
        print("statuses(for: 2,500 unfinished): \(log.count) Transfer requests in \(elapsed)")
    }

    @Test("10,000 ACTIVE tasks cost 1 page and about 45 by-id requests; when 1 % finish, the same")
    func tenThousand() async throws {
        let s = try await Self.setup()
        let ids = try await s.emulator.createTasks(count: 10_000, ownerID: s.identity)
        var started = ContinuousClock.now
        var results = try await s.client.statuses(for: ids)
        print("statuses(for: 10,000 ACTIVE): \(started.duration(to: .now))")
        #expect(results.count == 10_000)
        let first = try await Self.transferRequests(s.emulator)
        #expect((40...46).contains(first.count) && first.allSatisfy { $0.status == 200 })
        for id in ids.enumerated().filter({ $0.offset % 100 == 0 }).map(\.element) {
            try await s.emulator.updateTask(id, status: "SUCCEEDED")
        }
        try await s.emulator.clearRequests()
        started = .now
        results = try await s.client.statuses(for: ids)
        print("statuses(for: 10,000, 100 finished): \(started.duration(to: .now))")
        #expect(results.values.filter { $0.task?.status == .succeeded }.count == 100)
        let log = try await Self.transferRequests(s.emulator)
        #expect(log.count == first.count)
        #expect(log.allSatisfy { $0.urlLength < 8192 && $0.status == 200 })
    }

    @Test("finished, failed and foreign tasks: by-id lookups, then task/{id} names the identity")
    func mixed() async throws {
        let s = try await Self.setup()
        let active = try await s.emulator.createTasks(count: 300, ownerID: s.identity)
        let done = try await s.emulator.createTask(ownerID: s.identity, status: "SUCCEEDED", label: "done")
        let failed = try await s.emulator.createTask(ownerID: s.identity, status: "ACTIVE")
        try await s.emulator.updateTask(failed, status: "FAILED", fatalError: (code: "EXPIRED", description: "deadline passed"))
        let inactive = try await s.emulator.createTask(ownerID: s.identity, status: "INACTIVE")
        let foreign = try await s.emulator.createTask(ownerID: UUID().uuidString, status: "SUCCEEDED")
        let results = try await s.client.statuses(for: active + [done, failed, inactive, foreign])
        #expect(results[done]?.task?.label == "done")
        #expect(results[failed]?.task?.fatalError == GlobusTask.FatalError(code: "EXPIRED", description: "deadline passed"))
        #expect(results[inactive]?.task?.niceStatus == "Credential expired")
        guard case .notFound(let error) = results[foreign] else {
            Issue.record("expected notFound for a task of another identity")
            return
        }
        #expect(error.description.contains("svc"))
        let log = try await Self.transferRequests(s.emulator)
        #expect(log.map(\.status) == [200, 200, 404])
        #expect(log[1].query.hasPrefix("filter=task_id:"))
    }

    @Test("successful_transfers follows next_marker across several pages")
    func pages() async throws {
        let s = try await Self.setup(pageSize: 3)
        let files = (0..<10).map { i in
            GlobusEmulator.File(sourcePath: "/src/run/f\(i).dat", destinationPath: "/staging/run/sub dir/f\(i) ü.dat",
                                size: i * 100, checksum: i % 2 == 0 ? "abc\(i)" : nil, checksumAlgorithm: i % 2 == 0 ? "MD5" : nil)
        }
        let taskID = try await s.emulator.createTask(ownerID: s.identity, status: "SUCCEEDED", files: files)
        let task = try await s.client.task(id: taskID)
        var items = [SuccessfulTransfer]()
        for try await item in s.client.successfulTransfers(of: task) { items.append(item) }
        #expect(items.map(\.destinationPath) == files.map(\.destinationPath))
        #expect(items[4].size == 400 && items[4].checksum == "abc4" && items[4].checksumAlgorithm == "MD5")
        #expect(items[5].checksum == nil)
        let log = try await Self.transferRequests(s.emulator).filter { $0.path.hasSuffix("/successful_transfers") }
        #expect(log.map(\.query) == ["", "marker=3", "marker=6", "marker=9"])
    }

    @Test("lost history is historyUnavailable; a refused list of a task whose history is kept is transient, not history gone")
    func historyUnavailable() async throws {
        let s = try await Self.setup()
        let old = try await s.emulator.createTask(ownerID: s.identity, status: "SUCCEEDED",
                                                  files: [GlobusEmulator.File(sourcePath: "/a", destinationPath: "/b")])
        try await s.emulator.updateTask(old, historyDeleted: true)
        let running = try await s.emulator.createTask(ownerID: s.identity, status: "ACTIVE")
        let done = try await s.emulator.createTask(ownerID: s.identity, status: "SUCCEEDED",
                                                   files: [GlobusEmulator.File(sourcePath: "/a", destinationPath: "/b")])
        try await s.emulator.queueReply(status: 404, code: "NotFound", message: "Not Found",
                                        pathPrefix: "/v0.10/task/\(done)/successful_transfers")
        for id in [old, running, done] {
            do {
                for try await _ in s.client.successfulTransfers(taskID: id) {}
                Issue.record("expected an error for \(id)")
            } catch let error as GlobusError {
                switch error {
                case .historyUnavailable(let taskID, _):
                    #expect(taskID == old && id == old)
                case .deliveredListUnavailable(let taskID, _):
                    #expect(taskID == id && id != old && error.isRetryable)
                default:
                    Issue.record("unexpected \(error)")
                }
            }
        }
        let task = try await s.client.task(id: old)
        #expect(task.historyDeleted)
        // Once Globus answers again, the delivered list is read as usual.
        var items = 0
        for try await _ in s.client.successfulTransfers(taskID: done) { items += 1 }
        #expect(items == 1)
    }

    @Test("429 with Retry-After and a 503 are retried; the request log shows the waits worked")
    func faults() async throws {
        let s = try await Self.setup()
        let taskID = try await s.emulator.createTask(ownerID: s.identity)
        try await s.emulator.queueFaults([(status: 429, retryAfter: 1), (status: 503, retryAfter: nil)])
        let started = ContinuousClock.now
        #expect(try await s.client.task(id: taskID).status == .active)
        #expect(started.duration(to: .now) >= .seconds(1))
        let log = try await Self.transferRequests(s.emulator)
        #expect(log.map(\.status) == [429, 503, 200])
    }
}
