import Foundation

extension Sweeper {
    /// Sweeps every `interval` until no transfer is waiting or copying (or a configuration error
    /// makes repeating pointless).
    /// - Parameters:
    ///   - interval: the time between the start of one sweep and the next (waited with
    ///     ``SweepConfiguration/sleep``).
    ///   - onEvent: as for ``sweep(onEvent:)``.
    ///   - onReport: called after each sweep (metrics file, summary line).
    /// - Returns: the status of the whole run: a permanent failure or configuration error in
    ///   any sweep counts; transient trouble only if the last sweep met it.
    public func repeatUntilIdle(
        interval: Duration,
        onEvent: @escaping @Sendable (SweepEvent) -> Void,
        onReport: (SweepReport) async -> Void
    ) async -> SweepExitStatus {
        var worst = SweepExitStatus.success
        let clock = ContinuousClock()
        while true {
            let started = clock.now
            let report = await sweep(onEvent: onEvent)
            await onReport(report)
            let status = report.exitStatus
            if status == .configuration || (status == .permanentFailure && worst != .configuration) { worst = status }
            if report.activeTransfers == 0 || status == .configuration || configuration.dryRun {
                return worst == .success ? status : worst
            }
            let remaining = interval - (clock.now - started)
            do {
                if remaining > .zero { try await configuration.sleep(remaining) }
            } catch {
                return worst == .success ? status : worst
            }
        }
    }
}
