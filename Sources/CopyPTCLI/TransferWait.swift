import ArgumentParser
import CopyPTGlobus
import CopyPTRecords
import CopyPTSweep
import Foundation
import Logging

/// `copypt transfer --wait`: sweeps the one record (under its lock, as cron's sweep would)
/// every `--interval` until it is done, failed or cancelled, with a progress line on stderr
/// whenever it moves: Globus's files and bytes while the task runs, then the copy's objects and
/// bytes. Ctrl-C stops waiting (exit 130); the transfer goes on from cron.
struct TransferWait {
    let runner: TransferRunner
    let record: TransferRecord
    let store: RecordStore
    let services: SweepServices
    let logger: Logger

    func run() async throws {
        let context = runner.context
        let global = runner.command.global
        var configuration = SweepConfiguration(now: context.now)
        configuration.onlyIDs = [record.id]
        let sweeper = runner.makeSweeper(store: store, services: services, configuration: configuration, logger: logger)
        let printer = SweepPrinter(name: TransferRunner.name, json: global.json, verbose: global.verbose, quiet: global.quiet, context: context)
        let progress = WaitProgress(quiet: global.quiet || global.json, context: context)
        let id = record.id, store = self.store, services = self.services
        let interval = runner.command.interval.duration
        let status = await Interruption.cancellingOnSIGINT { () -> SweepExitStatus? in
            let status = await sweeper.repeatUntilIdle(interval: interval, onEvent: printer.print) { _ in
                guard let record = try? store.load(id) else { return }
                await progress.show(record, services: services)
            }
            return Task.isCancelled ? nil : status
        }
        let final = try? store.load(id)
        guard let status else {
            context.printError("\(TransferRunner.name): interrupted; transfer \(id) is \(final?.state.rawValue ?? "queued") and goes on from cron (`copypt sweep`)")
            throw ExitCode(130)
        }
        switch final?.state {
        case .done?: return
        case .failed?, .cancelled?: throw ExitCode(ExitStatus.failure.rawValue)
        default: throw ExitCode(status == .success ? SweepExitStatus.transient.rawValue : status.rawValue)
        }
    }
}

/// The `--wait` progress line, printed only when it changes.
final class WaitProgress: @unchecked Sendable {
    private let quiet: Bool
    private let context: CommandContext
    private let lock = NSLock()
    private var last = ""

    init(quiet: Bool, context: CommandContext) {
        self.quiet = quiet
        self.context = context
    }

    /// Prints where `record` stands: its Globus task's files and bytes while `waiting`, its
    /// copy's progress while `copying`.
    func show(_ record: TransferRecord, services: SweepServices) async {
        guard !quiet else { return }
        var line: String
        switch record.state {
        case .waiting:
            line = "Globus task \(record.globusTaskID): "
            if let task = try? await services.globusSource().client.task(id: record.globusTaskID) {
                line += task.status.rawValue
                if let files = task.files {
                    line += ", \(task.filesTransferred ?? 0)/\(files) files"
                }
                if let bytes = task.bytesTransferred { line += ", \(ByteCount.text(bytes))" }
                if let nice = task.niceStatus, task.status.rawValue == "INACTIVE" { line += " (\(nice))" }
            } else {
                line += record.globusStatus?.status ?? "waiting"
            }
        case .copying:
            let total = record.progress.objectsTotal.map { "/\($0)" } ?? ""
            line = "copying: \(record.progress.objectsDone)\(total) objects, \(ByteCount.text(record.progress.bytesDone))"
        default:
            return
        }
        let changed = lock.withLock { () -> Bool in
            defer { last = line }
            return line != last
        }
        if changed { context.printError("\(TransferRunner.name): \(record.id): \(line)") }
    }
}
