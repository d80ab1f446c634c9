#if canImport(Glibc)
    import Glibc
#endif

/// Sends `sd_notify` datagrams (`READY=1`, `STOPPING=1`, `WATCHDOG=1`, ...) to `NOTIFY_SOCKET`.
///
/// A few lines over a datagram socket are all libsystemd does here, so we do not link it.
/// Without `NOTIFY_SOCKET` every call is a no-op, which is what a daemon started by hand wants.
package struct SystemdNotifier: Sendable {
    private let address: [UInt8]?
    /// Half of `WATCHDOG_USEC`, when systemd asked for keep-alives.
    package let watchdogInterval: Duration?

    package init(environment: [String: String]) {
        if let path = environment["NOTIFY_SOCKET"], !path.isEmpty {
            var bytes = Array(path.utf8)
            // A leading '@' names a socket in the abstract namespace, spelled with a NUL byte.
            if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
            address = bytes
        } else {
            address = nil
        }
        if let usecText = environment["WATCHDOG_USEC"], let usec = Int64(usecText), usec > 0,
            environment["WATCHDOG_PID"].map({ pid_t($0) == getpid() }) ?? true
        {
            watchdogInterval = .microseconds(usec / 2)
        } else {
            watchdogInterval = nil
        }
    }

    package func notify(_ state: String) {
        guard let address else { return }
        let fd = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        guard address.count < MemoryLayout.size(ofValue: socketAddress.sun_path) else { return }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: address) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + address.count)
        let message = Array(state.utf8)
        _ = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                message.withUnsafeBytes {
                    sendto(fd, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL), sockaddrPointer, length)
                }
            }
        }
    }
}
