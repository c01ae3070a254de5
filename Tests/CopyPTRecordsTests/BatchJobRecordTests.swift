import CopyPTRecords
import Foundation
import Testing

@Suite struct BatchJobRecordTests {
    static func record() throws -> TransferRecord {
        TransferRecord(
            id: "20261205-abc123", globusTaskID: "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002",
            from: try #require(S3Prefix(url: "s3://stg/run42/")), to: try #require(S3Prefix(url: "s3://dst/run42/")),
            globusPath: "/stg/run42/", createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test("engine options and the batch key survive a save and a load (the JSONDecoder path reads a record with a batch job)")
    func roundTrip() throws {
        var record = try Self.record()
        record.options.engine = .batch
        record.options.batchRoleARN = "arn:aws:iam::111122223333:role/copypt-batch"
        record.options.batchThreshold = 1000
        var batch = BatchJobRecord(
            clientRequestToken: "copypt-20261205-abc123", manifest: "s3://stg/.copypt/batch/20261205-abc123/manifest.csv",
            report: "s3://stg/.copypt/batch/20261205-abc123/report")
        batch.manifestETag = "\"abc-2\""
        batch.manifestObjects = 20_000
        batch.jobID = "job-0001"
        batch.status = "Active"
        batch.tasksTotal = 20_000
        batch.tasksSucceeded = 12
        batch.checkedAt = Date(timeIntervalSince1970: 1_800_000_100)
        record.batch = batch
        let data = try RecordCoding.encode(record)
        let loaded = try RecordCoding.decode(data, path: "r.json")
        #expect(loaded == record)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"job_id\"") && text.contains("\"engine\"") && text.contains("\"batch_role_arn\""))
    }

    @Test("a record of a direct copy is written without the new keys, so it reads as before; they read back as their defaults")
    func defaultsLeftOut() throws {
        let record = try Self.record()
        let data = try RecordCoding.encode(record)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("\"engine\"") && !text.contains("\"batch\"") && !text.contains("batch_threshold"))
        let loaded = try RecordCoding.decode(data, path: "r.json")
        #expect(loaded.options.engine == .auto && loaded.options.batchThreshold == 100_000 && loaded.batch == nil)
    }

    @Test("an unknown engine is refused as a corrupt record, not guessed")
    func unknownEngine() throws {
        let data = try RecordCoding.encode(try Self.record())
        var text = String(decoding: data, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"profile\" : null", with: "\"profile\" : null, \"engine\" : \"warp\"")
        #expect(text.contains("warp"))
        #expect(throws: (any Error).self) { try RecordCoding.decode(Data(text.utf8), path: "r.json") }
    }
}
