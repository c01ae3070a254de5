import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

/// Connection reuse at every width (issue 16, item 1): a transport running W requests at once
/// keeps about W connections open and reuses them, rather than opening one per request once
/// W passes libcurl's connection cache.
///
/// Deterministic: it counts the connections the loopback server accepted, not time.
@Suite struct CurlConnectionReuseTests {
    let server: ServerProcess

    init() async throws {
        server = try await ServerProcess.launch(executable: ProjectPaths.script("http-test-server").path, arguments: ["{port}"])
    }

    /// The server's counters since it started (its readiness probe is one connection).
    func stats(_ transport: CurlTransport) async throws -> (connections: Int, requests: Int, maxInFlight: Int) {
        let response = try await transport.send(HTTPRequest(method: .get, url: "\(server.baseURL)/stats"))
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return (doc["connections"] as? Int ?? -1, doc["requests"] as? Int ?? -1, doc["maxInFlight"] as? Int ?? -1)
    }

    @Test("at width W, four rounds of W requests open at most 1.1 × W + 1 connections, W being the peak in flight (the idle-cache setting left at its default)",
          arguments: [16, 64, 256])
    func reuseAtWidth(width: Int) async throws {
        let transport = try CurlTransport(configuration: .init(maxConcurrentRequests: width))
        let before = try await stats(transport)
        let total = width * 4
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<total {
                group.addTask {
                    try await transport.send(HTTPRequest(method: .get, url: "\(server.baseURL)/slow?ms=200")).status
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        let after = try await stats(transport)
        #expect(after.requests - before.requests == total + 1)
        let opened = after.connections - before.connections
        let peak = after.maxInFlight
        #expect(peak <= width)
        // The client's peak in flight is the width (four requests wait for each slot); the
        // server's own count can fall short of it on a loaded machine, where the threaded
        // Python server lags accepting, so the bound is the client's.
        #expect(Double(opened) <= 1.1 * Double(width) + 1, "opened \(opened) connections for \(total) requests at width \(width) (server peak \(peak))")
    }
}
