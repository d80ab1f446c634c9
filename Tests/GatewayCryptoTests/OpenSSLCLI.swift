import Foundation

/// Runs the `openssl` command line in a scratch directory, as an implementation independent of
/// the library's own OSSL_PARAM path.
struct OpenSSLCLI {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gateway-crypto-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `script` with bash (pipefail on) in the scratch directory; throws unless it exits 0.
    ///
    /// Through `popen`, not Foundation's `Process`: all test targets share one process, and
    /// `Process`'s child-watching thread was seen to hang beside the daemon tests' own children.
    @discardableResult
    func shell(_ script: String) throws -> Data {
        let scriptFile = directory.appendingPathComponent("script-\(UUID().uuidString).sh").path
        let errorFile = scriptFile + ".stderr"
        try ("set -euo pipefail\ncd '\(directory.path)'\n" + script + "\n").write(
            toFile: scriptFile, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: scriptFile)
            try? FileManager.default.removeItem(atPath: errorFile)
        }
        guard let pipe = popen("/bin/bash '\(scriptFile)' 2>'\(errorFile)'", "r") else {
            throw Failure(description: "popen failed: errno \(errno)")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count == 0 { break }
            data.append(contentsOf: buffer[..<count])
        }
        let status = pclose(pipe)
        guard status == 0 else {
            let errorText = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            throw Failure(description: "`\(script)` exited with status \(status): \(errorText)")
        }
        return data
    }

    func shellText(_ script: String) throws -> String {
        String(decoding: try shell(script), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
