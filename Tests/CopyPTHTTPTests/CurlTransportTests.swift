import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

/// CurlTransport against a real loopback HTTP/1.1 server (scripts/http-test-server).
@Suite struct CurlTransportTests {
    let server: ServerProcess
    let transport: CurlTransport

    init() async throws {
        server = try await ServerProcess.launch(executable: ProjectPaths.script("http-test-server").path, arguments: ["{port}"])
        transport = try CurlTransport(configuration: .init(maxConcurrentRequests: 16))
    }

    func url(_ path: String) -> String { "\(server.baseURL)\(path)" }

    func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// The server's counters; the readiness probe of ServerProcess counts as one connection,
    /// so tests compare counters before and after.
    func stats() async throws -> (connections: Int, requests: Int, maxInFlight: Int) {
        let doc = try json(try await transport.send(HTTPRequest(method: .get, url: url("/stats"))))
        return (doc["connections"] as? Int ?? -1, doc["requests"] as? Int ?? -1, doc["maxInFlight"] as? Int ?? -1)
    }

    @Test("sends method, raw path, query, headers and body exactly as given", arguments: [HTTPMethod.get, .post, .put, .delete])
    func echoesRequest(method: HTTPMethod) async throws {
        let body: [UInt8] = method == .get || method == .delete ? [] : Array("hello\u{0}world".utf8)
        let request = HTTPRequest(
            method: method,
            url: url("/echo?b=2&a=%20x"),
            headers: ["X-Amz-Date": "20150830T123600Z", "X-Custom": "v1"],
            body: body
        )
        let response = try await transport.send(request)
        #expect(response.status == 200)
        #expect(response.headers["x-echo"] == "yes")
        let doc = try json(response)
        #expect(doc["method"] as? String == method.rawValue)
        #expect(doc["rawPath"] as? String == "/echo?b=2&a=%20x")
        #expect(doc["bodyLength"] as? Int == body.count)
        let headers = (doc["headers"] as? [[String]] ?? []).map { ($0[0].lowercased(), $0[1]) }
        #expect(headers.contains { $0 == ("x-amz-date", "20150830T123600Z") })
        #expect(!headers.contains { $0.0 == "expect" || $0.0 == "accept" || $0.0 == "content-type" })
    }

    @Test("dot segments and doubled slashes in the path are sent as given, never collapsed (S3 signs the path as sent)",
          arguments: ["/echo/run42/../../../other/pwned.txt", "/echo/a/./b", "/echo/a//b/..", "/echo/%2E%2E/x"])
    func pathAsIs(path: String) async throws {
        let doc = try json(try await transport.send(HTTPRequest(method: .put, url: url(path))))
        #expect(doc["rawPath"] as? String == path)
    }

    @Test("PUT with an empty body sends Content-Length: 0, as S3 CopyObject needs")
    func emptyPut() async throws {
        let doc = try json(try await transport.send(HTTPRequest(method: .put, url: url("/echo"))))
        let headers = (doc["headers"] as? [[String]] ?? []).map { ($0[0].lowercased(), $0[1]) }
        #expect(headers.contains { $0 == ("content-length", "0") })
    }

