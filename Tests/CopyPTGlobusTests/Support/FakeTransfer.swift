import CopyPTHTTP
import Foundation

/// Answers `task_list` and `task/{id}` the way Globus Transfer does, from an in-memory task
/// table, for unit tests that count requests. Every task belongs to the caller.
final class FakeTransfer: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [(id: String, status: String)]

    init(_ statuses: [(id: String, status: String)]) { self.statuses = statuses }

    static func ids(_ count: Int, prefix: String = "") -> [String] {
        (0..<count).map { _ in prefix + UUID().uuidString.lowercased() }
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.components
        let query = Self.query(parts.query)
        let table = lock.withLock { statuses }
        if parts.path.hasSuffix("/v0.10/task_list") {
            var rows = table
            for clause in (query["filter"] ?? "").split(separator: "/") {
                let kv = clause.split(separator: ":", maxSplits: 1).map(String.init)
                let values = Set(kv[1].split(separator: ",").map(String.init))
                rows = rows.filter { kv[0] == "status" ? values.contains($0.status) : values.contains($0.id) }
            }
            let limit = Int(query["limit"] ?? "10") ?? 10
            let offset = Int(query["offset"] ?? "0") ?? 0
            // Globus Transfer refuses offset paging past 1,000 results (globus-sdk's max_total_results).
            if offset + limit > 1000 {
                return jsonResponse(["code": "ClientError.BadRequest", "message": "offset + limit must be at most 1000",
                                     "request_id": "fake2"], status: 400)
            }
            let page = rows.dropFirst(offset).prefix(limit).map { ["DATA_TYPE": "task", "task_id": $0.id, "status": $0.status] }
            return jsonResponse(["DATA_TYPE": "task_list", "offset": offset, "limit": limit, "total": rows.count,
                                 "length": page.count, "DATA": Array(page)])
        }
        if let range = parts.path.range(of: "/v0.10/task/") {
            let id = String(parts.path[range.upperBound...])
            if let row = table.first(where: { $0.id == id }) {
                return jsonResponse(["DATA_TYPE": "task", "task_id": row.id, "status": row.status])
            }
            return jsonResponse(["code": "TaskNotFound", "message": "Task \(id) not found", "request_id": "fake1"], status: 404)
        }
        return jsonResponse(["code": "ClientError.NotFound", "message": "no route"], status: 404)
    }

    static func query(_ text: String) -> [String: String] {
        var out = [String: String]()
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            out[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        return out
    }
}
