/// An HTTP request method.
public enum HTTPMethod: String, Sendable, Hashable, CustomStringConvertible {
    case get = "GET"
    case head = "HEAD"
    case put = "PUT"
    case post = "POST"
    case delete = "DELETE"

    public var description: String { rawValue }
}
