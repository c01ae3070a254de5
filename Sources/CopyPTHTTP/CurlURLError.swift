import CCurl

/// libcurl refused a URL. The description never repeats the URL, which may hold a password.
public struct CurlURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `CURLUcode`.
    public var code: Int32

    /// An error for a `CURLUcode`.
    public init(code: Int32) {
        self.code = code
    }

    /// libcurl's reason, e.g. `not a URL: Port number was not a decimal number between 0 and 65535 (CURLUE 4); check the URL`.
    public var description: String {
        let reason = curl_url_strerror(CURLUcode(rawValue: UInt32(code))).map { String(cString: $0) } ?? "error"
        return "not a URL: \(reason) (CURLUE \(code)); check the URL"
    }
}
