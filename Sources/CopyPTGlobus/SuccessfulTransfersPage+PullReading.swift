import CopyPTJSON

extension SuccessfulTransfersPage {
    /// Reads a page with `JSONPullReader`, giving exactly what the `Decodable` conformance gives
    /// for the same text: a sweep reads one item per file delivered, and JSONDecoder was a tenth
    /// of a 1,000-file sweep's CPU (scripts/bench P1). Anything unexpected — a lone surrogate, a
    /// fraction, a missing or mistyped key — throws `JSONPullReader.Unsupported`, and the caller
    /// decodes with JSONDecoder, which stays the reference.
    init(pullReading bytes: UnsafeBufferPointer<UInt8>) throws {
        var reader = JSONPullReader(bytes)
        var marker: String?
        var nextMarker: String?
        var transfers: [SuccessfulTransfer] = []
        try reader.readObject { reader, key in
            switch key {
            case "marker": marker = try Self.readMarker(&reader)
            case "next_marker": nextMarker = try Self.readMarker(&reader)
            case "DATA":
                transfers = []
                if !reader.readNull() {
                    try reader.readArray { reader in transfers.append(try SuccessfulTransfer(pullReading: &reader)) }
                }
            default: try reader.skipValue()
            }
        }
        try reader.readEnd()
        self.marker = marker
        self.nextMarker = nextMarker
        self.transfers = transfers
    }

    /// A number or a string, as text; `null` is `nil`.
    private static func readMarker(_ reader: inout JSONPullReader) throws -> String? {
        if reader.readNull() { return nil }
        var number = reader
        if let value = try? number.readInteger() {
            reader = number
            return String(value)
        }
        return try reader.readString()
    }
}

extension SuccessfulTransfer {
    init(pullReading reader: inout JSONPullReader) throws {
        var sourcePath: String?
        var destinationPath: String?
        var size: Int64?
        var checksum: String?
        var checksumAlgorithm: String?
        try reader.readObject { reader, key in
            switch key {
            case "source_path": sourcePath = try reader.readString()
            case "destination_path": destinationPath = try reader.readString()
            case "size": size = reader.readNull() ? nil : try reader.readInteger()
            case "checksum": checksum = try reader.readOptionalString()
            case "checksum_algorithm": checksumAlgorithm = try reader.readOptionalString()
            default: try reader.skipValue()
            }
        }
        guard let sourcePath, let destinationPath else { throw JSONPullReader.Unsupported() }
        self.init(
            sourcePath: sourcePath, destinationPath: destinationPath, size: size, checksum: checksum,
            checksumAlgorithm: checksumAlgorithm)
    }
}
