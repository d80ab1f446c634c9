import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Whole-line writes to fd 2, serialized so concurrent lines never interleave.
public enum StandardError {
    private static let lock = Mutex(())

    public static func write(line: String) {
        let bytes = Array((line + "\n").utf8)
        lock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
