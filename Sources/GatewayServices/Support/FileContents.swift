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
        }
    }
}
