@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct GlobusSuccessfulTransfersTests {
    static func collect(_ sequence: GlobusSuccessfulTransfers) async throws -> [SuccessfulTransfer] {
        var items = [SuccessfulTransfer]()
        for try await item in sequence { items.append(item) }
        return items
    }

    /// A stub answering with the documented first and last successful_transfers pages.
    static func twoPages() throws -> StubTransport {
        StubTransport(responses: [
            try Fixtures.response("globus-successful-transfers-first"),
            try Fixtures.response("globus-successful-transfers-last"),
        ])
    }

    @Test("pages are followed by next_marker until it is null")
    func pages() async throws {
        let stub = try Self.twoPages()
        let client = GlobusTransferClientTests.client(stub)
        let items = try await Self.collect(client.successfulTransfers(taskID: "7b1e4a58-0d2c-11f1-9a3b-0242ac120002"))
        #expect(items.map(\.destinationPath) == [
            "/lab-staging/run42/raw/detector-a.dat", "/lab-staging/run42/README.txt", "/lab-staging/run42/results/summary ü.csv",
        ])
        #expect(stub.requests.map(\.url) == [
            "http://transfer.test/v0.10/task/7b1e4a58-0d2c-11f1-9a3b-0242ac120002/successful_transfers",
            "http://transfer.test/v0.10/task/7b1e4a58-0d2c-11f1-9a3b-0242ac120002/successful_transfers?marker=93979",
        ])
    }

    @Test("pages are fetched only as items are consumed")
    func lazy() async throws {
        let stub = try Self.twoPages()
        var iterator = GlobusTransferClientTests.client(stub).successfulTransfers(taskID: "t").makeAsyncIterator()
        #expect(stub.requests.isEmpty)
        _ = try await iterator.next()
        _ = try await iterator.next()
        #expect(stub.requests.count == 1)
        _ = try await iterator.next()
        #expect(stub.requests.count == 2)
        #expect(try await iterator.next() == nil)
        #expect(stub.requests.count == 2)
    }

    @Test("nextPage hands out the rest of the current page, then each next page, then nil")
    func wholePages() async throws {
        let stub = try Self.twoPages()
        var iterator = GlobusTransferClientTests.client(stub).successfulTransfers(taskID: "t").makeAsyncIterator()
        #expect(try await iterator.next()?.destinationPath == "/lab-staging/run42/raw/detector-a.dat")
        #expect(try await iterator.nextPage()?.map(\.destinationPath) == ["/lab-staging/run42/README.txt"])
        #expect(stub.requests.count == 1)
        #expect(try await iterator.nextPage()?.map(\.destinationPath) == ["/lab-staging/run42/results/summary ü.csv"])
        #expect(try await iterator.nextPage() == nil)
        #expect(stub.requests.count == 2)
    }

    @Test("a task whose history_deleted is set fails before any request")
    func historyDeletedFlag() async throws {
        let stub = StubTransport()
        let task = try JSONDecoder().decode(GlobusTask.self, from: Data(try Fixtures.data("globus-task-history-deleted")))
        let client = GlobusTransferClientTests.client(stub)
        await #expect(throws: GlobusError.self) { try await Self.collect(client.successfulTransfers(of: task)) }
        #expect(stub.requests.isEmpty)
    }

    @Test("a refused list (409, 410, 404 other than TaskNotFound) of a task whose document says history_deleted means history gone", arguments: [
        (409, "TaskNotComplete"), (410, "TaskHistoryDeleted"), (404, "ClientError.NotFound"),
    ])
    func unavailable(_ status: Int, _ code: String) async throws {
        let stub = StubTransport(responses: [
            jsonResponse(["code": code, "message": "m", "request_id": "r"], status: status),
            try Fixtures.response("globus-task-history-deleted"),
        ])
        let client = GlobusTransferClientTests.client(stub)
        await #expect(throws: GlobusError.historyUnavailable(
            taskID: "t", detail: "Globus answered \(status) \(code): m, and the task document says history_deleted")) {
            try await Self.collect(client.successfulTransfers(taskID: "t"))
        }
        #expect(stub.requests.last?.url.hasSuffix("/v0.10/task/t") == true)
    }

    @Test("a plain 404 NotFound on successful_transfers of a SUCCEEDED task with its history kept is transient, not history gone")
    func notFoundWhileSucceeded() async throws {
        let stub = StubTransport(responses: [
            jsonResponse(["code": "NotFound", "message": "Not Found", "request_id": "r"], status: 404),
            try Fixtures.response("globus-task-succeeded"),
        ])
        let client = GlobusTransferClientTests.client(stub)
        do {
            _ = try await Self.collect(client.successfulTransfers(taskID: "t"))
            Issue.record("expected an error")
        } catch let error as GlobusError {
            guard case .deliveredListUnavailable(let taskID, let detail) = error else {
                Issue.record("expected deliveredListUnavailable, got \(error)")
                return
            }
            #expect(taskID == "t" && detail.contains("404 NotFound") && detail.contains("SUCCEEDED"))
            #expect(error.isRetryable)
            #expect(error.description.contains("the next run asks again"))
        }
        #expect(stub.requests.count == 2)
    }

    @Test("a JSON-bodied 500 is retried within the run, and when it persists the error is transient")
    func serverError() async throws {
        let failing = try Fixtures.response("globus-error-internal", status: 500)
        let stub = StubTransport(responses: [failing, try Fixtures.response("globus-successful-transfers-last")])
        let items = try await Self.collect(GlobusTransferClientTests.client(stub).successfulTransfers(taskID: "t"))
        #expect(items.count == 1 && stub.requests.count == 2)
        let always = StubTransport(handler: { _ in failing })
        do {
            _ = try await Self.collect(GlobusTransferClientTests.client(always).successfulTransfers(taskID: "t"))
            Issue.record("expected an error")
        } catch let error as GlobusError {
            #expect(error.isRetryable)
            #expect(always.requests.count == GlobusTransferClientTests.configuration.maxAttempts)
        }
    }

    @Test("a next_marker already followed is an error, not a loop", arguments: [["0", "5", "5"], ["0", "5", "0"], ["3", "3"]])
    func repeatedMarker(_ markers: [String]) async throws {
        // Page i starts at markers[i] and points on to markers[i + 1]; the last one repeats.
        var pages: [HTTPResponse] = []
        for index in 0..<(markers.count - 1) {
            pages.append(jsonResponse(["DATA_TYPE": "successful_transfers", "marker": markers[index], "next_marker": markers[index + 1],
                                       "DATA": [["DATA_TYPE": "successful_transfer", "source_path": "/s/\(index)", "destination_path": "/d/\(index)"]]]))
        }
        let stub = StubTransport(responses: pages + pages + pages)
        do {
            _ = try await Self.collect(GlobusTransferClientTests.client(stub).successfulTransfers(taskID: "t"))
            Issue.record("expected an error")
        } catch let error as GlobusError {
            guard case .repeatedPage = error else {
                Issue.record("expected repeatedPage, got \(error)")
                return
            }
            #expect(error.isRetryable)
        }
        #expect(stub.requests.count <= markers.count)
    }

    @Test("404 TaskNotFound stays a task-not-found error")
    func notFound() async throws {
        let stub = StubTransport(responses: [try Fixtures.response("globus-error-task-not-found", status: 404)])
        let client = GlobusTransferClientTests.client(stub)
        await #expect(throws: GlobusError.taskNotFound(taskID: "t", identity: client.tokens.identity, requestID: "Xa1Bc2De3")) {
            try await Self.collect(client.successfulTransfers(taskID: "t"))
        }
    }

    @Test("an empty list for a task that transferred files is transient unless the task document says history_deleted")
    func emptyButExpected() async throws {
        let emptyPage = jsonResponse(["DATA_TYPE": "successful_transfers", "marker": 0, "next_marker": NSNull(), "DATA": []])
        let stub = StubTransport(responses: [emptyPage])
        let task = GlobusTask(taskID: "t", status: .succeeded, files: 3, filesTransferred: 3)
        await #expect(throws: GlobusError.deliveredListUnavailable(
            taskID: "t", detail: "Globus lists no successful transfers although the task transferred 3 files")) {
            try await Self.collect(GlobusTransferClientTests.client(stub).successfulTransfers(of: task))
        }
        #expect(stub.requests.count == 1)
        // By id only, the task document is asked for once the list comes back empty.
        let deleted = StubTransport(responses: [emptyPage, try Fixtures.response("globus-task-history-deleted")])
        do {
            _ = try await Self.collect(GlobusTransferClientTests.client(deleted).successfulTransfers(taskID: "t"))
            Issue.record("expected an error")
        } catch let error as GlobusError {
            guard case .historyUnavailable = error else {
                Issue.record("expected historyUnavailable, got \(error)")
                return
            }
        }
        let kept = StubTransport(responses: [emptyPage, try Fixtures.response("globus-task-succeeded")])
        await #expect(throws: GlobusError.self) {
            try await Self.collect(GlobusTransferClientTests.client(kept).successfulTransfers(taskID: "t"))
        }
        let none = StubTransport(responses: [jsonResponse(["DATA_TYPE": "successful_transfers", "marker": 0, "next_marker": NSNull(), "DATA": []])])
        let empty = GlobusTask(taskID: "t", status: .succeeded, files: 0, filesTransferred: 0)
        #expect(try await Self.collect(GlobusTransferClientTests.client(none).successfulTransfers(of: empty)).isEmpty)
    }
}
