import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file's contents so that readers see the old file or the new one, never a mix, and
/// a crash at any moment leaves one of the two on disk.
///
/// The new bytes go to a temporary file in the same directory (rename is atomic only within one
/// file system), are fsynced, renamed over the target, and then the directory is fsynced so the
/// rename itself survives a power cut. The target's mode and owner are carried over; a new file
/// gets `0600`, since the files we write hold secrets.
package enum AtomicFileWriter {
    package struct WriteError: Error, CustomStringConvertible {
        let path: String
        let operation: String
        let errno: CInt
        package var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
    }

    /// - Parameter followLinks: write through a symbolic link at `path` (the configured file)
    ///   rather than replace the link (a caller's path, already checked not to be one).
    /// - Parameter keepsMode: false gives the file `newFileMode` even when it existed with another.
    package static func write(
        _ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o600, keepsMode: Bool = true,
        followLinks: Bool = true
    ) throws(WriteError) {
        let target = followLinks ? resolvedTarget(path) : path
        let existing = try attributes(of: target)
        let directory = FilePath(target).directory
        let (fd, temporary) = try createTemporary(besides: target)
        do throws(WriteError) {
            let mode = keepsMode ? existing?.mode ?? newFileMode : newFileMode
            try prepare(fd, mode: mode, owner: existing, path: temporary)
            try writeAll(bytes, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw WriteError(path: temporary, operation: "fsync", errno: errno) }
            guard close(fd) == 0 else { throw WriteError(path: temporary, operation: "close", errno: errno) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            let failure = WriteError(path: target, operation: "rename", errno: errno)
            unlink(temporary)
            throw failure
        }
        try syncDirectory(directory)
    }

    /// A symlinked target (a config map, an `/etc/alternatives` style link) is written through:
    /// replacing the link itself would silently detach the file the service actually reads.
    static func resolvedTarget(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, let real = realpath(path, nil) else {
            return path
        }
        defer { free(real) }
        return String(cString: real)
    }

    struct Attributes {
        var mode: mode_t
        var uid: uid_t
        var gid: gid_t
    }

    static func attributes(of path: String) throws(WriteError) -> Attributes? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw WriteError(path: path, operation: "stat", errno: errno)
        }
        return Attributes(mode: info.st_mode & 0o7777, uid: info.st_uid, gid: info.st_gid)
    }

    /// `mkstemp` picks an unused name atomically (O_EXCL), so two writers never share a temp file.
    /// (`mkostemp` would set close-on-exec in one step but needs `_GNU_SOURCE`, which Swift's Glibc lacks.)
    private static func createTemporary(besides target: String) throws(WriteError) -> (CInt, String) {
        let name = target.split(separator: "/").last.map(String.init) ?? "file"
        var template = Array("\(FilePath(target).directory)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw WriteError(path: target, operation: "create temporary file for", errno: errno) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        // mkstemp replaced the X's in place; drop the terminating NUL before decoding.
        return (fd, String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    private static func prepare(_ fd: CInt, mode: mode_t, owner: Attributes?, path: String) throws(WriteError) {
        guard fchmod(fd, mode) == 0 else { throw WriteError(path: path, operation: "fchmod", errno: errno) }
        // Keeping the owner needs privileges we may not have; the mode is what protects the secret.
        if let owner, owner.uid != geteuid() || owner.gid != getegid() {
            _ = fchown(fd, owner.uid, owner.gid)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: CInt, path: String) throws(WriteError) {
        do {
            _ = try FileDescriptor(rawValue: fd).writeAll(bytes)
        } catch let error as Errno {
            throw WriteError(path: path, operation: "write", errno: error.rawValue)
        } catch {
            throw WriteError(path: path, operation: "write", errno: EIO)
        }
    }

    private static func syncDirectory(_ directory: String) throws(WriteError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path: directory, operation: "open", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw WriteError(path: directory, operation: "fsync", errno: errno) }
    }
}
