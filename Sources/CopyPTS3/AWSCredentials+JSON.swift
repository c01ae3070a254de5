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

    /// Parses RFC 3339 times such as `2024-01-02T03:04:05Z`, `2026-11-25T23:59:03.939401Z`
    /// or `2024-01-02T03:04:05.123+02:00` (any number of fractional digits, which
    /// `ISO8601DateFormatter` does not accept everywhere).
    static func parseISO8601(_ text: String) -> Date? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }
        func expect(_ allowed: String) -> Bool {
            guard index < bytes.count, allowed.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(":"), let minutes = number(2) else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        // Days from 1970-01-01 (H. Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
