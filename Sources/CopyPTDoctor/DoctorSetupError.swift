/// Why `doctor` could not make a client: the settings copypt would use are unusable.
public struct DoctorSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, one line.
    public var description: String
    /// What to do about it, one line.
    public var fix: String

    /// A setup problem.
    public init(_ description: String, fix: String) {
        self.description = description
        self.fix = fix
    }
}
