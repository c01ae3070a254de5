import CopyPTPolicy

/// One line of `copypt doctor`: what was checked, how it went, and what to do about it.
public struct DoctorCheck: Sendable, Equatable {
    /// How a check went.
    public enum Status: String, Sendable, Hashable {
        /// ✓
        case passed
        /// ✗
        case failed
        /// – (could not or need not be checked; the detail says why)
        case skipped

        /// ✓, ✗ or –.
        public var symbol: String {
            switch self {
            case .passed: return "✓"
            case .failed: return "✗"
            case .skipped: return "–"
            }
        }
    }

    /// A few words naming the check, e.g. `destination write`.
    public var name: String
    /// How it went.
    public var status: Status
    /// One line: what was found.
    public var detail: String
    /// One line: what to do, for a failed check.
    public var fix: String?
    /// The policy statements whose absence explains a failure (printed after the checks).
    public var missing: [PolicyDocument]
    /// `true` when the failure is in copypt's own settings (credentials, Globus login), which
    /// makes `doctor` exit 2 rather than 1.
    public var isConfiguration: Bool

    /// A check result; `fix`, `missing` and `isConfiguration` default to none.
    public init(
        _ name: String, _ status: Status, _ detail: String, fix: String? = nil, missing: [PolicyDocument] = [],
        isConfiguration: Bool = false
    ) {
        self.name = name
        self.status = status
        self.detail = detail
        self.fix = fix
        self.missing = missing
        self.isConfiguration = isConfiguration
    }

    /// `✓ name: detail`, or `✗ name: detail → fix`, on one line.
    public var line: String {
        let text = "\(status.symbol) \(name): \(detail)"
        guard let fix, status == .failed else { return Self.oneLine(text) }
        return Self.oneLine(text + " → " + fix)
    }

    /// Line breaks from server messages become spaces: every check is one line.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
