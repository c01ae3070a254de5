import CopyPTBatch
import Testing

@Suite struct BatchReportTests {
    static let manifest = """
        {"Format":"Report_CSV_20180820","ReportCreationDate":"2026-12-05T23:00:00Z",
         "Results":[{"TaskExecutionStatus":"failed","Bucket":"stg","MD5Checksum":"x","Key":".copypt/batch/r/report/job-1/results/a.csv"}],
         "ReportSchema":"Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"}
        """

    @Test("the report manifest names the result files and the schema")
    func manifestFile() throws {
        let manifest = try BatchReport.manifest(Array(Self.manifest.utf8))
        #expect(manifest.results.count == 1)
        #expect(manifest.results[0].bucket == "stg")
        #expect(manifest.results[0].status == "failed")
        #expect(manifest.schema == BatchReport.defaultSchema)
    }

    @Test("rows in the examples' order (status before code) and in the schema's order read the same; quoted messages keep commas")
    func rows() throws {
        let examples = "stg,run42/a%20b.h5,,failed,500,InternalError,\"We encountered an internal error, please retry\"\nstg,run42/c.h5,,failed,403,AccessDenied,Access Denied\n"
        let schema = "stg,run42/a%20b.h5,,failed,InternalError,500,\"We encountered an internal error, please retry\"\r\n"
        let a = try BatchReport.results(Array(examples.utf8), schema: BatchReport.defaultSchema)
        let b = try BatchReport.results(Array(schema.utf8), schema: BatchReport.defaultSchema)
        #expect(a.count == 2)
        #expect(a[0] == b[0])
        #expect(a[0].key == "run42/a b.h5")
        #expect(a[0].httpStatus == 500 && a[0].errorCode == "InternalError" && a[0].isRetryable)
        #expect(a[0].message == "We encountered an internal error, please retry")
        #expect(a[1].httpStatus == 403 && !a[1].isRetryable)
    }

    @Test("a manifest without Results and a row without a key are refused, not guessed")
    func refusals() {
        #expect(throws: BatchReplyError.self) { try BatchReport.manifest(Array("{\"Format\":\"x\"}".utf8)) }
        #expect(throws: BatchReplyError.self) { try BatchReport.manifest(Array("not json".utf8)) }
        #expect(throws: BatchReplyError.self) { try BatchReport.results(Array("stg\n".utf8), schema: BatchReport.defaultSchema) }
        #expect(throws: BatchReplyError.self) { try BatchReport.results(Array("stg,a%zz,,failed,500,X,y\n".utf8), schema: BatchReport.defaultSchema) }
    }
}
