#if canImport(Glibc)
    import Glibc
#endif

/// Whole-file reads over POSIX, so the services need no Foundation.
public enum FileContents {
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String
        public let errno: CInt
        public var description: String { "\(path): \(String(cString: strerror(errno)))" }
    }

    public static func read(_ path: String) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(path: path, errno: errno) }
        defer { close(fd) }
        return try readAll(fd, path: path, maxBytes: Int.max)
    }

    /// Reads a file a caller may have named: a regular file of at most `maxBytes`, opened with
    /// `O_NONBLOCK` so a FIFO cannot block the daemon, and `O_NOFOLLOW` unless `followLinks`.
    /// `EINVAL` for anything but a regular file, `EFBIG` for one over the limit.
    public static func readRegularFile(_ path: String, maxBytes: Int, followLinks: Bool) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw ReadError(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(path: path, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ReadError(path: path, errno: EINVAL) }
        guard info.st_size <= maxBytes else { throw ReadError(path: path, errno: EFBIG) }
        return try readAll(fd, path: path, maxBytes: maxBytes)
    }

    /// Reads to the end, refusing with `EFBIG` once more than `maxBytes` arrived (a file that grew).
    private static func readAll(_ fd: CInt, path: String, maxBytes: Int) throws(ReadError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > maxBytes { throw ReadError(path: path, errno: EFBIG) }
        }
    }
}
