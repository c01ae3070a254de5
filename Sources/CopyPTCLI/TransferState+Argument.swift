import ArgumentParser
import CopyPTRecords

// `copypt status --state failed` parses straight into the record's enum, so `--help` lists the states.
extension TransferState: ExpressibleByArgument {}
