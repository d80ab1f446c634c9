import CGatewayShims

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A counting semaphore over a pthread mutex and condition variable.
///
/// The writer sleeps on this between groups. SQLite calls block, so the writer is a real thread
/// rather than a task on Swift's cooperative pool, and it needs a blocking primitive to wait on.
///
/// `@unchecked Sendable`: the only state (`count`) is read and written with `mutex` held, and the
/// pthread objects live in heap memory that never moves until `deinit`, when no thread can be
/// using them any more.
final class Semaphore: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var count = 0

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Signals after unlocking: a waiter woken while the mutex is still held wakes only to block
    /// on it, and the unlock then has to wake it a second time (a futex call on the signalling
    /// thread, 2.4% of the writer's time under `client.create` when it handed a group to
    /// `pmsgw-resume`). No wake-up is lost: a waiter checks `count` and starts waiting under the
    /// mutex, so it is either waiting by the time of the signal or sees the new count.
    func signal() {
        pthread_mutex_lock(mutex)
        count += 1
        pthread_mutex_unlock(mutex)
        pthread_cond_signal(condition)
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while count == 0 { pthread_cond_wait(condition, mutex) }
        count -= 1
        pthread_mutex_unlock(mutex)
    }

    /// Like ``wait()``, but gives up after `timeout`; false when it did.
    func wait(timeout: Duration) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let (seconds, attoseconds) = timeout.components
        var nanoseconds = Int(now.tv_nsec) + Int(attoseconds / 1_000_000_000)
        var deadline = timespec(tv_sec: now.tv_sec + Int(seconds) + nanoseconds / 1_000_000_000, tv_nsec: 0)
        nanoseconds %= 1_000_000_000
        deadline.tv_nsec = nanoseconds
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == 0 {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT, count == 0 { return false }
        }
        count -= 1
        return true
    }
}

/// Starting a thread that runs one closure, plus an async bridge for long blocking work.
package enum Threads {
    /// The calling thread's shard among `count`: Fibonacci hashing of its thread id. Thread ids
    /// are addresses a stack apart, so the low bits are dropped before mixing. Per-thread state
    /// (read connections, call counts) kept in shards this way is touched by other threads only
    /// when two hashes collide.
    package static func shard(of count: Int) -> Int {
        #if canImport(Darwin)
            let id = UInt(bitPattern: pthread_self())
        #else
            let id = UInt(pthread_self())
        #endif
        let mixed = UInt64(truncatingIfNeeded: id >> 12) &* 0x9E37_79B9_7F4A_7C15
        return Int((mixed >> 32) % UInt64(count))
    }

    /// Context handed through `pthread_create`'s single pointer argument.
    private final class Start {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts a joinable thread; nil when the system refuses (no memory, thread limit).
    ///
    /// `name` (at most 15 bytes on Linux) is what `top -H`, `ps -L` and `perf` show for it;
    /// unnamed, a thread takes its creator's name, and the writer looked like one of Swift's pool.
    package static func start(named name: String? = nil, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let named: @Sendable () -> Void =
            if let name {
                {
                    pmsgw_name_this_thread(name)
                    body()
                }
            } else {
                body
            }
        let context = Unmanaged.passRetained(Start(named)).toOpaque()
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let result = pthread_create(
            &thread, nil,
            { raw in
                #if canImport(Darwin)
                    let start = Unmanaged<Start>.fromOpaque(raw).takeRetainedValue()
                #else
                    let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
                #endif
                start.body()
                return nil
            }, context)
        guard result == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    /// Waits for `thread` to end. A thread cannot wait for itself (the store's last reference can be
    /// dropped on the writer thread, inside a write body's closure); it then simply runs on to its end.
    package static func join(_ thread: pthread_t) {
        guard pthread_equal(thread, pthread_self()) == 0 else { return }
        pthread_join(thread, nil)
    }

    /// Runs blocking work (a backup copying a whole database) on its own thread so it does not
    /// occupy one of the few threads of Swift's cooperative pool for seconds.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = start {
                continuation.resume(with: Result { try body() })
            }
            guard let thread else {
                continuation.resume(throwing: StoreError(.unavailable, "cannot start a thread"))
                return
            }
            pthread_detach(thread)
        }
    }
}
