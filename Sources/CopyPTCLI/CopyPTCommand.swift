import ArgumentParser

/// The `copypt` command and its subcommands.
public struct CopyPTCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "copypt",
        abstract: "Copy what a Globus task delivered into your staging bucket on to another AWS account's bucket, server side.",
        discussion: """
            Globus writes into a staging bucket you own; copypt watches that Globus task and, once it \
            has succeeded, copies the delivered objects server side (CopyObject, or multipart \
            UploadPartCopy above 5 GiB) into the destination bucket, verifies them and records the outcome.

            Typical use: `copypt add --task UUID --from s3://STAGING/prefix/ --to s3://DEST/prefix/` \
            once per transfer, `copypt sweep --once` from cron, `copypt status` to look, `copypt \
            whoami` to check the Globus login and AWS credentials. Records \
            live in --state-dir, else $COPYPT_STATE_DIR, else $XDG_STATE_HOME/copypt, else \
            ~/.local/state/copypt (one JSON file per transfer under transfers/).

            EXIT STATUS
              0   success, including nothing to do
              1   a transfer failed permanently (see the message and `copypt status`)
              2   usage or configuration error; nothing was changed
              75  only transient trouble (network, throttling, 5xx); the next run retries
            """,
        version: CopyPTVersion.current,
        subcommands: [Add.self, Sweep.self, Status.self, Copy.self, Cancel.self, Retry.self, Login.self, Logout.self, Whoami.self, Auth.self, Doctor.self, Policy.self]
    )

    public init() {}
}

/// The version printed by `--version`.
public enum CopyPTVersion {
    public static let current = "0.1.0"
}
