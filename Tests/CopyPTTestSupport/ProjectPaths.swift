import Foundation

/// Paths inside the package checkout, found from this source file's location.
public enum ProjectPaths {
    /// The package root (the folder holding Package.swift).
    public static var root: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // CopyPTTestSupport
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // root
    }

    /// `scripts/<name>` in the checkout.
    public static func script(_ name: String) -> URL {
        root.appendingPathComponent("scripts").appendingPathComponent(name)
    }
}
