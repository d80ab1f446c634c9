import Foundation

/// A child process started with `posix_spawn` and reaped with `waitpid(pid, WNOHANG)`.
///
/// Foundation's `Process` on Linux watches children through one run-loop thread; with dozens of
/// daemons and socat runs started in parallel by the tests that thread was seen stuck in a
/// blocking `wait4` on a daemon that was still running, after which no child's exit was ever
/// noticed again and the whole test run hung. This type has no shared machinery: each child is
/// polled by whoever asks, and nothing but the child's own descriptors reach it (fds from 3 up are
/// closed in the child, so one test's sockets never leak into another test's daemon).
// @unchecked Sendable: the only mutable state, `waitStatus`, is read and written under `lock`.
public final class ChildProcess: @unchecked Sendable {
    public let processIdentifier: pid_t
    private let lock = NSLock()
    /// The raw `waitpid` status once the child has been reaped.
    private var waitStatus: Int32?

    /// Where a standard descriptor of the child comes from or goes to.
    public enum Stream {
        case null
        /// A file opened for writing (created or truncated).
        case file(String)
        /// A descriptor of ours, duplicated into the child.
        case descriptor(Int32)
    }

    public init(
        executable: String, arguments: [String], environment: [String: String],
        stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        _ = Self.addCloseFrom?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw TestFailure("posix_spawn \(executable): error \(result)") }
        processIdentifier = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does
    /// not declare without `_GNU_SOURCE`; looked up at run time.
    private static let addCloseFrom:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
            guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
            return unsafeBitCast(
                symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }()

    /// The environment a child gets by default: ours, without systemd's variables (a test adds
    /// those on purpose), merged with `overrides`.
    public static func environment(_ overrides: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in [
            "NOTIFY_SOCKET", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC",
            "WATCHDOG_PID",
        ] {
            environment.removeValue(forKey: key)
        }
        environment.merge(overrides) { $1 }
        return environment
    }

    /// Reaps the child if it has exited; never blocks.
    private func poll() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let waitStatus { return waitStatus }
        var status: Int32 = 0
        if waitpid(processIdentifier, &status, WNOHANG) == processIdentifier {
            waitStatus = status
        }
        return waitStatus
    }

    public var isRunning: Bool { poll() == nil }

    /// The exit code, or the signal number when a signal ended the child (like `Process`).
    public var terminationStatus: Int32 {
        guard let status = poll() else { return -1 }
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
    }

    public var terminationReason: Process.TerminationReason {
        guard let status = poll() else { return .exit }
        return status & 0x7F == 0 ? .exit : .uncaughtSignal
    }

    public func signal(_ signal: Int32) {
        if isRunning { kill(processIdentifier, signal) }
    }

    /// Waits for the exit; false when the child is still running after `timeout`.
    @discardableResult
    public func waitForExit(timeout: Duration) -> Bool {
        Poll.until(timeout: timeout) { !isRunning }
    }

    /// SIGKILL and reap, so no zombie is left behind.
    public func killAndReap() {
        signal(SIGKILL)
        waitForExit(timeout: .seconds(10))
    }

    deinit {
        if isRunning { killAndReap() }
    }
}
