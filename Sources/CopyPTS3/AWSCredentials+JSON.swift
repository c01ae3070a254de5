import Foundation

// MARK: - JSON documents of credential_process, the container endpoint and IMDS

extension AWSCredentials {
    /// The fields the three JSON credential sources use; `Token` (container, IMDS) and
    /// `SessionToken` (credential_process) are both accepted.
    private struct Document: Decodable {
        var Version: Int?
        var Code: String?
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var SessionToken: String?
        var Token: String?
        var Expiration: String?
    }

    /// Decodes a credentials JSON document.
    /// - Parameters:
    ///   - bytes: the JSON text.
    ///   - source: names the source in errors (e.g. `credential_process mytool`).
    ///   - requireVersion1: `true` for credential_process, whose `Version` must be 1.
    /// - Throws: ``CredentialError/invalidResponse(source:reason:)``; the reason never quotes the document.
    static func decodeJSON(_ bytes: [UInt8], source: String, requireVersion1: Bool = false) throws -> AWSCredentials {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw CredentialError.invalidResponse(source: source, reason: "not a JSON credentials object")
        }
        if requireVersion1, document.Version != 1 {
            throw CredentialError.invalidResponse(
                source: source, reason: "Version is \(document.Version.map(String.init) ?? "missing"), expected 1"
            )
        }
        if let code = document.Code, code != "Success" {
            throw CredentialError.invalidResponse(source: source, reason: "Code is \(code)")
        }
        guard let id = document.AccessKeyId, !id.isEmpty else {
            throw CredentialError.invalidResponse(source: source, reason: "AccessKeyId is missing")
        }
        guard let secret = document.SecretAccessKey, !secret.isEmpty else {
            throw CredentialError.invalidResponse(source: source, reason: "SecretAccessKey is missing")
        }
        var expiration: Date?
        if let text = document.Expiration {
            guard let date = parseISO8601(text) else {
                throw CredentialError.invalidResponse(source: source, reason: "Expiration \(text) is not an ISO 8601 time")
            }
            expiration = date
        }
        let token = [document.SessionToken, document.Token].compactMap { $0 }.first { !$0.isEmpty }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    /// Parses RFC 3339 times with or without fractional seconds (`2024-01-02T03:04:05Z`,
    /// `2024-01-02T03:04:05.123+00:00`).
    static func parseISO8601(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: trimmed) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: trimmed)
    }
}
