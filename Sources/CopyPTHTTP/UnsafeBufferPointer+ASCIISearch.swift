import Foundation

extension UnsafeBufferPointer<UInt8> {
    /// Where the ASCII `needle` first occurs, as an offset from the start; `nil` when it does not.
    ///
    /// Found with the C library's `memchr` and `memcmp`: the generic `firstRange(of:)` over
    /// bytes, and Swift loops over indices, showed in the hot paths that split URLs and
    /// read S3's replies (scripts/bench P1). Shared by the HTTP and S3 layers.
    public func firstOffset(ofASCII needle: StaticString) -> Int? {
        let length = needle.utf8CodeUnitCount
        guard let base = baseAddress, length > 0, count >= length else { return nil }
        let first = Int32(needle.utf8Start.pointee)
        let lastStart = count - length
        var position = 0
        while position <= lastStart {
            guard let hit = memchr(base + position, first, lastStart - position + 1) else { return nil }
            let found = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + found, needle.utf8Start, length) == 0 { return found }
            position = found + 1
        }
        return nil
    }
}
