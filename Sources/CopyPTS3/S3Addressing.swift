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
    public private(set) var region: String
    /// A custom endpoint URL (may carry a path prefix), or `nil` for AWS.
    public let endpoint: String?
    /// The style setting. Default `.auto`.
    public let style: Style
    /// The custom endpoint split once, rather than for every request's URL.
    private let endpointParts: Base?

    /// Creates an addressing value.
    /// - Parameters:
    ///   - region: the bucket's region.
    ///   - endpoint: a custom endpoint URL, default `nil` (AWS).
    ///   - style: the addressing style, default `.auto`.
    public init(region: String, endpoint: String? = nil, style: Style = .auto) {
        self.region = region
        let endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.endpoint = endpoint
        self.style = style
        self.endpointParts = endpoint.map { Base(URLParts($0)) }
    }

    /// The same addressing for another region (after HeadBucket reported `x-amz-bucket-region`).
    public func with(region: String) -> S3Addressing {
        var copy = self
        copy.region = region
        return copy
    }

    /// The base URL without bucket: the custom endpoint or `https://s3.<region>.amazonaws.com`.
    public var baseURL: String {
        endpoint ?? "https://" + Base(awsRegion: region).authority
    }

    /// `true` when requests for `bucket` use path-style URLs.
    public func usesPathStyle(bucket: String) -> Bool {
        usesPathStyle(bucket: bucket, base: base)
    }

    private func usesPathStyle(bucket: String, base: Base) -> Bool {
        switch style {
        case .path: return true
        case .virtual: return false
        case .auto: return base.isLocal || !Self.isVirtualHostable(bucket, https: base.isHTTPS)
        }
    }

    /// The request URL for a bucket, an already-encoded key and an already-encoded query.
    /// - Parameters:
    ///   - bucket: the bucket name.
    ///   - encodedKey: the key from ``S3PathEncoding/encodeKey(_:)``; empty for bucket-level calls.
    ///   - query: the raw query without `?` (e.g. `uploads=` or `list-type=2&prefix=a%2F`); empty for none.
    /// - Returns: an absolute URL ready for ``HTTPRequest``.
    public func url(bucket: String, encodedKey: String = "", query: String = "") -> String {
        let base = self.base
        var url = base.scheme
        url.reserveCapacity(base.scheme.utf8.count + base.authority.utf8.count + bucket.utf8.count + encodedKey.utf8.count + query.utf8.count + 16)
        url += "://"
        if usesPathStyle(bucket: bucket, base: base) {
            url += base.authority
            url += base.path
            url += "/"
            url += S3PathEncoding.encodeKey(bucket)
            if !encodedKey.isEmpty {
                url += "/"
                url += encodedKey
            }
        } else {
            url += bucket
            url += "."
            url += base.authority
            url += base.path
            url += "/"
            url += encodedKey
        }
        if !query.isEmpty {
            url += "?"
            url += query
        }
        return url
    }

    /// The endpoint's parts that URLs are made of.
    private struct Base: Sendable, Equatable {
        var scheme: String
        /// `host[:port]`.
        var authority: String
        /// The endpoint's own path prefix, without a trailing `/`; usually empty.
        var path: String
        /// An IP address or `localhost`: buckets go in the path.
        var isLocal: Bool
        var isHTTPS: Bool

        init(_ parts: URLParts) {
            scheme = parts.scheme
            authority = parts.port.map { "\(parts.host):\($0)" } ?? parts.host
            path = parts.path == "/" ? "" : parts.path
            isLocal = S3Addressing.isIPAddress(parts.host) || parts.host.lowercased() == "localhost"
            isHTTPS = parts.scheme == "https"
        }

        init(awsRegion region: String) {
            scheme = "https"
            authority = "s3.\(region).\(S3Addressing.dnsSuffix(region: region))"
            path = ""
            isLocal = false
            isHTTPS = true
        }
    }

    private var base: Base { endpointParts ?? Base(awsRegion: region) }

    // MARK: - Rules

    /// `amazonaws.com.cn` for China regions, else `amazonaws.com`.
    static func dnsSuffix(region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }

    /// IPv4 dotted quads and bracketed IPv6 literals.
    static func isIPAddress(_ host: String) -> Bool {
        if host.hasPrefix("[") { return true }
        // Four dot-separated decimal numbers of 0–255, each one to three digits.
        var octets = 0
        var digits = 0
        var value = 0
        for byte in host.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                octets += 1
                digits = 0
                value = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                guard digits <= 3, value <= 255 else { return false }
            } else {
                return false
            }
        }
        return octets == 3 && digits > 0
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
