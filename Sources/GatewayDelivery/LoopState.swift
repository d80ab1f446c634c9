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
