import Synchronization

/// Everything that can make the delivery loop act, in the order it happened.
enum LoopEvent: Sendable {
    /// New rows may be due (`notifyEnqueued()`, or the loop's first scan).
    case wake
    /// A timer armed for this instant fired: a retry or the periodic rescan is due.
    case timer(ContinuousClock.Instant)
    /// Attempts finished; their outcomes wait in `LoopSignal.takeOutcomes()`.
    case sent
    /// A batch of outcomes is committed; these keys may send their next row.
    case recorded([OrderingKey])
    /// A batch could not be written (storage failing); its rows stay pending and will be resent.
    case recordFailed([OrderingKey], String)
    /// Graceful shutdown: send nothing new, finish and record what is on the wire, then stop.
    case shutdown
}

/// The loop's inbox: one stream that the notifier, the timers and the child tasks all feed.
///
/// A single consumer reading one stream keeps all scheduling state in one task, with no locks:
/// the children only report.
final class LoopSignal: Sendable {
    let events: AsyncStream<LoopEvent>
    private let continuation: AsyncStream<LoopEvent>.Continuation
    /// Set while a `.wake` is queued and unread, so a burst of 1,000 commits queues one wake.
    private let wakeQueued = Atomic<Bool>(false)
    /// Finished attempts not yet taken by the loop, with whether a `.sent` is queued for them.
    /// Handing them over in bulk means one scan per burst of completions, not one per row.
    private let finished = Mutex<(outcomes: [DeliveryOutcome], signalled: Bool)>(([], false))

    init() {
        (events, continuation) = AsyncStream.makeStream(of: LoopEvent.self, bufferingPolicy: .unbounded)
    }

    /// Queues a `.wake` unless one is already waiting to be read.
    func wake() {
        if !wakeQueued.exchange(true, ordering: .acquiringAndReleasing) {
            continuation.yield(.wake)
        }
    }

    /// Called by the loop as it reads a `.wake`, before it scans: a commit notified after this
    /// point queues a new wake, so no commit can fall between a scan and its notification.
    func wakeTaken() {
        wakeQueued.store(false, ordering: .releasing)
    }

    /// Reports a finished attempt; queues a `.sent` unless one is already waiting.
    func finish(_ outcome: DeliveryOutcome) {
        let signal = finished.withLock { finished in
            finished.outcomes.append(outcome)
            defer { finished.signalled = true }
            return !finished.signalled
        }
        if signal { continuation.yield(.sent) }
    }

    /// Everything finished so far; the next `finish` queues a new `.sent`.
    func takeOutcomes() -> [DeliveryOutcome] {
        finished.withLock { finished in
            defer { finished = ([], false) }
            return finished.outcomes
        }
    }

    func send(_ event: LoopEvent) {
        continuation.yield(event)
    }
}

/// What the delivery loop keeps in memory between events. Owned by the loop's task alone.
struct LoopState {
    /// Keys with a row on the wire or an outcome not yet committed: nothing else of such a key
    /// may be sent, because the database still shows its head as pending.
    var busyKeys: Set<OrderingKey> = []
    /// Attempts on the wire.
    var inFlight = 0
    /// Outcomes waiting for the next batch write.
    var unrecorded: [DeliveryOutcome] = []
    /// A batch write is running; the next one starts when it ends (natural batching).
    var recording = false
    /// Something changed since the last scan.
    var needsScan = true
    /// Graceful shutdown requested: launch nothing new.
    var draining = false
    /// The earliest armed timer, so a later one is not armed on top of it.
    var timerDeadline: ContinuousClock.Instant?
    /// After a storage failure: no scan before this instant, so a failing disk is not hammered.
    var pausedUntil: ContinuousClock.Instant?

    /// Draining and nothing left to finish or record.
    var isDrained: Bool {
        draining && inFlight == 0 && unrecorded.isEmpty && !recording
    }
}
