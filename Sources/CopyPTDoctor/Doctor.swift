import CopyPTGlobus
import CopyPTPolicy
import CopyPTRecords
import CopyPTS3
import Foundation

/// `copypt doctor`'s checks, with the credentials and settings copypt itself would use: AWS
/// identity, the staging bucket and a staging object, the destination bucket, whether copypt
/// may write there (without writing, or with an opt-in probe object), and the Globus task.
///
/// Every check yields one ``DoctorCheck``; a failed check names what to do and the policy
/// statements that are missing. Checks that depend on an earlier one that failed are skipped.
public struct Doctor: Sendable {
    /// What to check.
    public let input: DoctorInput
    let s3: Result<S3Client, DoctorSetupError>
    let globus: Result<GlobusTransferClient, DoctorSetupError>?
    let probeSuffix: String
    let now: @Sendable () -> Date

    /// A doctor.
    /// - Parameters:
    ///   - input: the record's locations and options.
    ///   - s3: the S3 client for the record's profile, or why it could not be made.
    ///   - globus: the Globus Transfer client, why it could not be made, or `nil` to skip Globus.
    ///   - probeSuffix: the random part of the probe object's key.
    ///   - now: the clock SigV4 signs STS requests with.
    public init(
        input: DoctorInput, s3: Result<S3Client, DoctorSetupError>, globus: Result<GlobusTransferClient, DoctorSetupError>?,
        probeSuffix: String, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.input = input
        self.s3 = s3
        self.globus = globus
        self.probeSuffix = probeSuffix
        self.now = now
    }

    /// What earlier checks learnt that later ones use.
    struct Findings {
        var principal: PolicyPrincipal?
        var stagingObject: S3ObjectSummary?
        var stagingProbe: S3ObjectProbe?
        var destinationRegion: String?
        var stagingReadable = false
    }

    /// Runs every check in order.
    public func run() async -> DoctorReport {
        var report = DoctorReport()
        var findings = Findings()
        switch s3 {
        case .failure(let problem):
            report.add(DoctorCheck("AWS credentials", .failed, problem.description, fix: problem.fix, isConfiguration: true))
            for name in ["staging bucket", "destination bucket", "destination write"] {
                report.add(DoctorCheck(name, .skipped, "no AWS credentials"))
            }
        case .success(let client):
            guard await checkAWS(client, report: &report, findings: &findings) else {
                for name in ["staging bucket", "destination bucket", "destination write"] {
                    report.add(DoctorCheck(name, .skipped, "no AWS credentials"))
                }
                break
            }
            report.principal = findings.principal
            await checkStaging(client, report: &report, findings: &findings)
            await checkDestination(client, report: &report, findings: &findings)
            await checkWrite(client, report: &report, findings: &findings)
            await checkBatch(client, report: &report, findings: findings)
        }
        await checkGlobus(report: &report)
        return report
    }

    // MARK: - 1. Credentials and identity

    /// - Returns: `false` when there are no credentials, so no S3 check can run.
    func checkAWS(_ client: S3Client, report: inout DoctorReport, findings: inout Findings) async -> Bool {
        let configuration = client.configuration
        let profile = input.options.profile.map { "profile \($0)" } ?? "the default profile"
        do {
            _ = try await configuration.credentialProvider.credentials()
            report.add(DoctorCheck("AWS credentials", .passed, "\(profile): \(configuration.credentialSource)"))
        } catch {
            report.add(DoctorCheck(
                "AWS credentials", .failed, "\(profile): \(error)",
                fix: "set up the profile's credentials (`aws configure --profile NAME`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)",
                isConfiguration: true))
            return false
        }
        do {
            let identity = try await AWSCallerIdentity.fetch(configuration: configuration, transport: client.transport, now: now)
            var detail = "\(identity.arn) (account \(identity.account))"
            do {
                let principal = try PolicyPrincipal(callerARN: input.principalARN ?? identity.arn)
                findings.principal = principal
                if principal.arn != identity.arn { detail += "; policies name \(principal.arn)" }
                report.add(DoctorCheck("AWS identity", .passed, detail))
            } catch {
                // Only endpoints that are not AWS (moto: arn:aws:sts::…:user/moto) answer such ARNs.
                report.add(DoctorCheck("AWS identity", .passed, detail))
                report.add(DoctorCheck("policy principal", .skipped, "\(error)"))
            }
        } catch let error as CallerIdentityError {
            report.add(DoctorCheck(
                "AWS identity", .failed, "STS GetCallerIdentity: \(error)",
                fix: "check the credentials of \(profile) (`copypt whoami`)", isConfiguration: !error.isTransient))
            if let arn = input.principalARN { findings.principal = try? PolicyPrincipal(callerARN: arn) }
        } catch {
            report.add(DoctorCheck("AWS identity", .failed, "STS GetCallerIdentity: \(error)"))
        }
        return true
    }

    // MARK: - Policies

    /// The renderer for this input, when the principal is known.
    func renderer(_ findings: Findings, copiesTags: Bool? = nil) -> PolicyRenderer? {
        guard let principal = findings.principal else { return nil }
        let stagingKey = findings.stagingProbe?.kmsKeyID.flatMap { try? KMSKeyARN(parsing: $0) }
        return PolicyRenderer(input: PolicyInput(
            principal: principal, staging: input.staging, destination: input.destination, options: input.options,
            copiesTags: copiesTags ?? ((findings.stagingProbe?.tagCount ?? 0) > 0), stagingKMSKey: stagingKey))
    }

    /// The statements named by `sids` in every document that has them.
    func missing(_ findings: Findings, sids: Set<String>, kinds: Set<PolicyDocument.Kind> = Set(PolicyDocument.Kind.allCases)) -> [PolicyDocument] {
        guard let renderer = renderer(findings), let documents = try? renderer.documents() else { return [] }
        return documents.filter { kinds.contains($0.kind) }.map { $0.keeping(sids: sids) }.filter { !$0.statements.isEmpty }
    }
}
