import CopyPTHTTP
import Foundation

/// Credentials from the container credentials endpoint (ECS tasks, EKS Pod Identity, CodeBuild).
///
/// The URL is `http://169.254.170.2` + `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https, or http to a loopback address or the ECS/EKS
/// link-local hosts; see ``fromEnvironment(_:transport:timeout:)``). `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch, as it
/// rotates) or `AWS_CONTAINER_AUTHORIZATION_TOKEN` is sent as `Authorization`.
public struct ContainerCredentialProvider: CredentialProvider {
    /// The credentials URL.
    public let url: String
    /// A fixed authorization token, if any. Never printed.
    let authorizationToken: String?
    /// A file holding the authorization token, if any.
    public let authorizationTokenFile: String?
    /// The per-request time limit. Default 2 s.
    public let timeout: Duration
    private let transport: any HTTPTransport

    /// The ECS link-local host the relative URI is appended to.
    public static let ecsHost = "169.254.170.2"

    /// Builds the provider the environment asks for, or `nil` when neither URI variable is set.
    ///
    /// The URL is read with libcurl's own parser (``CurlURL``), so the host checked is the host
    /// the request goes to. As in the AWS SDKs (botocore `ContainerMetadataFetcher`), a full URI
    /// over plain http may name only a loopback address, `localhost`, 169.254.170.2 (ECS),
    /// 169.254.170.23 or fd00:ec2::23 (EKS Pod Identity); https may name any host. A user name,
    /// password or fragment is refused: none belongs in the endpoint, and each has been used to
    /// make a URL look as if it named another host than it does.
    /// - Throws: ``CredentialError/untrustedContainerHost(host:)`` for a plain-http full URI to
    ///   another host; ``CredentialError/invalidSetting(name:value:expected:)`` for a URI that is
    ///   not http(s), does not parse, or carries user information or a fragment.
    public static func fromEnvironment(
        _ environment: [String: String], transport: any HTTPTransport, timeout: Duration = .seconds(2)
    ) throws -> ContainerCredentialProvider? {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            let parsed = try CurlURL.setting(
                "http://\(ecsHost)" + (relative.hasPrefix("/") ? relative : "/" + relative),
                variable: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", shown: relative)
            guard parsed.host == ecsHost else { throw CredentialError.untrustedContainerHost(host: parsed.host) }
            url = parsed.url
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            let parsed = try CurlURL.setting(full, variable: "AWS_CONTAINER_CREDENTIALS_FULL_URI")
            guard parsed.scheme == "https" || isAllowedHTTPHost(parsed.host) else {
                throw CredentialError.untrustedContainerHost(host: parsed.host)
            }
            url = parsed.url
        } else {
            return nil
        }
        let tokenFile = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return ContainerCredentialProvider(
            url: url, authorizationToken: token, authorizationTokenFile: tokenFile, transport: transport, timeout: timeout
        )
    }

    /// `true` for the hosts plain http may reach: loopback (127.0.0.0/8, ::1), `localhost`,
    /// 169.254.170.2, 169.254.170.23 and fd00:ec2::23, however the address is spelled.
    static func isAllowedHTTPHost(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 {
            let octets = withUnsafeBytes(of: &v4) { Array($0) }
            return octets[0] == 127 || octets == [169, 254, 170, 2] || octets == [169, 254, 170, 23]
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
            let eks: [UInt8] = [0xfd, 0x00, 0x0e, 0xc2] + Array(repeating: 0, count: 11) + [0x23]
            return bytes == loopback || bytes == eks
        }
        return false
    }

    /// Creates a provider for `url`.
    /// - Parameters:
    ///   - url: the credentials URL.
    ///   - authorizationToken: a token sent as `Authorization`, default none.
    ///   - authorizationTokenFile: a file whose contents are the token (wins over `authorizationToken`), default none.
    ///   - transport: the HTTP seam.
    ///   - timeout: the per-request limit, default 2 s.
    public init(
        url: String, authorizationToken: String? = nil, authorizationTokenFile: String? = nil,
        transport: any HTTPTransport, timeout: Duration = .seconds(2)
    ) {
        self.url = url
        self.authorizationToken = authorizationToken
        self.authorizationTokenFile = authorizationTokenFile
        self.transport = transport
        self.timeout = timeout
    }

    /// Fetches the container role's credentials.
    /// - Throws: ``CredentialError/unreachable(source:detail:)`` or `.invalidResponse`.
    public func credentials() async throws -> AWSCredentials {
        let source = "the container endpoint \(URLParts(url).hostHeader)"
        var request = HTTPRequest(
            method: .get, url: url, headers: ["Accept": "application/json"], timeout: timeout,
            maxResponseBytes: AWSCredentials.replyLimit)
        if let token = try authorization() {
            guard !token.contains("\r"), !token.contains("\n") else {
                throw CredentialError.invalidSetting(
                    name: "AWS_CONTAINER_AUTHORIZATION_TOKEN", value: "<redacted>", expected: "a single-line token"
                )
            }
            request.headers["Authorization"] = token
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPError {
            throw CredentialError.unreachable(source: source, detail: error.description)
        }
        guard response.isSuccess else {
            throw CredentialError.unreachable(source: source, detail: "HTTP \(response.status)")
        }
        return try AWSCredentials.decodeJSON(response.body, source: source)
    }

    /// The token to send: the file's contents (trailing newline dropped) or the fixed token.
    private func authorization() throws -> String? {
        guard let authorizationTokenFile else { return authorizationToken }
        guard let data = FileManager.default.contents(atPath: authorizationTokenFile) else {
            throw CredentialError.invalidSetting(
                name: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", value: authorizationTokenFile, expected: "a readable file"
            )
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
