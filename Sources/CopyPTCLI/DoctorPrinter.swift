import CopyPTDoctor
import CopyPTPolicy
import Foundation

/// Prints a doctor report: one line per check, then the missing policy statements; or one
/// JSON object with `--json`.
struct DoctorPrinter {
    let json: Bool
    let context: CommandContext

    func print(_ report: DoctorReport) {
        if json {
            let object: [String: Any] = [
                "ok": report.exitStatus == 0,
                "principal": report.principal?.arn ?? NSNull(),
                "checks": report.checks.map { check -> [String: Any] in
                    ["name": check.name, "status": check.status.rawValue, "detail": check.detail, "fix": check.fix ?? NSNull()]
                },
                "missing_policies": PolicyPrinter.jsonObjects(report.missingPolicies),
            ]
            context.print(PolicyPrinter.jsonText(object))
            return
        }
        for check in report.checks { context.print(check.line) }
        let missing = report.missingPolicies
        if !missing.isEmpty {
            context.print("")
            context.print("Missing policy statements (all of them: `copypt policy`):")
            PolicyPrinter(json: false, context: context).print(missing)
        }
    }
}
