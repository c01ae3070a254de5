@testable import CopyPTSweep
import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// The Globus adapter over the real ``GlobusTransferClient``, with HTTP answered by a stub.
@Suite struct GlobusTaskStatusSourceTests {
    static func source(_ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) -> (GlobusTaskStatusSource, StubTransport) {
        let transport = StubTransport(handler: handler)
        let configuration = GlobusConfiguration(transferURL: "https://transfer.test/", maxAttempts: 1)
        let logger = Logger(label: "test")
        let auth = GlobusAuthClient(configuration: configuration, transport: transport, logger: logger, sleep: { _ in })
        let tokens = GlobusTokenProvider(source: .fixed(accessToken: "stub-token"), auth: auth, logger: logger, sleep: { _ in })
        let client = GlobusTransferClient(configuration: configuration, transport: transport, tokens: tokens, logger: logger, sleep: { _ in })
        return (GlobusTaskStatusSource(client: client, pageSize: 2), transport)
    }

    static func json(_ status: Int, _ object: Any) -> HTTPResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(body))
    }

    static func task(_ id: String, _ status: String, nice: String? = nil, fatal: [String: String]? = nil) -> [String: Any] {
        var task: [String: Any] = ["DATA_TYPE": "task", "task_id": id, "status": status]
        if let nice { task["nice_status"] = nice }
        if let fatal { task["fatal_error"] = fatal }
        return task
    }

    @Test("statuses: one task_list call; a task Globus does not know is absent")
    func statuses() async throws {
        let (source, transport) = Self.source { request in
            if request.url.contains("task_list") {
                return Self.json(200, ["DATA_TYPE": "task_list", "length": 3, "limit": 1000, "offset": 0, "total": 3, "DATA": [
                    Self.task("t-active", "ACTIVE", nice: "Queued"),
                    Self.task("t-inactive", "INACTIVE", nice: "Credential expired"),
                    Self.task("t-failed", "FAILED", fatal: ["code": "PERMISSION_DENIED", "description": "no write access"]),
                ]])
            }
            return Self.json(404, ["code": "TaskNotFound", "message": "Task t-missing not found", "request_id": "r1"])
        }
        let statuses = try await source.statuses(for: ["t-active", "t-inactive", "t-failed", "t-missing"])
        #expect(statuses == [
            "t-active": TaskStatus(state: .active, niceStatus: "Queued"),
            "t-inactive": TaskStatus(state: .inactive, niceStatus: "Credential expired"),
            "t-failed": TaskStatus(state: .failed, fatalError: "PERMISSION_DENIED: no write access"),
        ])
        #expect(transport.requests.filter { $0.url.contains("task_list") }.count == 1)
        #expect(transport.requests.allSatisfy { $0.headers["Authorization"] == "Bearer stub-token" })
    }

    @Test("delivered paths stream in pages; a deleted history (by the task document) answers false")
    func deliveredPaths() async throws {
        let (source, _) = Self.source { request in
            if request.url.hasSuffix("/task/gone") {
                var task = Self.task("gone", "SUCCEEDED")
                task["history_deleted"] = true
                return Self.json(200, task)
            }
            if request.url.contains("/task/gone/") {
                return Self.json(410, ["code": "TaskHistoryDeleted", "message": "deleted", "request_id": "r2"])
            }
            let second = request.url.contains("marker=2")
            let data = (second ? ["c"] : ["a", "b"]).map {
                ["DATA_TYPE": "successful_transfer", "source_path": "/src/\($0)", "destination_path": "/staging/run/\($0)"]
            }
            return Self.json(200, ["DATA_TYPE": "successful_transfers", "marker": second ? 2 : 0, "next_marker": second ? NSNull() : 2, "DATA": data])
        }
        var pages: [[String]] = []
        #expect(try await source.deliveredPaths(taskID: "ok") { pages.append($0) })
        #expect(pages == [["/staging/run/a", "/staging/run/b"], ["/staging/run/c"]])
        #expect(try await source.deliveredPaths(taskID: "gone") { _ in Issue.record("no page expected") } == false)
    }

    @Test("a finished task seen by statuses(for:) lists its files from that document: no task/{id} request")
    func deliveredPathsFromListedDocument() async throws {
        let (source, transport) = Self.source { request in
            if request.url.contains("task_list") {
                var gone = Self.task("gone", "SUCCEEDED")
                gone["history_deleted"] = true
                var ok = Self.task("ok", "SUCCEEDED")
                ok["files_transferred"] = 1
                return Self.json(200, ["DATA_TYPE": "task_list", "length": 2, "limit": 1000, "offset": 0, "total": 2, "DATA": [gone, ok]])
            }
            if request.url.contains("/task/gone/") {
                return Self.json(410, ["code": "TaskHistoryDeleted", "message": "deleted", "request_id": "r2"])
            }
            if request.url.contains("/task/ok/") {
                let data = [["DATA_TYPE": "successful_transfer", "source_path": "/src/a", "destination_path": "/staging/run/a"]]
                return Self.json(200, ["DATA_TYPE": "successful_transfers", "marker": 0, "next_marker": NSNull(), "DATA": data])
            }
            return Self.json(200, Self.task("gone", "SUCCEEDED"))
        }
        _ = try await source.statuses(for: ["gone", "ok"])
        #expect(try await source.deliveredPaths(taskID: "gone") { _ in Issue.record("no page expected") } == false)
        var pages: [[String]] = []
        #expect(try await source.deliveredPaths(taskID: "ok") { pages.append($0) })
        #expect(pages == [["/staging/run/a"]])
        let urls = transport.requests.map(\.url)
        #expect(urls.filter { $0.hasSuffix("/task/gone") || $0.hasSuffix("/task/ok") }.isEmpty, "\(urls)")
        #expect(urls.count == 2, "\(urls)")  // the listing and ok's one page; gone's document already said history_deleted
    }

    @Test("the latest fault and the pause reason come from event_list and pause_info, one line each")
    func detail() async throws {
        let (source, transport) = Self.source { request in
            if request.url.contains("/event_list") {
                return Self.json(200, ["DATA_TYPE": "event_list", "limit": 1, "offset": 0, "total": 2, "DATA": [
                    ["DATA_TYPE": "event", "code": "PERMISSION_DENIED", "is_error": true, "description": "permission denied",
                     "details": "Error (transfer)\nEndpoint: lab\n550 denied", "time": "2026-12-05T10:00:00+00:00"],
                ]])
            }
            return Self.json(200, ["DATA_TYPE": "pause_info_limited", "source_pause_message": NSNull(),
                                   "destination_pause_message": "quota review", "pause_rules": [
                                       ["DATA_TYPE": "pause_rule_limited", "message": "maintenance", "endpoint_display_name": "lab DTN"],
                                   ]])
        }
        #expect(try await source.latestFault(taskID: "t1") == "PERMISSION_DENIED: permission denied (Error (transfer) Endpoint: lab 550 denied)")
        #expect(try await source.pauseReason(taskID: "t1") == "destination: quota review; lab DTN: maintenance")
        let event = try #require(transport.requests.first)
        #expect(event.url.contains("/task/t1/event_list?") && event.url.contains("filter=is_error%3A1") || event.url.contains("filter=is_error:1"))
    }

    @Test("a refused delivered list of a task whose history is kept, a 500 and a repeated marker are transient, never false")
    func refusedListIsTransient() async throws {
        let (source, _) = Self.source { request in
            if request.url.hasSuffix("/task/kept") { return Self.json(200, Self.task("kept", "SUCCEEDED")) }
            if request.url.contains("/task/kept/") { return Self.json(404, ["code": "NotFound", "message": "Not Found"]) }
            if request.url.contains("/task/busy/") { return Self.json(500, ["code": "InternalError", "message": "oops"]) }
            return Self.json(200, ["DATA_TYPE": "successful_transfers", "marker": 0, "next_marker": 0, "DATA": []])
        }
        for id in ["kept", "busy", "looping"] {
            do {
                _ = try await source.deliveredPaths(taskID: id) { _ in }
                Issue.record("expected an error for \(id)")
            } catch let error as SweepError {
                #expect(error.kind == .transient, "\(id): \(error)")
            }
        }
    }

    @Test("a FAILED task's multi-line fatal_error and nice_status reach the sweep as one short line")
    func multiLineFatalError() {
        let description = "Denied by endpoint, Error (list)\nEndpoint: Tutorial\nServer: 1.2.3.4:443\n---\n" + String(repeating: "Details ", count: 60)
        let task = GlobusTask(taskID: "t", status: .failed, niceStatus: "line one\nline two",
                              fatalError: .init(code: "PERMISSION_DENIED", description: description))
        let status = GlobusTaskStatusSource.status(of: task)
        let fatal = status.fatalError
        #expect(fatal?.hasPrefix("PERMISSION_DENIED: Denied by endpoint, Error (list) Endpoint: Tutorial Server: 1.2.3.4:443 --- Details") == true)
        #expect(fatal?.count == 200 && fatal?.hasSuffix("…") == true)
        #expect(status.niceStatus == "line one line two")
    }

    @Test("Globus errors map to transient, configuration or permanent sweep errors")
    func errorKinds() {
        let refused = GlobusError.transport(operation: "task_list", error: .connectFailed(host: "transfer.test", detail: "refused"))
        #expect(GlobusTaskStatusSource.sweepError(refused).kind == .transient)
        #expect(GlobusTaskStatusSource.sweepError(GlobusError.notLoggedIn(tokenFile: "/x")).kind == .configuration)
        #expect(GlobusTaskStatusSource.sweepError(GlobusError.service(operation: "t", status: 503, code: "ServiceUnavailable", message: "m", requestID: nil)).kind == .transient)
        #expect(GlobusTaskStatusSource.sweepError(GlobusError.service(operation: "t", status: 400, code: "ClientError.BadRequest", message: "m", requestID: nil)).kind == .permanent)
        #expect(GlobusTaskStatusSource.sweepError(GlobusError.service(operation: "t", status: 500, code: "InternalError", message: "m", requestID: nil)).kind == .transient)
        #expect(GlobusTaskStatusSource.sweepError(GlobusError.deliveredListUnavailable(taskID: "t", detail: "d")).kind == .transient)
        #expect(GlobusTaskStatusSource.sweepError(GlobusError.repeatedPage(operation: "o", detail: "d")).kind == .transient)
        #expect(GlobusTaskStatusSource.sweepError(GlobusError.noRefreshToken(clientID: "c")).kind == .configuration)
        #expect(GlobusTaskStatusSource.sweepError(GlobusError.taskNotFound(taskID: "t", identity: "me", requestID: nil)).code == "TaskNotFound")
    }
}
