import CopyPTS3
import Foundation
import Testing

@testable import CopyPTSweep

/// The copy width lines of the metrics file (issue 16).
@Suite struct SweepMetricsConcurrencyTests {
    @Test("a sweep that copied reports adaptive concurrency's final and peak width and its cuts")
    func rendered() {
        var report = SweepReport(startedAt: Date(timeIntervalSince1970: 0))
        report.concurrency = CopyConcurrency(adaptive: true, peak: 256, final: 180, cuts: 2)
        let text = SweepMetrics.render(report)
        #expect(text.contains("copypt_copy_concurrency{kind=\"final\",mode=\"adaptive\"} 180\n"))
        #expect(text.contains("copypt_copy_concurrency{kind=\"peak\",mode=\"adaptive\"} 256\n"))
        #expect(text.contains("copypt_copy_concurrency_cuts 2\n"))
        #expect(text.contains("# TYPE copypt_copy_concurrency gauge\n"))
    }

    @Test("the sweep's report carries the width of the S3 engines it copied with; none when it copied nothing")
    func reported() async throws {
        let f = try SweepFixture()
        let width = CopyConcurrency(adaptive: true, peak: 64, final: 44, cuts: 1)
        f.s3.reportedConcurrency = width
        #expect(await f.sweep().concurrency == nil)
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a.h5"])
        f.tasks.set("t1", .succeeded)
        #expect(await f.sweep().concurrency == width)
    }

    @Test("a sweep that made no S3 engine writes no concurrency lines")
    func absent() {
        let text = SweepMetrics.render(SweepReport(startedAt: Date(timeIntervalSince1970: 0)))
        #expect(!text.contains("copypt_copy_concurrency"))
    }
}
