import CCurl

/// Turns libcurl's result codes into ``HTTPError`` cases.
enum CurlErrorMapping {
    /// - Parameter elapsedMilliseconds: how long the transfer ran (tells the stall limit from the total one).
    static func error(
        for code: CURLcode, state: CurlRequestState, configuration: CurlTransport.Configuration, elapsedMilliseconds: Int
    ) -> HTTPError {
        let text = String(cString: curl_easy_strerror(code))
        let detail = state.errorDetail(fallback: text)
        let host = state.host
        if state.bodyTooLarge { return .responseTooLarge(host: host, limit: state.maxBodyBytes) }
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidURL(state.request.url)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .resolveFailed(host: host, detail: detail)
        case CURLE_COULDNT_CONNECT:
            return .connectFailed(host: host, detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            // libcurl says which limit fired (connect, stall, whole request) only in its text:
            // it is the longest one the transfer had reached.
            let limits = [
                CurlRequestSetup.milliseconds(configuration.connectTimeout),
                CurlRequestSetup.milliseconds(configuration.stallTimeout),
                CurlRequestSetup.Limits(configuration).timeoutMilliseconds(for: state.request),
            ]
            let limit = limits.filter { $0 <= elapsedMilliseconds + 100 }.max() ?? limits[2]
            return .timedOut(host: host, seconds: Double(limit) / 1000)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY:
            return .connectionLost(host: host, detail: detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .tls(host: host, detail: detail)
        default:
            return .transport(host: host, code: Int(code.rawValue), detail: detail)
        }
    }
}
