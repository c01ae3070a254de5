import ArgumentParser
import CopyPTRecords

// The closed sets of `copypt add` options are parsed straight into the record's enums, so
// `--help` lists their values. Storage classes are accepted in any case.

extension CopyOptions.ACL: ExpressibleByArgument {}

extension CopyOptions.Encryption: ExpressibleByArgument {}

extension CopyOptions.StorageClass: ExpressibleByArgument {
    /// Parses a storage class name, ignoring case.
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}
