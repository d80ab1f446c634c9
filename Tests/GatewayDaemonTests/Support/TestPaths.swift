import Foundation

/// Where the things under test live. `make test` sets PMS_GATEWAYD and PMS_GATEWAY_TOOLS; a bare
/// `swift test` falls back to the debug build and `.tools/` beside the package.
enum TestPaths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var daemon: String {
        ProcessInfo.processInfo.environment["PMS_GATEWAYD"]
            ?? packageRoot.appendingPathComponent(".build/debug/pms-gatewayd").path
    }

    static var tools: String {
        ProcessInfo.processInfo.environment["PMS_GATEWAY_TOOLS"] ?? packageRoot.appendingPathComponent(".tools").path
    }

    static var configDirectory: String { packageRoot.appendingPathComponent("config").path }
    static var reference: String { packageRoot.appendingPathComponent("../shared/reference").standardized.path }

    /// A fresh directory under /tmp; short, because Unix socket paths are limited to 107 bytes.
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/pgw-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw POSIXError(.EIO) }
        chmod(path, 0o755)
        return String(cString: path)
    }
}
