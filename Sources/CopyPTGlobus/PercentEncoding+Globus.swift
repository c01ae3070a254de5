import CopyPTHTTP

// The Globus-specific forms of the shared RFC 3986 encoding.
extension PercentEncoding {
    /// A query value: `,` `:` `/` stay literal (RFC 3986 allows them in a query), so a Transfer
    /// filter such as `task_id:a,b/status:ACTIVE` reads as globus-sdk sends it and stays short.
    static func query(_ text: String) -> String {
        encode(text, keeping: [UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "/")])
    }

    /// A path segment.
    static func pathSegment(_ text: String) -> String { encode(text) }

    /// An `application/x-www-form-urlencoded` name or value (space as `%20`, which servers accept).
    static func form(_ text: String) -> String { encode(text) }

    /// `name=value&…` for a form body or a query string.
    static func formBody(_ fields: [(String, String)]) -> String {
        fields.map { form($0.0) + "=" + form($0.1) }.joined(separator: "&")
    }

    /// `name=value&…` for a query string, values encoded by ``query(_:)``.
    static func queryString(_ fields: [(String, String)]) -> String {
        fields.map { form($0.0) + "=" + query($0.1) }.joined(separator: "&")
    }
}
