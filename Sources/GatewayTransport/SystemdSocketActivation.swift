#if canImport(Glibc)
    import Glibc
#endif

/// systemd socket activation (`sd_listen_fds` semantics) without linking libsystemd.
package enum SystemdSocketActivation {
    /// The first passed descriptor, by systemd's convention.
    static let firstDescriptor: CInt = 3

    /// The listening socket systemd passed to this process, if any.
    ///
    /// `LISTEN_PID` must name this process: the variables are inherited by children, and a child
    /// must not mistake its parent's sockets for its own. The variables are removed once read.
    package static func takeListeningDescriptor() -> CInt? {
        defer {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
        }
        guard let pidText = getenv("LISTEN_PID").map({ String(cString: $0) }), let pid = pid_t(pidText),
            pid == getpid(),
            let countText = getenv("LISTEN_FDS").map({ String(cString: $0) }), let count = Int(countText), count >= 1
        else { return nil }
        let flags = fcntl(firstDescriptor, F_GETFD)
        if flags >= 0 { _ = fcntl(firstDescriptor, F_SETFD, flags | FD_CLOEXEC) }
        return firstDescriptor
    }
}
