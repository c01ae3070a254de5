import ArgumentParser
import CopyPTRecords

// `copypt transfer --sync-level` parses straight into the record's enum, so `--help` lists the values.
extension TransferSubmission.SyncLevel: ExpressibleByArgument {}
