/// One HTTP response, as a plain value with the whole body read.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The response header fields, in order.
    public var headers: HTTPHeaders
    /// The body bytes; empty for none (and always for HEAD).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// `true` for 2xx statuses.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
