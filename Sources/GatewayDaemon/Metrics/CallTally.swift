import GatewayStore
import Prometheus
import Synchronization

/// Calls counted per thread, merged when the text is rendered.
///
/// Every call is counted, on whichever thread answered it. swift-prometheus' counters and
/// histograms are shared by all those threads: its histogram takes a lock per observation and its
/// counters bounce one cache line between cores, which cost 15 % of the read rows on 16 cores.
/// Here each thread adds to the shard its thread id hashes to (``Threads/shard(of:)``), whose
/// lock no other thread takes unless two hashes collide.
final class CallTally: Sendable {
    /// One method's counts: calls that succeeded and failed, and their durations.
    struct MethodCounts: Sendable {
        var ok = 0
        var failed = 0
        var nanoseconds = BucketCounts(bounds: BucketCounts.latencyBoundsNanoseconds)

        mutating func add(_ other: MethodCounts) {
            ok += other.ok
            failed += other.failed
            nanoseconds.add(other.nanoseconds)
        }
    }

    struct ErrorKey: Hashable, Sendable {
        let method: Int
        let errorCode: String
    }

    /// What one shard, or the sum of all, has counted.
    struct Counts: Sendable {
        var methods: [MethodCounts]
        var errors: [ErrorKey: Int] = [:]
    }

    /// Method names; index `names.count` is `unknown`.
    let names: [String]
    private let indexes: [String: Int]
    private let shards: [Shard]

    private final class Shard: Sendable {
        let counts: Mutex<Counts>
        init(methods: Int) { counts = Mutex(Counts(methods: Array(repeating: MethodCounts(), count: methods))) }
    }

    init(methods: [String], shards: Int) {
        names = methods + ["unknown"]
        indexes = Dictionary(uniqueKeysWithValues: methods.enumerated().map { ($1, $0) })
        self.shards = (0..<max(1, shards)).map { _ in Shard(methods: methods.count + 1) }
    }

    func record(method: String?, errorCode: String?, duration: Duration) {
        let index = method.flatMap { indexes[$0] } ?? names.count - 1
        let nanoseconds = duration.nanoseconds
        shards[Threads.shard(of: shards.count)].counts.withLock { counts in
            if let errorCode {
                counts.methods[index].failed += 1
                counts.errors[ErrorKey(method: index, errorCode: errorCode), default: 0] += 1
            } else {
                counts.methods[index].ok += 1
            }
            counts.methods[index].nanoseconds.record(nanoseconds)
        }
    }

    /// Everything counted so far, over all shards.
    func total() -> Counts {
        var total = Counts(methods: Array(repeating: MethodCounts(), count: names.count))
        for shard in shards {
            let counts = shard.counts.withLock { $0 }
            for index in counts.methods.indices { total.methods[index].add(counts.methods[index]) }
            total.errors.merge(counts.errors, uniquingKeysWith: +)
        }
        return total
    }
}
