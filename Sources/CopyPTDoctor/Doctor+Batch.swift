import CopyPTBatch
import CopyPTPolicy
import CopyPTS3

// MARK: - 5. S3 Batch Operations (only with --batch-role-arn and an engine that may use it)

extension Doctor {
    /// The role's ARN and account, where copypt may create the jobs (S3 Control answers a
    /// DescribeJob of a job that does not exist with NotFound when copypt may ask), and the
    /// `.copypt/batch/` prefix of staging copypt keeps manifests and reports in.
    func checkBatch(_ client: S3Client, report: inout DoctorReport, findings: Findings) async {
        guard input.options.engine != .direct, let role = input.options.batchRoleARN else { return }
        let roleDocuments: Set<PolicyDocument.Kind> = [.batchRoleTrustPolicy, .batchRolePolicy]
        guard let account = BatchEligibility.accountID(ofRole: role) else {
            report.add(DoctorCheck("batch role", .failed, "\(role) is not an IAM role ARN", fix: "re-add the transfer with --batch-role-arn arn:aws:iam::ACCOUNT:role/NAME", isConfiguration: true))
            return
        }
        if let principal = findings.principal, principal.account != account {
            report.add(DoctorCheck(
                "batch role", .failed, "the role is in account \(account), copypt's principal in \(principal.account); jobs run in the account that creates them",
                fix: "create the role in account \(principal.account) with the policies below", missing: missing(findings, sids: allBatchSids, kinds: roleDocuments),
                isConfiguration: true))
        } else if let obstacle = BatchEligibility.obstacle(options: input.options, from: input.staging, to: input.destination) {
            report.add(DoctorCheck("batch role", .failed, "this transfer cannot go to S3 Batch Operations: \(obstacle)",
                                   fix: "copypt copies it directly; drop --batch-role-arn or change the destination", isConfiguration: true))
        } else {
            report.add(DoctorCheck("batch role", .passed, "\(role): its trust and permissions policies are below (`copypt policy` prints them)",
                                   missing: missing(findings, sids: allBatchSids, kinds: roleDocuments)))
        }
        let control = S3ControlClient(transport: client.transport, configuration: client.configuration, retryPolicy: NoRetryPolicy(), logger: client.logger)
        do {
            _ = try await control.describeJob(accountID: account, jobID: "copypt-doctor-probe")
            report.add(DoctorCheck("S3 Control", .passed, "DescribeJob answers"))
        } catch let error as S3Error where error.status == 404 || ["NotFoundException", "NoSuchJob"].contains(error.code ?? "") {
            report.add(DoctorCheck("S3 Control", .passed, "DescribeJob answers (no such job, as expected): copypt may ask about jobs"))
        } catch let error as S3Error where error.status == 403 {
            report.add(DoctorCheck(
                "S3 Control", .failed, "\(error)", fix: "grant copypt's principal s3:CreateJob, s3:DescribeJob and iam:PassRole on \(role)",
                missing: missing(findings, sids: [PolicyRenderer.BatchSid.createJob, PolicyRenderer.BatchSid.describeJobs, PolicyRenderer.BatchSid.passRole], kinds: [.identityPolicy])))
        } catch {
            report.add(DoctorCheck("S3 Control", .failed, "\(error)", fix: "check the network and AWS_ENDPOINT_URL_S3_CONTROL"))
        }
        do {
            _ = try await client.listObjectsV2(bucket: input.staging.bucket, prefix: ".copypt/batch/", maxKeys: 1, expectedOwner: input.options.sourceOwner)
            report.add(DoctorCheck("batch files", .passed, "copypt may list s3://\(input.staging.bucket)/.copypt/batch/ (manifests and reports)"))
        } catch {
            report.add(DoctorCheck(
                "batch files", .failed, "\(error)", fix: "grant copypt's principal s3:ListBucket, s3:PutObject, s3:GetObject and s3:DeleteObject on s3://\(input.staging.bucket)/.copypt/batch/",
                missing: missing(findings, sids: [PolicyRenderer.BatchSid.batchFiles, PolicyRenderer.BatchSid.listBatchFiles], kinds: [.identityPolicy])))
        }
    }

    private var allBatchSids: Set<String> {
        [PolicyRenderer.BatchSid.trust, PolicyRenderer.BatchSid.readStaging, PolicyRenderer.BatchSid.listStaging,
         PolicyRenderer.BatchSid.readManifest, PolicyRenderer.BatchSid.writeReport, PolicyRenderer.BatchSid.writeDestination]
    }
}
