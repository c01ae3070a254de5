import CopyPTBatch
import Testing

@Suite struct BatchManifestTests {
    @Test("keys are URL-encoded but for unreserved bytes and /, so , + space and UTF-8 survive; decoding gives them back",
          arguments: ["run42/a.h5", "run42/a b,c+d.txt", "run42/é/ü%.dat", "run42/~x_y-z"])
    func roundTrip(key: String) throws {
        let line = BatchManifest.line(bucket: "stg", key: key)
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields.count == 2)
        #expect(fields[0] == "stg")
        #expect(!fields[1].contains(" ") && !fields[1].contains("+"))
        #expect(BatchManifest.decode(fields[1]) == key)
    }

    @Test("a part is handed over once it reaches the part size, and taking it leaves memory for one part only")
    func parts() {
        var manifest = BatchManifest(partSize: 64)
        var full = 0
        var bytes: [UInt8] = []
        for index in 0..<20 {
            if manifest.append(bucket: "stg", key: "run42/object-\(index)") {
                full += 1
                let part = manifest.takePart()
                #expect(part.count >= 64 && part.count < 64 + 40)
                bytes += part
            }
        }
        bytes += manifest.takePart()
        #expect(full > 3)
        #expect(manifest.count == 20)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 20)
        #expect(lines.first == "stg,run42/object-0")
    }

    @Test("a broken escape or bytes that are not UTF-8 decode to nothing")
    func badDecode() {
        #expect(BatchManifest.decode("a%2") == nil)
        #expect(BatchManifest.decode("a%zz") == nil)
        #expect(BatchManifest.decode("a%FF") == nil)
    }
}
