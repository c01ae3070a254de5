import CopyPTPolicy
import CopyPTRecords
import CopyPTS3

// MARK: - 4. May copypt write to the destination?

extension Doctor {
    /// The ETag a probe without `--write-probe` sends as `x-amz-copy-source-if-match`: no
    /// object has it, so a copy S3 authorizes is refused with 412 and nothing is written.
    static let impossibleETag = "\"00000000000000000000000000000000\""

    func checkWrite(_ client: S3Client, report: inout DoctorReport, findings: inout Findings) async {
        let name = input.writeProbe ? "destination write (probe object)" : "destination write (no-write probe)"
        guard let object = findings.stagingObject, findings.stagingReadable else {
            report.add(DoctorCheck(name, .skipped, "no readable staging object to copy from"))
            return
        }
        let probeKey = S3Location(bucket: input.destination.bucket, key: input.destination.prefix + ".copypt-doctor-probe-" + probeSuffix)
        let item = CopyItem(
            source: S3Location(bucket: input.staging.bucket, key: object.key), destination: probeKey, size: object.size,
            eTag: input.writeProbe ? object.eTag : Self.impossibleETag)
        let options = Self.s3Options(input.options)
        var leftovers: [String] = []
        let first = await attempt(client, item, options, leftovers: &leftovers)
        if first == .permitted || first == .copiedDespitePrecondition {
            let verdict = input.writeProbe
                ? "CopyObject to \(probeKey) with the record's options succeeded"
                : first == .copiedDespitePrecondition
                    ? "the endpoint copied although x-amz-copy-source-if-match could not match (it ignores the precondition); the copy was allowed"
                    : "CopyObject with the record's options was refused only by its precondition (412): S3 allowed the write as far as it checks before preconditions; --write-probe also proves the ACL, KMS and owner checks"
            report.add(DoctorCheck(name, .passed, verdict))
        } else if case .refused(let error) = first {
            report.add(await diagnose(error, client: client, item: item, options: options, findings: findings, name: name, leftovers: &leftovers))
        }
        await deleteProbe(client, probeKey, wrote: !leftovers.isEmpty, report: &report)
    }

    /// One CopyObject; notes in `leftovers` when an object was written.
    func attempt(_ client: S3Client, _ item: CopyItem, _ options: CopyPTS3.CopyOptions, leftovers: inout [String]) async -> WriteProbeOutcome {
        do {
            _ = try await client.copyObject(item, options: options)
            leftovers.append(item.destination.key)
            return input.writeProbe ? .permitted : .copiedDespitePrecondition
        } catch let error as S3Error {
            if !input.writeProbe, error.status == 412 || error.code == "PreconditionFailed" { return .permitted }
            return .refused(error)
        } catch {
            return .refused(.invalidRequest("\(error)"))
        }
    }

