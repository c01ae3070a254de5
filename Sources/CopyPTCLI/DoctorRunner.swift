import CopyPTDoctor
import CopyPTGlobus
import CopyPTHTTP
import CopyPTRecords
import CopyPTS3
import Foundation
import Logging

/// Makes the clients `copypt doctor` checks with (the same settings a sweep uses) and runs it.
struct DoctorRunner: Sendable {
    let context: CommandContext
    let logger: Logger

    func run(record: TransferRecord, fromRecord: Bool, principal: String?, writeProbe: Bool, globus checkGlobus: Bool) async -> DoctorReport {
        let input = DoctorInput(
            staging: record.from, destination: record.to, options: record.options, principalARN: principal, writeProbe: writeProbe,
            globus: fromRecord ? .init(taskID: record.globusTaskID, globusPath: record.globusPath) : nil)
        let transports = CurlTransports(environment: context.environment)
        let transport: CurlTransport
        do {
            transport = try transports.transport(caBundle: nil)
        } catch {
            let problem = DoctorSetupError("cannot start libcurl: \(error)", fix: "reinstall libcurl")
            return await Doctor(input: input, s3: .failure(problem), globus: nil, probeSuffix: "").run()
        }
        let s3: Result<S3Client, DoctorSetupError>
        do {
            let aws = try transports.aws(profile: record.options.profile, now: context.now)
            s3 = .success(S3Client(transport: aws.transport, configuration: aws.configuration, logger: logger))
        } catch {
            let who = record.options.profile.map { "AWS profile \($0)" } ?? "the AWS configuration"
            s3 = .failure(DoctorSetupError("cannot use \(who): \(error)", fix: "fix the profile in ~/.aws/config or the AWS_* variables (`copypt whoami` shows what works)"))
        }
        var globus: Result<GlobusTransferClient, DoctorSetupError>?
        if checkGlobus && fromRecord {
            do {
                let configuration = try GlobusConfiguration.fromEnvironment(context.environment)
                let tokens = try GlobusTokenProvider.make(configuration: configuration, transport: transport, logger: logger, now: context.now)
                globus = .success(GlobusTransferClient(configuration: configuration, transport: transport, tokens: tokens, logger: logger, now: context.now))
            } catch {
                globus = .failure(DoctorSetupError("\(error)", fix: "run `copypt login`, or set COPYPT_GLOBUS_CLIENT_ID and COPYPT_GLOBUS_CLIENT_SECRET"))
            }
        }
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return await Doctor(input: input, s3: s3, globus: globus, probeSuffix: suffix, now: context.now).run()
    }
}
