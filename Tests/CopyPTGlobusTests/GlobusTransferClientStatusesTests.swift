@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

/// `statuses(for:)`, `unfinishedTasks()` and `tasks(ids:)`: request counts and URL sizes.
@Suite struct GlobusTransferClientStatusesTests {
    static func client(_ fake: FakeTransfer) -> (GlobusTransferClient, StubTransport) {
        let stub = StubTransport(handler: { fake.handle($0) })
        return (GlobusTransferClientTests.client(stub), stub)
    }

    @Test("2,500 unfinished tasks: one page of 1,000, the other 1,500 by id, no offset past 1,000 and no URL over 8 KB")
    func unfinished2500() async throws {
        let ids = FakeTransfer.ids(2500)
        let fake = FakeTransfer(ids.enumerated().map { ($1, $0 % 7 == 0 ? "INACTIVE" : "ACTIVE") })
        let (client, stub) = Self.client(fake)
        let results = try await client.statuses(for: ids)
        #expect(results.count == 2500)
        #expect(results.values.allSatisfy { $0.task?.status.isUnfinished == true })
        #expect(stub.requests.allSatisfy { $0.url.utf8.count < 8192 })
        let first = FakeTransfer.query(stub.requests[0].components.query)
        #expect(first["filter"] == "status:ACTIVE,INACTIVE" && first["limit"] == "1000" && first["offset"] == "0")
        #expect(first["fields"]?.contains("nice_status") == true)
        let later = stub.requests.dropFirst().map { FakeTransfer.query($0.components.query) }
        #expect(later.allSatisfy { $0["offset"] == nil && $0["filter"]?.hasPrefix("task_id:") == true })
        // 1,500 ids at about 200 per by-id request.
        #expect(stub.requests.count == 1 + 8)
    }

    @Test("offset paging stops at 1,000 results as globus-sdk's does, the last page's limit shortened", arguments: [300, 1000])
    func offsetCap(_ pageLimit: Int) async throws {
        let fake = FakeTransfer(FakeTransfer.ids(2500).map { ($0, "ACTIVE") })
        let stub = StubTransport(handler: { fake.handle($0) })
        var configuration = GlobusTransferClientTests.configuration
        configuration.pageLimit = pageLimit
        let tasks = try await GlobusTransferClientTests.client(stub, configuration: configuration).unfinishedTasks()
        #expect(tasks.count == 1000)
        let asked = stub.requests.map { FakeTransfer.query($0.components.query) }
        #expect(asked.allSatisfy { (Int($0["offset"] ?? "") ?? 0) + (Int($0["limit"] ?? "") ?? 0) <= 1000 })
        #expect(stub.requests.count == (1000 + pageLimit - 1) / pageLimit)
    }

    @Test("a task_list page that starts at another offset than asked, or repeats tasks already listed, is an error, not a loop")
    func repeatedOffsetPage() async throws {
        let fake = FakeTransfer(FakeTransfer.ids(900).map { ($0, "ACTIVE") })
        let sameTasks = (0..<100).map { ["DATA_TYPE": "task", "task_id": "t\($0)", "status": "ACTIVE"] }
        let answers: [@Sendable (HTTPRequest) -> HTTPResponse] = [
            { request in  // the service ignores offset=200 and answers the first page again
                var request = request
                request.url = request.url.replacingOccurrences(of: "offset=200", with: "offset=0")
                return fake.handle(request)
            },
            { _ in jsonResponse(["DATA_TYPE": "task_list", "limit": 100, "total": 900, "DATA": sameTasks]) },  // no offset echoed
        ]
        var configuration = GlobusTransferClientTests.configuration
        configuration.pageLimit = 100
        for (index, answer) in answers.enumerated() {
            let stub = StubTransport(handler: answer)
            do {
                _ = try await GlobusTransferClientTests.client(stub, configuration: configuration).unfinishedTasks()
                Issue.record("expected an error")
            } catch let error as GlobusError {
                guard case .repeatedPage = error else {
                    Issue.record("expected repeatedPage, got \(error)")
                    continue
                }
                #expect(error.isRetryable)
            }
            #expect(stub.requests.count == (index == 0 ? 3 : 2))
        }
    }

    @Test("finished tasks are asked by id, and only the invisible ones one by one")
    func mixed() async throws {
        let unfinished = FakeTransfer.ids(250)
        let finished = FakeTransfer.ids(40)
        let missing = FakeTransfer.ids(3)
        let fake = FakeTransfer(unfinished.map { ($0, "ACTIVE") } + finished.enumerated().map { ($1, $0 % 2 == 0 ? "SUCCEEDED" : "FAILED") }
                                + FakeTransfer.ids(500).map { ($0, "ACTIVE") })
        let (client, stub) = Self.client(fake)
        let results = try await client.statuses(for: unfinished + finished + missing + unfinished.prefix(5))
        #expect(results.count == 293)
        #expect(results[finished[0]]?.task?.status == .succeeded)
        #expect(results[finished[1]]?.task?.status == .failed)
        guard case .notFound(let error) = results[missing[0]] else {
            Issue.record("expected notFound")
            return
        }
        #expect(error == .taskNotFound(taskID: missing[0], identity: client.tokens.identity, requestID: "fake1"))
        // 1 page of unfinished (750 < 1000), 1 by-id request for 43 ids, 3 task/{id}.
        #expect(stub.requests.count == 5)
        let byID = FakeTransfer.query(stub.requests[1].components.query)["filter"] ?? ""
        #expect(byID.hasPrefix("task_id:") && byID.split(separator: ",").count == 43)
    }

