import CopyPTHTTP
import Foundation
import Testing

/// Loads `Fixtures/<name>.json` from the test bundle.
enum Fixtures {
    static func data(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return Array(try Data(contentsOf: url))
    }

    /// A 2xx/4xx response whose body is the fixture.
    static func response(_ name: String, status: Int = 200, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
        var all = headers
        all["Content-Type"] = "application/json"
        return HTTPResponse(status: status, headers: all, body: try data(name))
    }
}

/// A JSON response built from a dictionary.
func jsonResponse(_ object: Any, status: Int = 200, headers: HTTPHeaders = [:]) -> HTTPResponse {
    let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
    var all = headers
    all["Content-Type"] = "application/json"
    return HTTPResponse(status: status, headers: all, body: Array(body))
}

/// A fresh temporary directory for one test, mode 0700 whatever the umask (another test may
/// have widened it meanwhile), as the token store requires.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("copypt-globus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return url
}

/// Records the durations a component asked to sleep, without sleeping.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Duration] = []
    var sleeps: [Duration] { lock.withLock { stored } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in lock.withLock { stored.append(duration) } }
    }
}

/// A settable clock.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { [self] in now } }
}