    @Test("HEAD returns headers and no body")
    func head() async throws {
        let response = try await transport.send(HTTPRequest(method: .head, url: url("/echo")))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.headers["content-length"] != nil)
    }

    @Test("error statuses are returned, not thrown", arguments: [404, 500, 503])
    func statuses(code: Int) async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: url("/status/\(code)")))
        #expect(response.status == code)
        #expect(response.bodyText == "status \(code)")
    }

    @Test("keep-alive: sequential requests reuse one connection")
    func keepAlive() async throws {
        let before = try await stats()
        for _ in 0..<20 {
            _ = try await transport.send(HTTPRequest(method: .get, url: url("/echo")))
        }
        let after = try await stats()
        #expect(after.requests - before.requests == 21)
        #expect(after.connections == before.connections)
    }

    @Test("Connection: close is followed by a fresh connection")
    func connectionClose() async throws {
        let before = try await stats()
        for _ in 0..<3 {
            let response = try await transport.send(HTTPRequest(method: .get, url: url("/close")))
            #expect(response.bodyText == "closing")
        }
        let after = try await stats()
        // The first /close reuses the stats connection; each later request needs a new one.
        #expect(after.connections - before.connections == 3)
    }

    @Test("many requests run concurrently, bounded, and all complete")
    func concurrency() async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask { try await transport.send(HTTPRequest(method: .get, url: url("/slow?ms=300"))).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        // The server saw several requests at once, never more than the transport's bound of 16.
        let seen = try await stats().maxInFlight
        #expect(seen > 1 && seen <= 16)
        #expect(transport.pendingCount == 0)
    }

    @Test("a dropped connection is a retryable connectionLost error")
    func dropped() async throws {
        await #expect {
            _ = try await transport.send(HTTPRequest(method: .get, url: url("/drop")))
        } throws: { error in
            guard case .connectionLost = error as? HTTPError else { return false }
            return (error as? HTTPError)?.isRetryable == true
        }
    }

    @Test("a request over its time limit fails with timedOut")
    func timeout() async throws {
        await #expect {
            _ = try await transport.send(HTTPRequest(method: .get, url: url("/slow?ms=3000"), timeout: .milliseconds(300)))
        } throws: { error in
            if case .timedOut(_, let seconds) = error as? HTTPError { return seconds == 0.3 }
            return false
        }
    }

    @Test("a stalled body is abandoned after the stall timeout")
    func stall() async throws {
        let impatient = try CurlTransport(configuration: .init(stallTimeout: .seconds(1)))
        await #expect(throws: HTTPError.self) {
            _ = try await impatient.send(HTTPRequest(method: .get, url: url("/stall")))
        }
    }

    @Test("a body trickling faster than the stall limit is ended by the transport's whole-request limit, which caps a request's own longer one")
    func trickleEndedByTotalLimit() async throws {
        let capped = try CurlTransport(configuration: .init(requestTimeout: .seconds(1)))
        let clock = ContinuousClock()
        let started = clock.now
        await #expect {
            // 5 bytes/s for 200 s: never below the 1 byte/s stall limit; the request asks for 60 s.
            _ = try await capped.send(HTTPRequest(method: .get, url: url("/trickle?bytes=1000&ms=200"), timeout: .seconds(60)))
        } throws: { error in
            guard case .timedOut(_, let seconds) = error as? HTTPError else { return false }
            return seconds == 1 && (error as? HTTPError)?.isRetryable == true
        }
        #expect(clock.now - started < .seconds(100))
    }

    @Test("every transport has a whole-request limit by default")
    func defaultTotalLimit() {
        #expect(CurlTransport.Configuration().requestTimeout == .seconds(1800))
        #expect(CurlTransport.Configuration().maxResponseBytes == 64 << 20)
    }

    @Test("a reply longer than the request's cap fails with responseTooLarge, which is not retried; one at the cap passes")
    func bodyCap() async throws {
        await #expect {
            _ = try await transport.send(HTTPRequest(method: .get, url: url("/big?bytes=300000"), maxResponseBytes: 100_000))
        } throws: { error in
            guard case .responseTooLarge(_, let limit) = error as? HTTPError else { return false }
            return limit == 100_000 && (error as? HTTPError)?.isRetryable == false
                && "\(error)".contains("longer than 100000 bytes")
        }
        let exact = try await transport.send(HTTPRequest(method: .get, url: url("/big?bytes=100000"), maxResponseBytes: 100_000))
        #expect(exact.body.count == 100_000)
    }

    @Test("a request without a cap of its own gets the transport's")
    func transportBodyCap() async throws {
        let small = try CurlTransport(configuration: .init(maxResponseBytes: 1000))
        await #expect(throws: HTTPError.responseTooLarge(host: URLParts(url("/")).hostHeader, limit: 1000)) {
            _ = try await small.send(HTTPRequest(method: .get, url: url("/big?bytes=1001")))
        }
        #expect(try await small.send(HTTPRequest(method: .get, url: url("/big?bytes=1000"))).body.count == 1000)
    }

    @Test("nothing listening is connectFailed")
    func refused() async throws {
        let port = try ServerProcess.freePort()
        await #expect {
            _ = try await transport.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/"))
        } throws: { error in
            if case .connectFailed = error as? HTTPError { return true }
            return false
        }
    }

    @Test("a non-HTTP URL is rejected before sending")
    func invalidURL() async throws {
        await #expect(throws: HTTPError.invalidURL("ftp://example/")) {
            _ = try await transport.send(HTTPRequest(method: .get, url: "ftp://example/"))
        }
    }

    @Test("cancelling the task cancels the request promptly")
    func cancellation() async throws {
        let task = Task { try await transport.send(HTTPRequest(method: .get, url: url("/slow?ms=60000"))) }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        // Far sooner than the server's 60 s answer, even on a loaded machine.
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(transport.pendingCount == 0)
    }

    @Test("a large body arrives whole")
    func largeBody() async throws {
        let response = try await transport.send(HTTPRequest(method: .get, url: url("/big?bytes=5000000")))
        #expect(response.body.count == 5_000_000)
    }
}
