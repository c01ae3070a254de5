import Foundation

/// The one JSON form of a record: pretty-printed, sorted keys, RFC 3339 UTC timestamps.
/// Used for the files and for `--json` output alike.
public enum RecordCoding {
    /// An encoder producing the on-disk form.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        return encoder
    }

    /// A decoder reading the on-disk form (timestamps with or without fractional seconds).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an RFC 3339 timestamp")
            }
            return date
        }
        return decoder
    }

    /// The record as file contents (ends in a newline).
    /// - Throws: `RecordError.encodingFailed` (only for values JSON cannot hold).
    public static func encode(_ record: TransferRecord, encoder: JSONEncoder = makeEncoder()) throws -> Data {
        do {
            var data = try encoder.encode(record)
            data.append(0x0A)
            return data
        } catch {
            throw RecordError.encodingFailed(id: record.id, detail: RecordError.oneLine(error))
        }
    }

    /// Decodes file contents, checking the schema version before anything else.
    /// - Parameters:
    ///   - data: the file contents.
    ///   - path: the file, for error messages.
    /// - Throws: `RecordError.unsupportedVersion` for a version this code does not know,
    ///   `RecordError.corrupt` for anything that is not a version-1 record.
    public static func decode(_ data: Data, path: String, decoder: JSONDecoder = makeDecoder()) throws -> TransferRecord {
        let probe: VersionProbe
        do {
            probe = try decoder.decode(VersionProbe.self, from: data)
        } catch {
            throw RecordError.corrupt(path: path, detail: RecordError.oneLine(error))
        }
        guard let version = probe.version else {
            throw RecordError.corrupt(path: path, detail: "no \"version\" field")
        }
        guard version == TransferRecord.currentVersion else {
            throw RecordError.unsupportedVersion(path: path, version: version)
        }
        do {
            return try decoder.decode(TransferRecord.self, from: data)
        } catch {
            throw RecordError.corrupt(path: path, detail: RecordError.oneLine(error))
        }
    }

    /// Just the version field, read before committing to a schema.
    private struct VersionProbe: Decodable {
        var version: Int?
    }
}
