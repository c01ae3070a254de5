import CopyPTGlobus

// MARK: - 5. Globus

extension Doctor {
    func checkGlobus(report: inout DoctorReport) async {
        guard let task = input.globus else {
            report.add(DoctorCheck("Globus", .skipped, "no transfer record given (checked with `copypt doctor ID`)"))
            return
        }
        let client: GlobusTransferClient
        switch globus {
        case nil:
            report.add(DoctorCheck("Globus", .skipped, "not asked for (--no-globus)"))
            return
        case .failure(let problem)?:
            report.add(DoctorCheck("Globus login", .failed, problem.description, fix: problem.fix, isConfiguration: true))
            return
        case .success(let made)?:
            client = made
        }
        do {
            let who = try await client.whoami()
            let name = who.identityUsername ?? who.identityID ?? who.clientID ?? "the configured client"
            report.add(DoctorCheck("Globus login", .passed, "Globus Transfer accepts copypt's token (\(who.mode.rawValue): \(name))"))
        } catch let error as GlobusError {
            report.add(DoctorCheck("Globus login", .failed, "\(error)", fix: "run `copypt login` again, or check COPYPT_GLOBUS_CLIENT_ID/SECRET",
                                   isConfiguration: error.isAuthenticationFailure))
            return
        } catch {
            report.add(DoctorCheck("Globus login", .failed, "\(error)"))
            return
        }
        // A record `copypt transfer` has not submitted yet has no task to look at.
        guard !task.taskID.isEmpty else {
            report.add(DoctorCheck("Globus task", .skipped, "not submitted yet (state submitting): the next sweep or `copypt transfer` again submits it"))
            return
        }
        let found: CopyPTGlobus.GlobusTask
        do {
            found = try await client.task(id: task.taskID)
        } catch {
            report.add(DoctorCheck("Globus task", .failed, "\(error)",
                                   fix: "check the task id; a task is visible only to the identity or client that submitted it (`copypt whoami`)"))
            return
        }
        let label = found.label.map { " (\($0))" } ?? ""
        report.add(DoctorCheck("Globus task", .passed, "\(found.taskID)\(label) is \(found.status)"))
        guard found.status == .succeeded else {
            report.add(DoctorCheck("Globus paths", .skipped, "the task is \(found.status); where its files landed is known once it has succeeded"))
            return
        }
        do {
            let page = try await client.successfulTransfersPage(taskID: task.taskID, marker: nil)
            guard let first = page.transfers.first else {
                report.add(DoctorCheck("Globus paths", .passed, "successful_transfers is readable and lists no files"))
                return
            }
            if first.destinationPath.hasPrefix(task.globusPath) {
                report.add(DoctorCheck("Globus paths", .passed, "successful_transfers is readable; \(first.destinationPath) is under --globus-path \(task.globusPath)"))
            } else {
                report.add(DoctorCheck(
                    "Globus paths", .failed, "the task delivered \(first.destinationPath), which is not under --globus-path \(task.globusPath)",
                    fix: "add the transfer again with the --globus-path its collection uses for \(input.staging)"))
            }
        } catch {
            report.add(DoctorCheck("Globus paths", .failed, "successful_transfers: \(error)",
                                   fix: "the task's file list must be readable; check the task's history was not deleted"))
        }
    }
}
