import CopyPTGlobus
import CopyPTHTTP
import CopyPTRecords
import CopyPTS3
import Foundation
import Logging

/// What `copypt add` checks before it writes anything (unless `--no-check`): that both buckets
/// exist and answer HeadBucket (which also tells their regions), and that the Globus task is
/// visible to the configured identity (`GET task/{id}`). A mistake is caught when it is made,
/// not by a sweep days later.
struct AddChecks {
    /// One thing wrong, as one line; `transient` when trying again later may help.
    struct Problem: Sendable, Equatable, CustomStringConvertible {
        var description: String
        var transient: Bool
    }

    let environment: [String: String]
    let logger: Logger

    /// Every problem found with `record` (none: go ahead). The three checks run at once.
    func problems(_ record: TransferRecord) async -> [Problem] {
        let transports: CurlTransports
        do {
            transports = CurlTransports(environment: environment, settings: try HTTPTimeoutSetting.applied(environment, to: .init()))
        } catch {
            return [Problem(description: "cannot start the HTTP client: \(error)", transient: false)]
        }
        let s3: S3Client
        do {
            let aws = try transports.aws(profile: record.options.profile)
            s3 = S3Client(transport: aws.transport, configuration: aws.configuration, logger: logger)
        } catch {
            let who = record.options.profile.map { "AWS profile \($0)" } ?? "the AWS configuration"
            async let task = globusProblem(record.globusTaskID, transports)
            return [Problem(description: "cannot use \(who) to check the buckets: \(error)", transient: false)]
                + [await task].compactMap { $0 }
        }
        async let staging = bucketProblem(s3, record.from.bucket, owner: record.options.sourceOwner, role: "staging", option: "--from")
        async let destination = bucketProblem(s3, record.to.bucket, owner: record.options.destOwner, role: "destination", option: "--to")
        async let task = globusProblem(record.globusTaskID, transports)
        return [await staging, await destination, await task].compactMap { $0 }
    }

    /// HeadBucket `bucket`: `nil` when it answers, else what is wrong.
    private func bucketProblem(_ s3: S3Client, _ bucket: String, owner: String?, role: String, option: String) async -> Problem? {
        do {
            let region = try await s3.headBucket(bucket, expectedOwner: owner)
            logger.debug("checked the \(role) bucket", metadata: ["bucket": "\(bucket)", "region": "\(region ?? s3.configuration.region)"])
            return nil
        } catch let error as S3Error {
            if error.isRetryable {
                return Problem(description: "cannot check the \(role) bucket \(bucket) now: \(error); try again, or pass --no-check", transient: true)
            }
            switch error.code ?? "" {
            case "NoSuchBucket":
                return Problem(description: "the \(role) bucket \(bucket) does not exist (HeadBucket 404); check \(option)", transient: false)
            case "AccessDenied", "Forbidden":
                let ownerNote = owner.map { ", or it is not owned by account \($0)" } ?? ""
                return Problem(
                    description: "the \(role) bucket \(bucket) refuses copypt's AWS identity (HeadBucket 403: it needs s3:ListBucket on it\(ownerNote)); fix its policy, or pass --no-check",
                    transient: false)
            default:
                return Problem(description: "cannot check the \(role) bucket \(bucket): \(error); or pass --no-check", transient: false)
            }
        } catch {
            return Problem(description: "cannot check the \(role) bucket \(bucket): \(error); or pass --no-check", transient: false)
        }
    }

    /// `GET task/{id}`: `nil` when the configured identity can see the task, else what is wrong.
    /// A record `copypt transfer` is about to submit has no task yet: nothing to check.
    private func globusProblem(_ taskID: String, _ transports: CurlTransports) async -> Problem? {
        if taskID.isEmpty { return nil }
        do {
            let transport = try transports.transport(caBundle: nil)
            let settings = try GlobusConfiguration.fromEnvironment(environment)
            let tokens = try GlobusTokenProvider.make(configuration: settings, transport: transport, logger: logger)
            let client = GlobusTransferClient(configuration: settings, transport: transport, tokens: tokens, logger: logger)
            let task = try await client.task(id: taskID)
            logger.debug("checked the Globus task", metadata: ["task": "\(taskID)", "status": "\(task.status)"])
            return nil
        } catch let error as GlobusError {
            if error.isRetryable {
                return Problem(description: "cannot check Globus task \(taskID) now: \(error); try again, or pass --no-check", transient: true)
            }
            return Problem(description: "\(error) (or pass --no-check to add it unchecked)", transient: false)
        } catch {
            return Problem(description: "cannot check Globus task \(taskID): \(error); or pass --no-check", transient: false)
        }
    }
}
