import ArgumentParser

/// A size on the command line: bytes, or a number with a K/M/G/T unit (powers of 1024, as the
/// AWS CLI reads them), e.g. `64MiB`, `5GiB`.
struct ByteSizeArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The size in bytes.
    var bytes: Int64

    init(bytes: Int64) { self.bytes = bytes }

    init?(argument: String) {
        guard let bytes = CopyByteSize.parse(argument) else { return nil }
        self.bytes = bytes
    }

    var defaultValueDescription: String {
        for (unit, shift) in [("TiB", Int64(40)), ("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }
}
