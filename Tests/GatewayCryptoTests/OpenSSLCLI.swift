import Foundation
import GatewayTestSupport

/// Runs the `openssl` command line in a scratch directory, as an implementation independent of
/// the library's own OSSL_PARAM path. The directory goes when the value does.
struct OpenSSLCLI {
    let scratch: TemporaryDirectory
    var directory: URL { URL(fileURLWithPath: scratch.path, isDirectory: true) }

    init() throws {
        scratch = try TemporaryDirectory(prefix: "gateway-crypto-tests")
    }

    /// Runs `script` with bash (pipefail on) in the scratch directory and returns its standard
    /// output, byte for byte; throws unless it exits 0 within a minute.
    ///
    /// Through ``ShellCommand`` (stdin from /dev/null, a deadline), not Foundation's `Process`:
    /// all test targets share one process, and `Process`'s child-watching thread was seen to hang
    /// beside the daemon tests' own children.
    @discardableResult
    func shell(_ script: String) throws -> Data {
        let name = "script-\(UUID().uuidString)"
        try scratch.write("\(name).sh", "set -euo pipefail\ncd '\(scratch.path)'\n{\n\(script)\n} > '\(name).out'\n")
        defer {
            for suffix in [".sh", ".out"] { try? FileManager.default.removeItem(atPath: scratch.file(name + suffix)) }
        }
        let output = try ShellCommand.run("/bin/bash", [scratch.file("\(name).sh")], timeout: .seconds(60))
        guard output.status == 0, output.exitedNormally else {
            throw TestFailure("`\(script)` exited with status \(output.status): \(output.stderr)")
        }
        return try Data(contentsOf: URL(fileURLWithPath: scratch.file("\(name).out")))
    }

    func shellText(_ script: String) throws -> String {
        String(decoding: try shell(script), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
