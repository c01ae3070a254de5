import Testing

@testable import CopyPTS3

@Suite struct PartPlanTests {
    static let MiB = PartPlan.mebibyte
    static let GiB = PartPlan.gibibyte
    static let TiB = 1024 * PartPlan.gibibyte

    struct Case: Sendable, CustomTestStringConvertible {
        var size: Int64
        var concurrency: Int
        var parts: Int
        var partSize: Int64
        var testDescription: String { "\(size) bytes at concurrency \(concurrency)" }
    }

    @Test("plans few large parts within S3's limits", arguments: [
        // 10 GiB at the default concurrency: 16 parts of 640 MiB (the AWS CLI uses 1,280 × 8 MiB).
        Case(size: 10 * GiB, concurrency: 16, parts: 16, partSize: 640 * MiB),
        // Just over the 5 GiB CopyObject limit.
        Case(size: 5 * GiB + 1, concurrency: 16, parts: 16, partSize: 335_544_321),
        // 5 TiB: the 5 GiB part maximum decides, 1,024 parts.
        Case(size: 5 * TiB, concurrency: 16, parts: 1024, partSize: 5 * GiB),
        // 48.8 TiB, the most an upload can hold: 10,000 parts of 5 GiB.
        Case(size: 10_000 * 5 * GiB, concurrency: 16, parts: 10_000, partSize: 5 * GiB),
        // Small object, many workers: the 5 MiB minimum decides (⌊12 MiB / 5 MiB⌋ = 2 parts).
        Case(size: 12 * MiB, concurrency: 16, parts: 2, partSize: 6 * MiB),
        // Below the minimum: one part of the whole object.
        Case(size: 3 * MiB, concurrency: 16, parts: 1, partSize: 3 * MiB),
        Case(size: 1, concurrency: 16, parts: 1, partSize: 1),
        // 10 MiB + 1 byte must not become 3 parts of 3.3 MiB.
        Case(size: 10 * MiB + 1, concurrency: 16, parts: 2, partSize: 5 * MiB + 1),
        // Concurrency 1 still respects the 5 GiB maximum.
        Case(size: 12 * GiB, concurrency: 1, parts: 3, partSize: 4 * GiB),
        Case(size: 100 * GiB, concurrency: 64, parts: 64, partSize: 1600 * MiB),
    ])
    func plans(_ c: Case) throws {
        let plan = try PartPlan(size: c.size, concurrency: c.concurrency)
        #expect(plan.partCount == c.parts)
        #expect(plan.partSize == c.partSize)
        #expect(plan.fits(.s3))
        #expect(plan.partCount <= 10_000)
        #expect(plan.partSize <= 5 * Self.GiB)
        if plan.partCount > 1 { #expect(plan.partSize >= 5 * Self.MiB) }
        // The ranges tile the object exactly.
        #expect(plan.range(ofPart: 1).lowerBound == 0)
        #expect(plan.range(ofPart: plan.partCount).upperBound == c.size - 1)
        let total = (1...min(plan.partCount, 50)).reduce(Int64(0)) { $0 + plan.size(ofPart: $1) }
        if plan.partCount <= 50 { #expect(total == c.size) }
        #expect(plan.size(ofPart: plan.partCount) <= plan.partSize)
        #expect(plan.size(ofPart: plan.partCount) > 0)
    }

    @Test("consecutive ranges touch without overlap")
    func rangesTile() throws {
        let plan = try PartPlan(size: 10 * Self.GiB + 12345, concurrency: 16)
        for n in 1..<plan.partCount {
            #expect(plan.range(ofPart: n).upperBound + 1 == plan.range(ofPart: n + 1).lowerBound)
        }
        #expect(plan.range(ofPart: 2) == (671_089_412...1_342_178_823))
    }

    @Test("objects too large for 10,000 parts of 5 GiB, or empty, are refused")
    func refusesImpossible() {
        #expect(throws: S3Error.self) { try PartPlan(size: 10_000 * 5 * Self.GiB + 1, concurrency: 16) }
        #expect(throws: S3Error.self) { try PartPlan(size: 0, concurrency: 16) }
    }

    @Test("lowered limits (moto's S3_UPLOAD_PART_MIN_SIZE) give small parts")
    func loweredLimits() throws {
        let limits = MultipartLimits(minimumPartSize: 256 * 1024)
        let plan = try PartPlan(size: 3 * Self.MiB, concurrency: 4, limits: limits)
        #expect(plan.partCount == 4)
        #expect(plan.partSize == 786_432)
    }

    @Test("a resumed plan keeps the part size the upload was started with")
    func resumedPlan() {
        let plan = PartPlan(objectSize: 10 * Self.GiB, partSize: 640 * Self.MiB)
        #expect(plan.partCount == 16)
        #expect(!PartPlan(objectSize: 10 * Self.GiB, partSize: Self.MiB).fits(.s3))
    }
}
