import CopyPTPolicy

/// Everything `copypt doctor` found, in check order.
public struct DoctorReport: Sendable, Equatable {
    /// The checks, in the order they ran.
    public var checks: [DoctorCheck] = []
    /// The principal policies must name (from STS or `--principal`), when known.
    public var principal: PolicyPrincipal?

    /// An empty report.
    public init() {}

    /// 0 when nothing failed, 2 when a failure is in copypt's own settings, else 1.
    public var exitStatus: Int32 {
        let failed = checks.filter { $0.status == .failed }
        if failed.isEmpty { return 0 }
        return failed.contains(where: \.isConfiguration) ? 2 : 1
    }

    /// The missing policy statements of every failed check, merged per document (by kind),
    /// each statement once, the other account's documents first.
    public var missingPolicies: [PolicyDocument] {
        var merged: [PolicyDocument] = []
        for document in checks.flatMap(\.missing) {
            if let index = merged.firstIndex(where: { $0.kind == document.kind }) {
                let known = merged[index].statements.map { $0.rendered() }
                let added = document.statements.filter { !known.contains($0.rendered()) }
                merged[index].json = .object([
                    ("Version", .string(PolicyRenderer.version)), ("Statement", .array(merged[index].statements + added)),
                ])
            } else {
                merged.append(document)
            }
        }
        let order = PolicyDocument.Kind.allCases
        return merged.sorted { (order.firstIndex(of: $0.kind) ?? 0) < (order.firstIndex(of: $1.kind) ?? 0) }
    }

    mutating func add(_ check: DoctorCheck) {
        checks.append(check)
    }
}
