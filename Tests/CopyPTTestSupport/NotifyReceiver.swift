import Foundation

/// `scripts/notify-receiver` on a free loopback port: a webhook and ping receiver that records
/// every request before answering it, and can fail (500) or never answer its first POSTs.
public final class NotifyReceiver: Sendable {
    /// One request as the receiver recorded it.
    public struct Received: Sendable, Equatable, Decodable {
        /// `POST` or `GET`.
        public var method: String
        /// The path and query.
        public var path: String
        /// The `Idempotency-Key` header, if sent.
        public var idempotencyKey: String?
        /// The body as text.
        public var body: String
        /// 200, 500, or `nil` for a request never answered.
        public var answer: Int?

        enum CodingKeys: String, CodingKey {
            case method, path, body, answer
            case idempotencyKey = "idempotency_key"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            method = try c.decode(String.self, forKey: .method)
            path = try c.decode(String.self, forKey: .path)
            idempotencyKey = try c.decodeIfPresent(String.self, forKey: .idempotencyKey)
            body = try c.decode(String.self, forKey: .body)
            answer = try? c.decode(Int.self, forKey: .answer)
        }

        /// The body as a JSON object, if it is one.
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }
    }

    /// The receiver process.
    public let server: ServerProcess
    private let log: URL

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { server.baseURL }

    /// Starts a receiver that answers 500 to its first `failFirst` POSTs after never answering
    /// its first `hangFirst`.
    public static func start(failFirst: Int = 0, hangFirst: Int = 0) async throws -> NotifyReceiver {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("copypt-notify-\(UUID().uuidString).jsonl")
        let server = try await ServerProcess.launch(
            executable: ProjectPaths.script("notify-receiver").path,
            arguments: ["{port}", "--fail-first", String(failFirst), "--hang-first", String(hangFirst), "--log", log.path])
        return NotifyReceiver(server: server, log: log)
    }

    private init(server: ServerProcess, log: URL) {
        self.server = server
        self.log = log
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: log)
    }

    /// Everything received so far, in order.
    public func received() -> [Received] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
    }
}
