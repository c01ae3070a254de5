import CCurl
import Foundation

/// Sets up a reset easy handle for one request.
enum CurlRequestSetup {
    /// A transport's limits in libcurl's units, worked out once rather than per request.
    struct Limits: Sendable {
        var connectTimeoutMilliseconds: Int
        var lowSpeedSeconds: Int
        var requestTimeoutMilliseconds: Int
        var maxResponseBytes: Int

        init(_ configuration: CurlTransport.Configuration) {
            connectTimeoutMilliseconds = CurlRequestSetup.milliseconds(configuration.connectTimeout)
            lowSpeedSeconds = max(1, CurlRequestSetup.milliseconds(configuration.stallTimeout) / 1000)
            requestTimeoutMilliseconds = Self.timeoutMilliseconds(configuration.requestTimeout)
            maxResponseBytes = configuration.maxResponseBytes
        }

        /// The request's own limit, capped by the transport's.
        func timeoutMilliseconds(for request: HTTPRequest) -> Int {
            guard let own = request.timeout else { return requestTimeoutMilliseconds }
            return min(Self.timeoutMilliseconds(own), requestTimeoutMilliseconds)
        }

        /// A whole-request limit for `CURLOPT_TIMEOUT_MS`: at least 1, since 0 means none.
        static func timeoutMilliseconds(_ duration: Duration) -> Int {
            max(1, CurlRequestSetup.milliseconds(duration))
        }
    }

    /// `true` when a proxy variable libcurl reads (`http_proxy`, `https_proxy`, `HTTPS_PROXY`,
    /// `all_proxy`, `ALL_PROXY`) is set. When none is, each request tells libcurl "no proxy"
    /// outright, which spares it reading five variables for every connection (libcurl's own
    /// lookup, scripts/bench P1); when one is, libcurl reads them as it always does.
    static let environmentNamesAProxy: Bool = {
        let names: [String] = ["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
        return names.contains { name in getenv(name).map { $0.pointee != 0 } ?? false }
    }()

    /// Configures `handle`; returns the error when the request cannot be sent.
    static func configure(
        _ handle: UnsafeMutableRawPointer,
        for state: CurlRequestState,
        configuration: CurlTransport.Configuration,
        limits: Limits
    ) -> HTTPError? {
        let request = state.request
        guard request.url.utf8.starts(with: "http://".utf8) || request.url.utf8.starts(with: "https://".utf8) else {
            return .invalidURL(request.url)
        }
        var ok = true
        func set(_ code: CURLcode) { if code != CURLE_OK { ok = false } }

        set(request.url.withCString { copypt_easy_setopt_str(handle, CURLOPT_URL, $0) })
        // The path goes out byte for byte as given: libcurl would otherwise resolve `.` and `..`
        // segments (RFC 3986 5.2.4) after S3 signed the path, so `run42/../../x` would be
        // written elsewhere or fail its signature.
        set(copypt_easy_setopt_long(handle, CURLOPT_PATH_AS_IS, 1))
        set(copypt_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        set(copypt_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)))
        set(copypt_easy_setopt_long(handle, CURLOPT_TCP_NODELAY, 1))
        set(copypt_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, limits.connectTimeoutMilliseconds))
        set(copypt_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1))
        set(copypt_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, limits.lowSpeedSeconds))
        set(copypt_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, limits.timeoutMilliseconds(for: request)))
        state.maxBodyBytes = request.maxResponseBytes.map { max(0, $0) } ?? limits.maxResponseBytes
        if !environmentNamesAProxy {
            set(copypt_easy_setopt_str(handle, CURLOPT_PROXY, ""))
            set(copypt_easy_setopt_str(handle, CURLOPT_NOPROXY, ""))
        }
        set(copypt_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0))
        set(copypt_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0))
        if let bundle = configuration.caBundlePath {
            set(bundle.withCString { copypt_easy_setopt_str(handle, CURLOPT_CAINFO, $0) })
        }
        set(copypt_easy_setopt_ptr(handle, CURLOPT_ERRORBUFFER, state.errorBuffer))

        switch request.method {
        case .get:
            set(copypt_easy_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case .head:
            set(copypt_easy_setopt_long(handle, CURLOPT_NOBODY, 1))
        case .post, .put, .delete:
            if request.method != .delete || !request.body.isEmpty {
                // COPYPOSTFIELDS copies the bytes, so the body need not outlive this call.
                set(copypt_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                set(request.body.withUnsafeBytes { raw -> CURLcode in
                    var empty: UInt8 = 0
                    let pointer = raw.baseAddress ?? withUnsafeMutablePointer(to: &empty) { UnsafeRawPointer($0) }
                    return copypt_easy_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
                })
            }
            if request.method != .post {
                set(request.method.rawValue.withCString { copypt_easy_setopt_str(handle, CURLOPT_CUSTOMREQUEST, $0) })
            }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        var line: [UInt8] = []
        line.reserveCapacity(256)
        var hasExpect = false, hasAccept = false, hasContentType = false
        for field in request.headers {
            hasExpect = hasExpect || HTTPHeaders.equalIgnoringASCIICase(field.name.utf8, "Expect".utf8)
            hasAccept = hasAccept || HTTPHeaders.equalIgnoringASCIICase(field.name.utf8, "Accept".utf8)
            hasContentType = hasContentType || HTTPHeaders.equalIgnoringASCIICase(field.name.utf8, "Content-Type".utf8)
            // "Name;" is curl's way to send a header with an empty value.
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: field.name.utf8)
            if field.value.isEmpty {
                line.append(UInt8(ascii: ";"))
            } else {
                line.append(UInt8(ascii: ":"))
                line.append(UInt8(ascii: " "))
                line.append(contentsOf: field.value.utf8)
            }
            line.append(0)
            list = line.withUnsafeBytes { curl_slist_append(list, $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
        }
        // Stop curl adding headers of its own that nobody asked for ("Name:" removes one).
        if !hasExpect { list = curl_slist_append(list, "Expect:") }
        if !hasAccept { list = curl_slist_append(list, "Accept:") }
        if !hasContentType { list = curl_slist_append(list, "Content-Type:") }
        state.headerList = list
        set(copypt_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list))

        let context = Unmanaged.passUnretained(state).toOpaque()
        set(copypt_easy_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            guard let data, let context else { return 0 }
            let bytes = size * count
            // Anything but `bytes` makes libcurl stop with CURLE_WRITE_ERROR.
            return Unmanaged<CurlRequestState>.fromOpaque(context).takeUnretainedValue().appendBody(data, count: bytes) ? bytes : 0
        }))
        set(copypt_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, context))
        set(copypt_easy_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
            guard let data, let context else { return 0 }
            let bytes = size * count
            Unmanaged<CurlRequestState>.fromOpaque(context).takeUnretainedValue().appendHeaderLine(data, count: bytes)
            return bytes
        }))
        set(copypt_easy_setopt_ptr(handle, CURLOPT_HEADERDATA, context))
        return ok ? nil : .transport(host: state.host, code: -1, detail: "libcurl rejected an option for \(request.method) request")
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
