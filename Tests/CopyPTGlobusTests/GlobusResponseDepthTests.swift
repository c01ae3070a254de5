@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

/// Globus JSON nested past the reader's depth limit is refused, on the pull-reader path
/// (successful_transfers pages) and on the JSONDecoder path (tasks) alike.
@Suite struct GlobusResponseDepthTests {
    static func json(_ text: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array(text.utf8))
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    static func isTooDeep(_ error: any Error) -> Bool {
        guard case .unparseableResponse(_, 200, let detail)? = error as? GlobusError else { return false }
        return detail.contains("deeper than 64 levels")
    }

    @Test("a successful_transfers page holding 20,000 nested arrays is refused, not read or handed on")
    func deepPage() async throws {
        let page = #"{"DATA_TYPE": "successful_transfers", "x": \#(Self.nested(20_000)), "DATA": [], "next_marker": null}"#
        let client = GlobusTransferClientTests.client(StubTransport(responses: [Self.json(page)]))
        await #expect { _ = try await GlobusSuccessfulTransfersTests.collect(client.successfulTransfers(taskID: "t")) } throws: {
            Self.isTooDeep($0)
        }
    }

    @Test("a task document nested 100 deep is refused before JSONDecoder (whose own limit is 512)")
    func deepTask() async throws {
        let task = #"{"DATA_TYPE": "task", "task_id": "t", "status": "ACTIVE", "x": \#(Self.nested(100))}"#
        let client = GlobusTransferClientTests.client(StubTransport(responses: [Self.json(task)]))
        await #expect { _ = try await client.task(id: "t") } throws: { Self.isTooDeep($0) }
    }
}
