import ArgumentParser
import CopyPTGlobus
import CopyPTRecords
import CopyPTSweep
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// What `copypt transfer` does, step by step: find an earlier run's record or check and write a
/// new one (state `submitting`, with a fresh `submission_id`), submit it through the sweep's own
/// machinery under the record's lock, and with `--wait` sweep it until it is done.
struct TransferRunner {
    let command: CopyPTCommand.Transfer
    let context: CommandContext
    static let name = "copypt transfer"

    /// The steps at which `COPYPT_TEST_ABORT_AT` kills the process (SIGKILL), for the tests of
    /// a run killed mid-submission: after the submission id is fetched, after the record is
    /// written, and after Globus accepted the submission but before the record knows it.
    enum AbortPoint: String {
        case afterSubmissionID = "after-submission-id"
        case afterRecord = "after-record"
        case afterPost = "after-post"
    }

    func run() async throws {
        let global = command.global
        var logger = global.makeLogger(context)
        logger.logLevel = global.verbose ? .debug : (global.quiet ? .error : .warning)
        let store = try global.store(context)
        let now = context.now()
        var wanted = command.wanted(at: now)
        if let deadline = wanted.submission?.deadline, deadline <= now {
            throw fail("--deadline \(RFC3339.string(from: deadline)) is already past; give a later time or a duration like 2d", .usage)
        }
        let requestTimeout: Duration?
        do {
            requestTimeout = try HTTPTimeoutSetting.limit(context.environment)
        } catch {
            throw fail("\(error)", .usage)
        }
        let abortAt = context.environment["COPYPT_TEST_ABORT_AT"].flatMap(AbortPoint.init(rawValue:))
        let services = SweepServices(
            environment: context.environment, configuration: SweepConfiguration(now: context.now),
            requestTimeout: requestTimeout, logger: logger,
            afterSubmit: Self.hook(abortAt, at: .afterPost))

        var record: TransferRecord
        if let existing = try findExisting(wanted, store: store) {
            record = existing
            logger.debug("already recorded", metadata: ["id": "\(existing.id)", "state": "\(existing.state)"])
        } else {
            let client: GlobusTransferClient
            do {
                client = try services.globusSource().client
            } catch {
                throw fail("\(error)", .usage)
            }
            if !command.noCheck {
                let asked = wanted, environment = context.environment, checkLogger = logger
                async let s3 = AddChecks(environment: environment, logger: checkLogger).problems(asked)
                async let collections = TransferChecks(client: client, logger: checkLogger).problems(asked)
                let problems = await collections + s3
                if !problems.isEmpty {
                    for problem in problems { context.printError("\(Self.name): \(problem)") }
                    throw ExitCode(problems.allSatisfy(\.transient) ? ExitStatus.temporaryFailure.rawValue : ExitStatus.usage.rawValue)
                }
            }
            do {
                wanted.submission?.submissionID = try await client.submissionID()
            } catch {
                throw fail("\(error)", Self.status(error))
            }
            if abortAt == .afterSubmissionID { Self.abort() }
            record = try store.withCreationLock {
                if let existing = try findExisting(wanted, store: store) { return existing }
                return try CopyPTCommand.Add.createWithFreshID(wanted, in: store, at: now)
            }
            if abortAt == .afterRecord { Self.abort() }
        }

        if record.state == .submitting {
            let sweeper = makeSweeper(store: store, services: services, configuration: SweepConfiguration(now: context.now), logger: logger)
            let problems = SubmissionProblems()
            let report = await sweeper.submit(ids: [record.id], onEvent: problems.note)
            do {
                record = try store.load(record.id)
            } catch let error as RecordError {
                throw CLIError.record(error)
            }
            if record.state == .submitting {
                let status = report.exitStatus == .success ? SweepExitStatus.transient : report.exitStatus
                let why = problems.lines.isEmpty ? "" : problems.lines.joined(separator: "; ") + "; "
                context.printError("\(Self.name): \(why)transfer \(record.id) waits unsubmitted: "
                    + "run this command again, or let `copypt sweep` submit it")
                throw ExitCode(status.rawValue)
            }
        }
        if record.state == .failed {
            context.printError("\(Self.name): transfer \(record.id) failed: \(record.lastError?.message ?? "see `copypt status \(record.id)`"); "
                + "fix it, then `copypt retry \(record.id)`")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        if global.json {
            context.standardOutput(String(decoding: try RecordCoding.encode(record), as: UTF8.self))
        } else {
            context.print(record.id)
        }
        guard command.wait else { return }
        try await TransferWait(
            runner: self, record: record, store: store, services: services, logger: logger).run()
    }

    // MARK: - Steps

    /// An active (or failed) record made by an earlier `copypt transfer` of the same source,
    /// staging and destination; a conflict when it was asked for differently.
    private func findExisting(_ wanted: TransferRecord, store: RecordStore) throws -> TransferRecord? {
        let listing = try store.loadAll()
        guard let wantedSubmission = wanted.submission,
              let existing = listing.records.first(where: { record in
                  guard record.state != .cancelled, let submission = record.submission else { return false }
                  return submission.sourceCollection == wantedSubmission.sourceCollection
                      && submission.sourcePath == wantedSubmission.sourcePath
                      && submission.stagingCollection == wantedSubmission.stagingCollection
                      && record.from == wanted.from && record.to == wanted.to
              })
        else { return nil }
        let submission = existing.submission
        guard existing.globusPath == wanted.globusPath, existing.options == wanted.options, existing.label == wanted.label,
              submission?.syncLevel == wantedSubmission.syncLevel, submission?.verifyChecksum == wantedSubmission.verifyChecksum
        else {
            context.printError("\(Self.name): transfer \(existing.id) already sends \(wantedSubmission.sourceCollection):\(wantedSubmission.sourcePath) "
                + "to \(wanted.to.url) with other options; `copypt cancel \(existing.id)` first to submit it anew")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        return existing
    }

    func makeSweeper(store: RecordStore, services: SweepServices, configuration: SweepConfiguration, logger: Logger) -> Sweeper {
        Sweeper(
            store: store, configuration: configuration, tasks: services.lazyTaskSource,
            objectStores: { profile in try services.objectStore(profile: profile) }, logger: logger)
    }


    /// Prints `message`; the caller throws the exit code returned.
    func fail(_ message: String, _ status: ExitStatus) -> ExitCode {
        context.printError("\(Self.name): \(message)")
        return ExitCode(status.rawValue)
    }

    /// The exit status for a Globus error: 75 transient, 2 a person must act, 1 otherwise.
    static func status(_ error: any Error) -> ExitStatus {
        guard let error = error as? GlobusError else { return .failure }
        if error.isRetryable { return .temporaryFailure }
        if error.isAuthenticationFailure { return .usage }
        if case .configuration = error { return .usage }
        if case .authorizationRequired = error { return .usage }
        return .failure
    }

    /// The hook that kills the process at `point`, when that is the step asked for.
    static func hook(_ asked: AbortPoint?, at point: AbortPoint) -> (@Sendable () -> Void)? {
        guard asked == point else { return nil }
        return { abort() }
    }

    /// SIGKILL to this process: the test hook's "killed at this instant".
    static func abort() -> Never {
        kill(getpid(), SIGKILL)
        Foundation.exit(137)
    }
}