    @Test("ids that fit in one by-id request skip the unfinished listing")
    func few() async throws {
        let ids = FakeTransfer.ids(5)
        let (client, stub) = Self.client(FakeTransfer(ids.map { ($0, "SUCCEEDED") } + FakeTransfer.ids(5000).map { ($0, "ACTIVE") }))
        let results = try await client.statuses(for: ids)
        #expect(results.count == 5)
        #expect(stub.requests.count == 1)
        #expect(try await client.statuses(for: []).isEmpty)
        #expect(stub.requests.count == 1)
    }

    @Test("10,000 waiting tasks cost 1 page plus by-id requests for the rest, none past offset 1,000")
    func tenThousand() async throws {
        let ids = FakeTransfer.ids(10_000)
        let fake = FakeTransfer(ids.enumerated().map { ($1, $0 % 100 == 0 ? "SUCCEEDED" : "ACTIVE") })
        let (client, stub) = Self.client(fake)
        let results = try await client.statuses(for: ids)
        #expect(results.count == 10_000)
        #expect(stub.requests.allSatisfy { $0.url.utf8.count < 8192 })
        #expect(stub.requests.dropFirst().allSatisfy { FakeTransfer.query($0.components.query)["offset"] == nil })
        // 1,000 listed; 9,000 by id at a little over 200 a request.
        #expect((40...46).contains(stub.requests.count))
    }

    /// Answers like `fake` after an asynchronous pause (no thread held), counting requests in flight.
    final class GaugedTransport: HTTPTransport, @unchecked Sendable {
        let fake: FakeTransfer
        let lock = NSLock()
        var inFlight = 0
        var most = 0
        var count = 0
        init(_ fake: FakeTransfer) { self.fake = fake }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            lock.withLock {
                inFlight += 1
                count += 1
                most = max(most, inFlight)
            }
            try await Task.sleep(for: .milliseconds(30))  // long enough for the others to start
            lock.withLock { inFlight -= 1 }
            return fake.handle(request)
        }
    }

    @Test("by-id lookups past the first 1,000 run a few at once, never more than byIDConcurrency")
    func byIDConcurrency() async throws {
        let ids = FakeTransfer.ids(2000)
        let transport = GaugedTransport(FakeTransfer(ids.map { ($0, "SUCCEEDED") }))
        let configuration = GlobusTransferClientTests.configuration
        let auth = GlobusAuthClient(configuration: configuration, transport: transport, logger: LogCapture().logger())
        let tokens = GlobusTokenProvider(source: .fixed(accessToken: "fixed-token"), auth: auth, logger: LogCapture().logger())
        let client = GlobusTransferClient(configuration: configuration, transport: transport, tokens: tokens, logger: LogCapture().logger())
        let tasks = try await client.tasks(ids: ids)
        #expect(tasks.map(\.taskID) == ids)  // the order of the ids, whatever order the answers came in
        #expect(transport.count >= 10)
        #expect(transport.most == GlobusTransferClient.byIDConcurrency, "at most \(transport.most) at once")
    }

    @Test("listing stops early when reading on would cost more than asking by id")
    func stopsEarly() async throws {
        let ids = FakeTransfer.ids(300)
        let others = FakeTransfer.ids(20_000).map { ($0, "ACTIVE") }
        let (client, stub) = Self.client(FakeTransfer(others + ids.map { ($0, "ACTIVE") }))
        let results = try await client.statuses(for: ids)
        #expect(results.count == 300)
        // One page shows 19,000 unread (19 pages) against 2 by-id requests for 300 ids.
        #expect(stub.requests.count == 3)
    }

    @Test("by-id lookups are split so every URL stays under the configured limit", arguments: [1, 199, 200, 1000, 2001])
    func chunking(_ count: Int) async throws {
        let ids = FakeTransfer.ids(count)
        let (client, stub) = Self.client(FakeTransfer(ids.map { ($0, "SUCCEEDED") }))
        let tasks = try await client.tasks(ids: ids)
        #expect(tasks.count == count)
        #expect(stub.requests.allSatisfy { $0.url.utf8.count <= 8000 })
        let perRequest = stub.requests.map { (FakeTransfer.query($0.components.query)["filter"] ?? "").split(separator: ",").count }
        #expect(perRequest.reduce(0, +) == count)
        #expect(stub.requests.count == (count + perRequest[0] - 1) / perRequest[0])
        #expect(perRequest[0] >= min(count, 200))
    }

    @Test("a 400 on task_list is an error of its own, not taken as the end of the listing")
    func badRequestIsAnError() async throws {
        let ids = FakeTransfer.ids(1500)
        let stub = StubTransport(handler: { _ in try Fixtures.response("globus-error-bad-request", status: 400) })
        await #expect(throws: GlobusError.self) { try await GlobusTransferClientTests.client(stub).statuses(for: ids) }
        #expect(stub.requests.count == 1)
    }
}
