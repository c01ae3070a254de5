import CopyPTJSON
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
    ///   `RecordError.corrupt` for anything that is not a version-1 record, `RecordError.outOfRange`
    ///   for a counter below 0 or above `TransferRecord.counterLimit`.
    public static func decode(_ data: Data, path: String, decoder: JSONDecoder = makeDecoder()) throws -> TransferRecord {
        let record = try decodeUnchecked(data, path: path, decoder: decoder)
        try record.checkRanges(path: path)
        return record
    }

    private static func decodeUnchecked(_ data: Data, path: String, decoder: JSONDecoder) throws -> TransferRecord {
        // Loading 10,000 records is most of an idle sweep: read the usual record with the pull
        // reader, and leave anything it does not take to JSONDecoder, the reference. Nesting past
        // the limit is refused by either path, not handed on (20,000 nested arrays overflowed
        // the stack once).
        do {
            return try TransferRecord(pullReading: data)
        } catch let tooDeep as JSONPullReader.TooDeep {
            throw RecordError.corrupt(path: path, detail: tooDeep.description)
        } catch {}
        do {
            try data.withUnsafeBytes { try JSONPullReader.checkDepth($0.bindMemory(to: UInt8.self)) }
        } catch let tooDeep as JSONPullReader.TooDeep {
            throw RecordError.corrupt(path: path, detail: tooDeep.description)
        }
        // One parse: TransferRecord's decoder reads "version" first and stops with
        // `VersionMismatch` before touching any other key.
        do {
            return try decoder.decode(TransferRecord.self, from: data)
        } catch let mismatch as TransferRecord.VersionMismatch {
            guard let version = mismatch.found else {
                throw RecordError.corrupt(path: path, detail: "no \"version\" field")
            }
            throw RecordError.unsupportedVersion(path: path, version: version)
        } catch {
            throw RecordError.corrupt(path: path, detail: RecordError.oneLine(error))
        }
    }
}
