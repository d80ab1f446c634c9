import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

extension FilePath {
    /// The directory a path names a file in (`.` for a bare name), as text.
    package var directory: String {
        let parent = removingLastComponent()
        return parent.isEmpty ? "." : parent.string
    }

    /// `path` taken relative to this directory, unless it is absolute (SPEC 1: relative paths in a
    /// config file resolve against the file's directory).
    package func resolving(_ path: String) -> String {
        let other = FilePath(path)
        return other.isAbsolute || self == "." ? other.string : pushing(other).string
    }
}

/// Whole-file reads over swift-system, so the services need no Foundation.
package enum FileContents {
    package struct ReadError: Error, CustomStringConvertible {
        package let path: String
        package let errno: CInt
        package var description: String { "\(path): \(String(cString: strerror(errno)))" }
    }

    package static func read(_ path: String) throws(ReadError) -> [UInt8] {
        try read(path, options: [.closeOnExec], maxBytes: Int.max, regularOnly: false)
    }

    /// Reads a file a caller may have named: a regular file of at most `maxBytes`, opened with
    /// `O_NONBLOCK` so a FIFO cannot block the daemon, and `O_NOFOLLOW` unless `followLinks`.
    /// `EINVAL` for anything but a regular file, `EFBIG` for one over the limit.
    package static func readRegularFile(_ path: String, maxBytes: Int, followLinks: Bool) throws(ReadError) -> [UInt8] {
        let options: FileDescriptor.OpenOptions =
            followLinks
            ? [.closeOnExec, .nonBlocking]
            : [
                .closeOnExec, .nonBlocking, .noFollow,
            ]
        return try read(path, options: options, maxBytes: maxBytes, regularOnly: true)
    }

    private static func read(
        _ path: String, options: FileDescriptor.OpenOptions, maxBytes: Int, regularOnly: Bool
    ) throws(ReadError) -> [UInt8] {
        do {
            let file = try FileDescriptor.open(FilePath(path), .readOnly, options: options)
            defer { try? file.close() }
            if regularOnly {
                var info = stat()
                guard fstat(file.rawValue, &info) == 0 else { throw Errno(rawValue: Glibc.errno) }
                guard info.st_mode & S_IFMT == S_IFREG else { throw Errno.invalidArgument }
                guard info.st_size <= maxBytes else { throw Errno.fileTooLarge }
            }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
                if count == 0 { return bytes }
                bytes.append(contentsOf: chunk[..<count])
                // A file that grew past the limit after the size check.
                if bytes.count > maxBytes { throw Errno.fileTooLarge }
            }
        } catch let error as Errno {
            throw ReadError(path: path, errno: error.rawValue)
        } catch {
            throw ReadError(path: path, errno: EIO)
        }
    }
}
