import Foundation

/// Where the things under test live, derived from this file's place in the package
/// (`Tests/GatewayTestSupport/TestPaths.swift`), never from an absolute path.
///
/// `make test` sets `PMS_GATEWAYD` and `PMS_GATEWAY_TOOLS`; a bare `swift test` falls back to the
/// debug build and `.tools/` beside the package.
public enum TestPaths {
    /// The package root: the directory holding `Package.swift`.
    public static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// `config/`: the default config and MOSIP's reference files the daemon ships with.
    public static var configDirectory: String { "\(packageRoot)/config" }

    /// `Tests/Fixtures/`: helper programs and data the tests run.
    public static func fixture(_ name: String) -> String { "\(packageRoot)/Tests/Fixtures/\(name)" }

    /// A reference file (`sample-auth-policy.json`, `identity-mapping.json`, ...): the package's
    /// `config/` copy, or `../shared/reference/` beside the package for files `config/` lacks.
    public static func reference(_ name: String) -> String {
        let local = "\(configDirectory)/\(name)"
        if access(local, F_OK) == 0 { return local }
        return URL(fileURLWithPath: "\(packageRoot)/../shared/reference/\(name)").standardized.path
    }

    /// The daemon binary under test.
    public static var daemon: String {
        ProcessInfo.processInfo.environment["PMS_GATEWAYD"] ?? "\(packageRoot)/.build/debug/pms-gatewayd"
    }

    /// The command line under test (`pms-gateway`): `PMS_GATEWAY_CLI`, else the binary beside
    /// the daemon under test, which is where one `swift build` puts both.
    public static var cli: String {
        let environment = ProcessInfo.processInfo.environment
        if let cli = environment["PMS_GATEWAY_CLI"] { return cli }
        return URL(fileURLWithPath: daemon).deletingLastPathComponent().appendingPathComponent("pms-gateway").path
    }

    /// The compiled measurement tools (`make tools`).
    public static var tools: String {
        ProcessInfo.processInfo.environment["PMS_GATEWAY_TOOLS"] ?? "\(packageRoot)/.tools"
    }
}
