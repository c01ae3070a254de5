import CopyPTHTTP
import Foundation

/// Credentials from the container credentials endpoint (ECS tasks, EKS Pod Identity, CodeBuild).
///
/// The URL is `http://169.254.170.2` + `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https, or http to a loopback address or the ECS/EKS
/// link-local hosts). `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch, as it
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
    private static let allowedHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]"]

    /// Builds the provider the environment asks for, or `nil` when neither URI variable is set.
    /// - Throws: ``CredentialError/untrustedContainerHost(host:)`` for a plain-http full URI to another host.
    public static func fromEnvironment(
        _ environment: [String: String], transport: any HTTPTransport, timeout: Duration = .seconds(2)
    ) throws -> ContainerCredentialProvider? {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            url = "http://\(ecsHost)" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            let parts = URLParts(full)
            let loopback = parts.host.hasPrefix("127.")
            guard parts.scheme == "https" || loopback || allowedHTTPHosts.contains(parts.host.lowercased()) else {
                throw CredentialError.untrustedContainerHost(host: parts.host)
            }
            url = full
        } else {
            return nil
        }
        let tokenFile = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return ContainerCredentialProvider(
            url: url, authorizationToken: token, authorizationTokenFile: tokenFile, transport: transport, timeout: timeout
        )
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
