import CopyPTPolicy
import CopyPTS3

// MARK: - 2. Staging and 3. destination

extension Doctor {
    func checkStaging(_ client: S3Client, report: inout DoctorReport, findings: inout Findings) async {
        let bucket = input.staging.bucket
        let owner = input.options.sourceOwner
        guard await checkBucket(client, "staging bucket", bucket, owner: owner, ownerOption: "--source-owner",
                                needsList: true, report: &report, findings: findings) != nil else {
            report.add(DoctorCheck("staging objects", .skipped, "the staging bucket did not answer"))
            return
        }
        let page: S3ListPage
        do {
            page = try await client.listObjectsV2(bucket: bucket, prefix: input.staging.prefix, maxKeys: 1000, expectedOwner: owner)
        } catch {
            report.add(DoctorCheck(
                "staging listing", .failed, "\(error)", fix: "grant copypt's principal s3:ListBucket on arn:aws:s3:::\(bucket)",
                missing: missing(findings, sids: [PolicyRenderer.Sid.listStaging], kinds: [.identityPolicy])))
            return
        }
        // The smallest object: the write probe copies it.
        guard let object = page.objects.min(by: { ($0.size, $0.key) < ($1.size, $1.key) }) else {
            report.add(DoctorCheck("staging listing", .passed, "no objects under \(input.staging) yet"))
            report.add(DoctorCheck("staging object", .skipped, "nothing under \(input.staging) to read yet; run doctor again once Globus has delivered a file"))
            return
        }
        findings.stagingObject = object
        let more = page.nextContinuationToken == nil ? "" : " (first page)"
        report.add(DoctorCheck("staging listing", .passed, "\(page.objects.count) objects under \(input.staging)\(more)"))
        let location = S3Location(bucket: bucket, key: object.key)
        let probe: S3ObjectProbe
        do {
            probe = try await client.probeObject(location, expectedOwner: owner)
        } catch {
            report.add(DoctorCheck(
                "staging object", .failed, "\(error)", fix: "grant copypt's principal s3:GetObject on \(input.staging)",
                missing: missing(findings, sids: [PolicyRenderer.Sid.readStaging], kinds: [.identityPolicy])))
            return
        }
        findings.stagingProbe = probe
        findings.stagingReadable = true
        var detail = "HeadObject \(location): \(probe.size) bytes"
        if let sse = probe.serverSideEncryption { detail += ", \(sse)" }
        if let key = probe.kmsKeyID { detail += " with \(key)" }
        report.add(DoctorCheck("staging object", .passed, detail))
        if probe.tagCount > 0 {
            do {
                let tags = try await client.getObjectTagging(location, expectedOwner: owner)
                report.add(DoctorCheck("staging tags", .passed, "\(tags.count) tags, copied with each object (needs s3:PutObjectTagging on the destination)"))
            } catch {
                report.add(DoctorCheck(
                    "staging tags", .failed, "\(error)", fix: "grant copypt's principal s3:GetObjectTagging on \(input.staging)",
                    missing: missing(findings, sids: [PolicyRenderer.Sid.readStaging], kinds: [.identityPolicy])))
            }
        } else {
            report.add(DoctorCheck("staging tags", .skipped, "the object has no tags, so none are copied"))
        }
        if probe.serverSideEncryption == "aws:kms" {
            let key = probe.kmsKeyID ?? "its KMS key"
            report.add(DoctorCheck(
                "staging KMS key", .skipped,
                input.writeProbe ? "kms:Decrypt on \(key) is checked by the write probe below"
                    : "copies need kms:Decrypt on \(key), which only a real copy shows: run with --write-probe"))
        }
    }

    func checkDestination(_ client: S3Client, report: inout DoctorReport, findings: inout Findings) async {
        let region = await checkBucket(
            client, "destination bucket", input.destination.bucket, owner: input.options.destOwner, ownerOption: "--dest-owner",
            needsList: false, report: &report, findings: findings)
        findings.destinationRegion = region ?? nil
        guard let keyID = input.options.sseKMSKeyID ?? (input.options.sse == .awsKMS ? "" : nil) else { return }
        do {
            let key = try KMSKeyARN(parsing: keyID)
            if let bucketRegion = region ?? nil, bucketRegion != key.region {
                report.add(DoctorCheck(
                    "destination KMS key", .failed, "\(key.arn) is in \(key.region), the bucket in \(bucketRegion)",
                    fix: "SSE-KMS needs a key in the bucket's region: ask the destination account for a key in \(bucketRegion)"))
            } else {
                report.add(DoctorCheck("destination KMS key", .passed, "\(key.arn), in the bucket's region \(key.region)"))
            }
        } catch {
            let problem = keyID.isEmpty ? PolicyError.kmsKeyMissing : error
            report.add(DoctorCheck("destination KMS key", .failed, "\(problem)", fix: "give the key ARN with --sse-kms-key-id"))
        }
    }

    /// HeadBucket with the expected owner; a refusal is retried once without it to tell a
    /// wrong owner from a missing permission.
    /// - Returns: `nil` when the bucket did not answer, else its region (`.some(nil)`: not named).
    func checkBucket(
        _ client: S3Client, _ name: String, _ bucket: String, owner: String?, ownerOption: String, needsList: Bool,
        report: inout DoctorReport, findings: Findings
    ) async -> String?? {
        let probe: S3BucketProbe
        do {
            probe = try await client.probeBucket(bucket, expectedOwner: owner)
        } catch let error as S3Error {
            if error.status == 403, owner != nil, (try? await client.probeBucket(bucket)) != nil {
                report.add(DoctorCheck(
                    name, .failed, "s3://\(bucket) is not owned by account \(owner ?? "") (x-amz-expected-bucket-owner refused)",
                    fix: "check \(ownerOption) and the bucket name"))
                return nil
            }
            if error.status == 403, !needsList {
                // Copies do not need HeadBucket on the other account's bucket.
                report.add(DoctorCheck(name, .skipped, "HeadBucket s3://\(bucket) was refused without naming a region; the write check below tells more"))
                return .some(nil)
            }
            report.add(DoctorCheck(
                name, .failed, "\(error)",
                fix: error.code == "NoSuchBucket" ? "check the bucket name" : "grant copypt's principal s3:ListBucket on arn:aws:s3:::\(bucket)",
                missing: needsList ? missing(findings, sids: [PolicyRenderer.Sid.listStaging], kinds: [.identityPolicy]) : []))
            return nil
        } catch {
            report.add(DoctorCheck(name, .failed, "\(error)"))
            return nil
        }
        let region = probe.region.map { "region \($0)" } ?? "region not named by the endpoint"
        let owned = owner.map { ", owned by \($0)" } ?? ""
        if probe.status == 403 {
            // Copies need no HeadBucket: a refusal that names the region is answer enough (a
            // listing grant limited by s3:prefix refuses HeadBucket, which has no prefix).
            let unchecked = owner == nil ? "" : needsList ? "; the owner is checked by the listing" : "; the owner is checked by the write check"
            let needed = needsList ? "the prefix listing below is what copies need" : "copies do not need it"
            report.add(DoctorCheck(name, .passed, "s3://\(bucket) exists, \(region) (HeadBucket refused; \(needed)\(unchecked))"))
        } else {
            report.add(DoctorCheck(name, .passed, "s3://\(bucket), \(region)\(owned)"))
        }
        return .some(probe.region)
    }
}
