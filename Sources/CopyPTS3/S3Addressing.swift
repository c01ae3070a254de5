import CopyPTHTTP

/// Where S3 requests for a bucket go: virtual-hosted (`https://bucket.s3.region.amazonaws.com/key`)
/// or path-style (`http://127.0.0.1:5000/bucket/key`).
///
/// `.auto` picks path-style for custom endpoints whose host is an IP address or `localhost`
/// (moto, MinIO on a laptop) and for bucket names that cannot be a DNS label (upper case,
/// `_`, or dots over https, which would break the wildcard certificate); virtual-hosted otherwise.
public struct S3Addressing: Sendable, Equatable {
    /// The addressing style setting (`AWS_S3_ADDRESSING_STYLE`, profile `s3 = addressing_style`).
    public enum Style: String, Sendable, Equatable, CaseIterable {
        /// Decide per endpoint and bucket (the default).
        case auto
        /// Always `endpoint/bucket/key`.
        case path
        /// Always `bucket.endpoint/key`.
        case virtual
    }

    /// The bucket's region, e.g. `us-east-1`.
    public var region: String
    /// A custom endpoint URL (may carry a path prefix), or `nil` for AWS.
    public var endpoint: String?
    /// The style setting. Default `.auto`.
    public var style: Style

    /// Creates an addressing value.
    /// - Parameters:
    ///   - region: the bucket's region.
    ///   - endpoint: a custom endpoint URL, default `nil` (AWS).
    ///   - style: the addressing style, default `.auto`.
    public init(region: String, endpoint: String? = nil, style: Style = .auto) {
        self.region = region
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.style = style
    }

    /// The same addressing for another region (after HeadBucket reported `x-amz-bucket-region`).
    public func with(region: String) -> S3Addressing {
        S3Addressing(region: region, endpoint: endpoint, style: style)
    }

    /// The base URL without bucket: the custom endpoint or `https://s3.<region>.amazonaws.com`.
    public var baseURL: String {
        endpoint ?? "https://s3.\(region).\(Self.dnsSuffix(region: region))"
    }

    /// `true` when requests for `bucket` use path-style URLs.
    public func usesPathStyle(bucket: String) -> Bool {
        usesPathStyle(bucket: bucket, base: URLParts(baseURL))
    }

    private func usesPathStyle(bucket: String, base parts: URLParts) -> Bool {
        switch style {
        case .path: return true
        case .virtual: return false
        case .auto:
            if Self.isIPAddress(parts.host) || parts.host.lowercased() == "localhost" { return true }
            return !Self.isVirtualHostable(bucket, https: parts.scheme == "https")
        }
    }

    /// The request URL for a bucket, an already-encoded key and an already-encoded query.
    /// - Parameters:
    ///   - bucket: the bucket name.
    ///   - encodedKey: the key from ``S3PathEncoding/encodeKey(_:)``; empty for bucket-level calls.
    ///   - query: the raw query without `?` (e.g. `uploads=` or `list-type=2&prefix=a%2F`); empty for none.
    /// - Returns: an absolute URL ready for ``HTTPRequest``.
    public func url(bucket: String, encodedKey: String = "", query: String = "") -> String {
        let parts = URLParts(baseURL)
        let basePath = parts.path == "/" ? "" : parts.path
        let authority = parts.port.map { "\(parts.host):\($0)" } ?? parts.host
        var url: String
        if usesPathStyle(bucket: bucket, base: parts) {
            url = "\(parts.scheme)://\(authority)\(basePath)/\(S3PathEncoding.encodeKey(bucket))"
            if !encodedKey.isEmpty { url += "/" + encodedKey }
        } else {
            url = "\(parts.scheme)://\(bucket).\(authority)\(basePath)/\(encodedKey)"
        }
        return query.isEmpty ? url : url + "?" + query
    }

    // MARK: - Rules

    /// `amazonaws.com.cn` for China regions, else `amazonaws.com`.
    static func dnsSuffix(region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }

    /// IPv4 dotted quads and bracketed IPv6 literals.
    static func isIPAddress(_ host: String) -> Bool {
        if host.hasPrefix("[") { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil }
    }

    /// A bucket name usable as a DNS label under the endpoint: 3–63 of `a–z 0–9 - .`,
    /// starting and ending alphanumeric, no `..`, not an IP address, and no dots over https.
    static func isVirtualHostable(_ bucket: String, https: Bool) -> Bool {
        guard (3...63).contains(bucket.utf8.count) else { return false }
        let allowed = bucket.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
        guard allowed, let first = bucket.first, let last = bucket.last,
              first.isLetter || first.isNumber, last.isLetter || last.isNumber,
              !bucket.contains(".."), !isIPAddress(bucket)
        else { return false }
        return !(https && bucket.contains("."))
    }
}