    /// Tells the failure classes apart: by the error code, else by one retry with a single
    /// option removed (expected owners, the ACL header, SSE-KMS).
    func diagnose(
        _ error: S3Error, client: S3Client, item: CopyItem, options: CopyPTS3.CopyOptions, findings: Findings, name: String,
        leftovers: inout [String]
    ) async -> DoctorCheck {
        // An SSE-KMS staging object needs kms:Decrypt on its key in copypt's own account.
        let stagingKey = findings.stagingProbe?.serverSideEncryption == "aws:kms" ? findings.stagingProbe?.kmsKeyID : nil
        let key = input.options.sseKMSKeyID ?? stagingKey ?? "the KMS key"
        let keyMissing = missing(
            findings, sids: [PolicyRenderer.Sid.useDestinationKey, PolicyRenderer.Sid.decryptStagingObjects],
            kinds: [.destinationKeyPolicy, .stagingKeyPolicy, .identityPolicy])
        let keyFix = input.options.sseKMSKeyID == nil && stagingKey != nil
            ? "the key policy of \(key) (the staging objects' key) must allow kms:Decrypt for copypt's principal"
            : "the destination account must let copypt's principal use \(key) (kms:GenerateDataKey, kms:Encrypt) in its key policy"
        switch WriteProbeOutcome.refusal(error) {
        case .aclNotSupported:
            return DoctorCheck(name, .failed, "\(error)", fix: "the bucket has ACLs disabled (Object Ownership: bucket owner enforced): use --acl none")
        case .kmsKeyNotFound:
            return DoctorCheck(name, .failed, "\(error)", fix: "KMS key \(key) does not exist for S3 in the bucket's region: check the key ARN with the destination account")
        case .kmsDenied:
            return DoctorCheck(name, .failed, "\(error)", fix: keyFix, missing: keyMissing)
        case .region:
            return DoctorCheck(name, .failed, "\(error)", fix: "the bucket is in another region than requests are signed for: set AWS_REGION to the bucket's region (shown above)")
        case .other:
            return DoctorCheck(name, .failed, "\(error)")
        case .accessDenied:
            break
        }
        if options.destinationOwner != nil || options.sourceOwner != nil {
            var without = options
            without.destinationOwner = nil
            without.sourceOwner = nil
            if !(await isRefused(client, item, without, &leftovers)) {
                return DoctorCheck(name, .failed, "refused with the expected bucket owners, allowed without: \(error)",
                                   fix: "a bucket is not owned by the account given with --dest-owner/--source-owner: check them")
            }
        }
        if options.acl != nil {
            var without = options
            without.acl = nil
            if !(await isRefused(client, item, without, &leftovers)) {
                return DoctorCheck(name, .failed, "refused with x-amz-acl: bucket-owner-full-control, allowed without: s3:PutObjectAcl is missing",
                                   fix: "the destination account must grant s3:PutObjectAcl (or use --acl none if its bucket has ACLs disabled)",
                                   missing: missing(findings, sids: [PolicyRenderer.Sid.putObjectACL], kinds: [.destinationBucketPolicy, .identityPolicy]))
            }
        }
        if case .kms = options.serverSideEncryption {
            var without = options
            without.serverSideEncryption = nil
            if !(await isRefused(client, item, without, &leftovers)) {
                return DoctorCheck(name, .failed, "refused with SSE-KMS (\(key)), allowed without: the key does not let copypt use it",
                                   fix: "the destination account must grant kms:GenerateDataKey and kms:Encrypt on \(key)", missing: keyMissing)
            }
        }
        let sids: Set<String> = [PolicyRenderer.Sid.writeDestination, PolicyRenderer.Sid.listOpenUploads, PolicyRenderer.Sid.putObjectACL]
        return DoctorCheck(name, .failed, "\(error)",
                           fix: "the destination account must grant copypt's principal s3:PutObject on \(input.destination) in its bucket policy (and your account in copypt's identity policy)",
                           missing: missing(findings, sids: sids, kinds: [.destinationBucketPolicy, .identityPolicy]))
    }

    func isRefused(_ client: S3Client, _ item: CopyItem, _ options: CopyPTS3.CopyOptions, _ leftovers: inout [String]) async -> Bool {
        if case .refused = await attempt(client, item, options, leftovers: &leftovers) { return true }
        return false
    }

    /// Deletes the probe object when one was written; a refused delete is reported, not failed.
    func deleteProbe(_ client: S3Client, _ probe: S3Location, wrote: Bool, report: inout DoctorReport) async {
        guard wrote else { return }
        do {
            try await client.deleteObject(probe, expectedOwner: input.options.destOwner)
            report.add(DoctorCheck("probe object", .passed, "\(probe) deleted"))
        } catch {
            report.add(DoctorCheck("probe object", .skipped, "\(probe) remains (DeleteObject refused: \(error)); the destination account may delete it"))
        }
    }

    /// The engine's options for a record's options, as the sweep sends them.
    static func s3Options(_ options: CopyPTRecords.CopyOptions) -> CopyPTS3.CopyOptions {
        let sse: CopyPTS3.CopyOptions.ServerSideEncryption?
        switch options.sse {
        case .aes256: sse = .aes256
        case .awsKMS: sse = .kms(keyID: options.sseKMSKeyID)
        case nil: sse = options.sseKMSKeyID.map { .kms(keyID: $0) }
        }
        return CopyPTS3.CopyOptions(
            acl: options.acl == .bucketOwnerFullControl ? .bucketOwnerFullControl : nil,
            storageClass: options.storageClass?.rawValue, serverSideEncryption: sse,
            destinationOwner: options.destOwner, sourceOwner: options.sourceOwner)
    }
}
