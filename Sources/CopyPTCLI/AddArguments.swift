import ArgumentParser
import CopyPTRecords
import Foundation

/// Parsers for `copypt add`'s values. Each throws a `ValidationError` whose text says what is
/// wrong and what to type; argument-parser prefixes it with the option and value.
enum AddArguments {
    /// A Globus task id: a UUID, stored lower-case.
    static func taskID(_ text: String) throws -> String {
        guard text.count == 36, let uuid = UUID(uuidString: text) else {
            throw ValidationError("a Globus task id is a UUID like 6c9a4e2e-1b7f-11ef-9e4d-0242ac120002 (`globus task list` shows them)")
        }
        return uuid.uuidString.lowercased()
    }

    /// A Globus collection (endpoint) id: a UUID, stored lower-case.
    static func collectionID(_ text: String) throws -> String {
        guard text.count == 36, let uuid = UUID(uuidString: text) else {
            throw ValidationError("a Globus collection id is a UUID like 6c54cade-bde5-45c1-bdea-f4bd71dba2cc (the web app's collection page shows it)")
        }
        return uuid.uuidString.lowercased()
    }

    /// An `s3://bucket/prefix/` location with a valid bucket name and a clean prefix.
    static func location(_ text: String) throws -> S3Prefix {
        guard text.hasPrefix("s3://") else {
            throw ValidationError("write the location as s3://BUCKET/PREFIX/")
        }
        guard let location = S3Prefix(url: text) else {
            throw ValidationError("no bucket name after s3://; write it as s3://BUCKET/PREFIX/")
        }
        if let problem = BucketName.problem(location.bucket) { throw ValidationError(problem) }
        if let problem = pathProblem(location.prefix, what: "the key prefix") { throw ValidationError(problem) }
        guard location.prefix.utf8.count <= 1024 else {
            throw ValidationError("the key prefix is longer than S3's 1024-byte key limit")
        }
        return location
    }

    /// A Globus path: absolute, clean, stored with a trailing `/`.
    static func globusPath(_ text: String) throws -> String {
        guard text.hasPrefix("/") else {
            throw ValidationError("a Globus path is absolute, like /STAGING-BUCKET/prefix/")
        }
        if let problem = pathProblem(String(text.dropFirst()), what: "the Globus path") { throw ValidationError(problem) }
        return text.hasSuffix("/") ? text : text + "/"
    }

    /// A 12-digit AWS account id.
    static func accountID(_ text: String) throws -> String {
        guard text.count == 12, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError("an AWS account id is exactly 12 digits, like 111122223333")
        }
        return text
    }

    /// A KMS key id, alias or ARN (not checked further: KMS resolves it).
    static func kmsKeyID(_ text: String) throws -> String {
        guard !text.isEmpty, text.count <= 2048, !text.contains(where: { $0.isWhitespace || isControl($0) }) else {
            throw ValidationError("give a KMS key id, alias/NAME or key ARN without spaces")
        }
        return text
    }

    /// A label: one line of at most 200 characters.
    static func label(_ text: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("a label must not be empty; leave --label out instead")
        }
        guard text.count <= 200, !text.contains(where: isControl) else {
            throw ValidationError("a label is one line of at most 200 characters")
        }
        return text
    }

    /// An AWS profile name as written in `~/.aws/config`.
    static func profile(_ text: String) throws -> String {
        guard !text.isEmpty, text.count <= 128,
              !text.contains(where: { $0.isWhitespace || isControl($0) || $0 == "[" || $0 == "]" }) else {
            throw ValidationError("a profile name is a name from ~/.aws/config, without spaces or brackets")
        }
        return text
    }

    // MARK: - Helpers

    /// Problems Globus paths and S3 prefixes share: empty, `.` or `..` segments, control characters.
    private static func pathProblem(_ path: String, what: String) -> String? {
        if path.contains(where: isControl) {
            return "\(what) contains a control character"
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment.isEmpty && index < segments.count - 1 {
                return "\(what) '\(path)' has an empty segment ('//' or a leading '/'); remove the extra slash"
            }
            if segment == "." || segment == ".." {
                return "\(what) '\(path)' has a '\(segment)' segment; give the plain path"
            }
        }
        return nil
    }

    private static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
