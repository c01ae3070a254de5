import CopyPTSweep
import Foundation

/// The sweep's once-a-day notices in text mode: a broken Globus login is said at most once a day
/// (or when its reason changes), not at every cron run, and an old login renewal is warned about
/// likewise. The exit status still says 2 at every run, for monitoring; `--json` output is never
/// held back.
struct SweepNotices: Sendable {
    /// Run-error codes meaning the Globus login is broken or lacks a consent or session
    /// (`ConsentRequired`, `AuthorizationRequired`, `AuthenticationRequired`: a `copypt login …` fixes them).
    static let loginCodes: Set<String> = ["GlobusLoginRequired", "GlobusClientRejected", "ConsentRequired", "AuthorizationRequired", "AuthenticationRequired"]

    /// `nil` when there is nowhere to remember them (no HOME): then every notice is said.
    let notices: DailyNotices?
    let name: String
    let json: Bool
    let quiet: Bool
    let context: CommandContext

    init(name: String, json: Bool, quiet: Bool, context: CommandContext) {
        notices = DailyNotices.path(environment: context.environment).map { DailyNotices(path: $0, now: context.now) }
        self.name = name
        self.json = json
        self.quiet = quiet
        self.context = context
    }

    /// `print`, holding back a login run error already said within the day.
    func filter(_ print: @escaping @Sendable (SweepEvent) -> Void) -> @Sendable (SweepEvent) -> Void {
        { event in
            if !json, case .runError(let error) = event, Self.loginCodes.contains(error.code) {
                guard notices?.shouldSay("globus_login", reason: error.code + " " + error.description) ?? true else { return }
                print(event)
                context.printError("\(name): note: this is said once a day while it lasts; the exit status is 2 at every run")
                return
            }
            print(event)
        }
    }

    /// After the sweep(s): forgets a broken login once Globus answered without one, warns (once a
    /// day) about a login last renewed longer than `warnRefreshAge` ago, and saves the notices.
    func finish(globusAnswered: Bool, loginFailed: Bool, warnRefreshAge: Duration) {
        if globusAnswered && !loginFailed { notices?.clear("globus_login") }
        if let warning = LoginRenewal.current(environment: context.environment)?.warning(at: context.now(), limit: warnRefreshAge) {
            if !json && !quiet && (notices?.shouldSay("refresh_age", reason: "old") ?? true) {
                context.printError("\(name): warning: \(warning)")
            }
        } else {
            notices?.clear("refresh_age")
        }
        notices?.save()
    }
}
