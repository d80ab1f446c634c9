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

    /// Runs `script` with `bash -c` (pipefail on) in the scratch directory; throws unless it exits 0.
    @discardableResult
    func shell(_ script: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -euo pipefail; " + script]
        process.currentDirectoryURL = directory
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "`\(script)` exited \(process.terminationStatus): \(errorText)")
        }
        return data
    }

    func shellText(_ script: String) throws -> String {
        String(decoding: try shell(script), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
