import Foundation

/// A fresh directory under `/tmp`, removed with everything in it when the last reference goes.
///
/// The one scratch-directory maker of every test target. Paths stay short (`/tmp/<prefix>-XXXXXX`)
/// because a Unix socket path is limited to 107 bytes, and the directory is world-searchable
/// (0755) so a test can reach a socket in it as another user (`setpriv` as `nobody`).
public final class TemporaryDirectory: Sendable, CustomStringConvertible {
    public let path: String

    public init(prefix: String = "pgw") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp /tmp/\(prefix): errno \(errno)") }
        path = String(cString: made)
        chmod(path, 0o755)
    }

    /// The path, so `"\(directory)/name"` names a file in it.
    public var description: String { path }

    /// The path of `name` inside the directory (nothing is created).
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` to `name` inside the directory, replacing what was there.
    public func write(_ name: String, _ text: String) throws {
        try text.write(toFile: file(name), atomically: false, encoding: .utf8)
    }

    /// Creates the subdirectory `name` (and its parents) and returns its path.
    @discardableResult
    public func subdirectory(_ name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: file(name), withIntermediateDirectories: true)
        return file(name)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Every path under `directory`, relative and sorted (`sub`, `sub/file`); empty when it is unreadable.
public func subpaths(of directory: String) -> [String] {
    (FileManager.default.subpaths(atPath: directory) ?? []).sorted()
}
