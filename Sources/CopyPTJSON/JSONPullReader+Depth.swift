extension JSONPullReader {
    /// The document nests objects and arrays deeper than the limit. Not a reason to try
    /// another reader: report it, naming the document.
    public struct TooDeep: Error, Equatable, CustomStringConvertible {
        /// The depth allowed.
        public var limit: Int
        /// The byte offset of the `[` or `{` that went past it.
        public var offset: Int

        /// A refusal at `offset`.
        public init(limit: Int, offset: Int) {
            self.limit = limit
            self.offset = offset
        }

        /// One line, e.g. `arrays and objects nested deeper than 64 levels (at byte 64)`.
        public var description: String {
            "arrays and objects nested deeper than \(limit) levels (at byte \(offset))"
        }
    }

    /// Checks how deep `bytes` nest without reading any value, in one pass and without
    /// recursion, for text about to go to a reader that has no limit of its own that copypt
    /// keeps (JSONDecoder allows 512). Brackets inside strings do not count; the text need not
    /// be valid JSON, the decoder that follows judges that.
    /// - Throws: ``TooDeep`` when objects and arrays nest deeper than `limit`.
    public static func checkDepth(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = defaultDepthLimit) throws(TooDeep) {
        var depth = 0
        var inString = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                switch byte {
                case UInt8(ascii: "\\"): index += 1  // the escaped byte cannot end the string
                case UInt8(ascii: "\""): inString = false
                default: break
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    guard depth <= limit else { throw TooDeep(limit: limit, offset: index) }
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            }
            index += 1
        }
    }
}
