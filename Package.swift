// swift-tools-version:6.1
// copypt — server-side S3 copies for Globus transfers. The targets below are the
// layering: S3 and Globus never import each other; Records imports only the JSON reader.
import PackageDescription

// Property tests hold the hand-written readers to a reference on generated and mutated input.
let propertyBased: Target.Dependency = .product(name: "PropertyBased", package: "swift-property-based")

let package = Package(
    name: "copypt",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "copypt", targets: ["copypt"]),
        .executable(name: "copypt-add", targets: ["copypt-add"]),
        .executable(name: "copypt-sweep", targets: ["copypt-sweep"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // MARK: - Libraries, one per concern
        .target(name: "CopyPTHTTP", dependencies: ["CCurl"]),
        .target(name: "CopyPTCrypto", dependencies: ["COpenSSL"]),
        .target(name: "CopyPTJSON"),
        .target(name: "CopyPTRecords", dependencies: ["CopyPTJSON"]),
        .target(
            name: "CopyPTS3",
            dependencies: [
                "CopyPTHTTP", "CopyPTCrypto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CopyPTGlobus",
            dependencies: [
                "CopyPTHTTP", "CopyPTCrypto", "CopyPTJSON",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // S3 Batch Operations: the S3 Control client, the manifest and the completion report.
        .target(
            name: "CopyPTBatch",
            dependencies: [
                "CopyPTRecords", "CopyPTS3", "CopyPTHTTP", "CopyPTCrypto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CopyPTSweep",
            dependencies: [
                "CopyPTRecords", "CopyPTS3", "CopyPTGlobus", "CopyPTBatch",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Notifications on outcomes (--notify-command, --notify-url) and dead-man pings.
        .target(name: "CopyPTNotify", dependencies: ["CopyPTHTTP", "CopyPTRecords"]),
        // The policies copypt's principal needs, rendered from the copy options (no network).
        .target(name: "CopyPTPolicy", dependencies: ["CopyPTRecords"]),
        // `copypt doctor`'s checks across the two accounts and Globus.
        .target(
            name: "CopyPTDoctor",
            dependencies: [
                "CopyPTRecords", "CopyPTS3", "CopyPTGlobus", "CopyPTPolicy", "CopyPTHTTP", "CopyPTBatch",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CopyPTCLI",
            dependencies: [
                "CopyPTSweep", "CopyPTRecords", "CopyPTS3", "CopyPTGlobus", "CopyPTHTTP", "CopyPTPolicy", "CopyPTDoctor",
                "CopyPTNotify", "CopyPTBatch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: - Executables (thin mains)
        .executableTarget(name: "copypt", dependencies: ["CopyPTCLI"]),
        .executableTarget(name: "copypt-add", dependencies: ["CopyPTCLI"]),
        .executableTarget(name: "copypt-sweep", dependencies: ["CopyPTCLI"]),

        // MARK: - Tests
        // Helpers shared by the tests: a stub transport, and launchers for moto_server and
        // the Globus emulator on free loopback ports.
        .target(
            name: "CopyPTTestSupport",
            dependencies: ["CopyPTHTTP"],
            path: "Tests/CopyPTTestSupport"
        ),
        .testTarget(name: "CopyPTHTTPTests", dependencies: ["CopyPTHTTP", "CopyPTTestSupport", propertyBased]),
        .testTarget(name: "CopyPTJSONTests", dependencies: ["CopyPTJSON", propertyBased]),
        .testTarget(name: "CopyPTCryptoTests", dependencies: ["CopyPTCrypto"]),
        .testTarget(name: "CopyPTRecordsTests", dependencies: ["CopyPTRecords", "CopyPTJSON", "CopyPTTestSupport", propertyBased]),
        .testTarget(
            name: "CopyPTS3Tests",
            dependencies: ["CopyPTS3", "CopyPTTestSupport", propertyBased],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CopyPTGlobusTests",
            dependencies: ["CopyPTGlobus", "CopyPTJSON", "CopyPTTestSupport", propertyBased],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CopyPTBatchTests", dependencies: ["CopyPTBatch", "CopyPTS3", "CopyPTRecords", "CopyPTTestSupport"]),
        .testTarget(name: "CopyPTSweepTests", dependencies: ["CopyPTSweep", "CopyPTTestSupport"]),
        .testTarget(name: "CopyPTPolicyTests", dependencies: ["CopyPTPolicy", "CopyPTRecords", "CopyPTTestSupport"]),
        .testTarget(name: "CopyPTDoctorTests", dependencies: ["CopyPTDoctor", "CopyPTPolicy", "CopyPTS3", "CopyPTRecords", "CopyPTTestSupport"]),
        .testTarget(name: "CopyPTNotifyTests", dependencies: ["CopyPTNotify", "CopyPTRecords", "CopyPTTestSupport"]),
        .testTarget(name: "CopyPTCLITests", dependencies: ["CopyPTCLI", "CopyPTTestSupport"]),
        .testTarget(
            name: "CopyPTIntegrationTests",
            dependencies: ["CopyPTCLI", "CopyPTSweep", "CopyPTS3", "CopyPTGlobus", "CopyPTDoctor", "CopyPTPolicy", "CopyPTTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
