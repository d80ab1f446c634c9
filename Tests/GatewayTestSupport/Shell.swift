import Foundation

/// Runs a shell command line and returns its standard output; throws on a non-zero exit.
/// (Built on ``ShellCommand``, which avoids Foundation's `Process`; see ``ChildProcess``.)
public enum Shell {
    @discardableResult
    public static func run(_ command: String, input: String? = nil) throws -> String {
        let output = try ShellCommand.run("/bin/sh", ["-c", command], input: input ?? "")
        guard output.status == 0, output.reason == .exit else {
            throw TestFailure("\(command) exited \(output.status): \(output.stderr)")
        }
        return output.stdout
    }
}
