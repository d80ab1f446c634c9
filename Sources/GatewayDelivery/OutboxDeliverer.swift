import AsyncHTTPClient
import GatewayStore
import Logging
import NIOCore
import ServiceLifecycle

/// Delivers outbox rows to eSignet and IDA until they succeed (SPEC 5), as a service of the
/// daemon's `ServiceGroup`.
///
/// **At least once.** A row is marked `delivered` only after the receiver accepted it *and* the
/// mark is committed. A crash between the two re-sends exactly the rows that were on the wire or
/// accepted-but-unrecorded (at most `maxInFlight` plus one batch); no row is ever lost, because
/// rows only leave `pending` by a committed outcome.
///
/// **In order per key.** Only the head of each `(target, ordering_key)` is sent (see
/// `Store.claimDueHeads`), and a key stays busy in memory until its outcome is committed, so
/// seq N+1 is never sent before seq N is delivered. A `failed` row blocks its key until
/// `outbox.retry`.
///
/// **Several daemons on one database** (PostgreSQL): each claims the heads it sends, with a lease;
/// another daemon's claimed rows are skipped until their lease runs out, so a daemon that died
/// mid-delivery leaves its rows to the others, and nothing is lost.
///
/// **Throughput.** Different keys go out in parallel (`maxInFlight`), and outcomes are written
/// back in batches: while one batch commits, the next accumulates, riding the store's group commit.
///
/// `run()` may be called once per instance.
package struct OutboxDeliverer: Service {
    private let store: Store
    private let configuration: DeliveryConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let signal = LoopSignal()
    /// Tokens for eSignet and the hub, when `auth.kind` is set; shared by every attempt.
    package let tokens: TokenSource?
    /// Told of every attempt once its answer (or failure) is in (the daemon's metrics).
    private let observe: @Sendable (DeliveryAttemptRecord) -> Void

    package init(
        store: Store, configuration: DeliveryConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger,
        observe: @escaping @Sendable (DeliveryAttemptRecord) -> Void = { _ in }
    ) {
        self.store = store
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.observe = observe
        self.tokens = configuration.auth.map { TokenSource(configuration: $0) }
    }

    /// Wakes the loop early; call it after a write that enqueued rows has committed.
    ///
    /// Cheap and safe to call from anywhere, as often as wanted: a burst queues one scan. Without
    /// it rows still go out, at the next periodic scan (`pollInterval`).
    package func notifyEnqueued() {
        signal.wake()
    }

    /// For `system.preflight`: whether a token can be had now (a held one counts). The error's
    /// words, or nil; never the token.
    package func tokenProblem() async -> String? {
        guard let tokens else { return nil }
        let client = HTTPDelivery.makeClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        var problem: String?
        do throws(DeliveryFailure) {
            _ = try await tokens.token(client: client)
        } catch {
            problem = error.message
        }
        try? await client.shutdown()
        return problem
    }

    package func run() async throws {
        let client = HTTPDelivery.makeClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
        let sender = HTTPDelivery(
            client: client, configuration: configuration, tokens: tokens, registeredTopics: RegisteredTopics())
        logger.info(
            "outbox delivery started",
            metadata: [
                "esignet": "\(configuration.esignetBaseURL ?? "null")",
                "ida": "\(configuration.idaWebsubHubURL ?? "null")",
            ])
        await withGracefulShutdownHandler {
            await loop(sender)
        } onGracefulShutdown: {
            signal.send(.shutdown)
        }
        try await client.shutdown()
        logger.info("outbox delivery stopped")
    }

    private func loop(_ sender: HTTPDelivery) async {
        await withTaskGroup(of: Void.self) { group in
            var state = LoopState()
            signal.wake()
            events: for await event in signal.events {
                handle(event, &state)
                if state.isDrained { break events }
                recordIfNeeded(&state, group: &group)
                if !state.draining {
                    let scanned = await scanIfNeeded(&state, group: &group, sender: sender)
                    armTimer(&state, group: &group, lookAhead: scanned == .exhausted)
                }
            }
            // Cancellation (or a finished drain): attempts still on the wire are abandoned, and
            // their rows stay pending for the next run. A batch write already queued still commits.
            group.cancelAll()
        }
    }

    private func handle(_ event: LoopEvent, _ state: inout LoopState) {
        switch event {
        case .wake:
            signal.wakeTaken()
            state.needsScan = true
        case .timer(let deadline):
            if state.timerDeadline == deadline { state.timerDeadline = nil }
            state.needsScan = true
        case .sent:
            let outcomes = signal.takeOutcomes()
            state.inFlight -= outcomes.count
            state.unrecorded += outcomes
            state.needsScan = true
            outcomes.forEach(logOutcome)
        case .recorded(let keys):
            state.recording = false
            state.busyKeys.subtract(keys)
            state.needsScan = true
        case .recordFailed(let keys, let error):
            state.recording = false
            state.busyKeys.subtract(keys)
            state.pausedUntil = .now + .seconds(1)
            logger.error(
                "outbox: cannot record delivery outcomes; their rows stay pending and will be sent again",
                metadata: ["rows": "\(keys.count)", "error": "\(error)"])
        case .shutdown:
            state.draining = true
        }
    }

    /// Whether a scan ran, and if so whether it launched every row that is due now.
    private enum ScanResult {
        case skipped
        case exhausted
        case full
    }

    private func scanIfNeeded(_ state: inout LoopState, group: inout TaskGroup<Void>, sender: HTTPDelivery) async
        -> ScanResult
    {
        let free = configuration.maxInFlight - state.inFlight
        guard state.needsScan, free > 0 else { return .skipped }
        if let paused = state.pausedUntil {
            guard paused <= .now else { return .skipped }
            state.pausedUntil = nil
        }
        state.needsScan = false
        let targets = configuration.enabledTargets
        let now = UTCTimestamp.nowMilliseconds()
        let heads: [OutboxRow]
        do {
            heads = try await store.claimDueHeads(
                targets: targets, now: now, free: free, busy: state.busyKeys.count, lease: configuration.lease,
                claimant: configuration.claimant)
        } catch {
            state.pausedUntil = .now + .seconds(1)
            logger.error("outbox: cannot read due rows", metadata: ["error": "\(error)"])
            return .skipped
        }
        var launched = 0
        var unlaunched: [Int] = []
        for row in heads {
            // A key whose previous row is delivered but not yet known to be recorded here.
            guard launched < free, !state.busyKeys.contains(row.key) else {
                unlaunched.append(row.seq)
                continue
            }
            state.busyKeys.insert(row.key)
            state.inFlight += 1
            launched += 1
            let attempt = Attempt(row: row, sender: sender, configuration: configuration)
            let signal = self.signal
            let observe = self.observe
            group.addTask {
                let started = ContinuousClock.now
                let outcome = await attempt.run()
                observe(DeliveryAttemptRecord(outcome, duration: ContinuousClock.now - started))
                signal.finish(outcome)
            }
        }
        if !unlaunched.isEmpty {
            do {
                try await store.releaseClaims(seqs: unlaunched, claimant: configuration.claimant)
            } catch {
                logger.warning(
                    "outbox: cannot release claimed rows; they wait for their lease",
                    metadata: ["rows": "\(unlaunched.count)", "error": "\(error)"])
            }
        }
        return launched < free ? .exhausted : .full
    }

    private func recordIfNeeded(_ state: inout LoopState, group: inout TaskGroup<Void>) {
        guard !state.recording, !state.unrecorded.isEmpty else { return }
        let batch = state.unrecorded
        state.unrecorded = []
        state.recording = true
        let store = self.store
        let signal = self.signal
        group.addTask {
            let keys = batch.map(\.row.key)
            do {
                try await store.write { transaction in try transaction.record(batch) }
                signal.send(.recorded(keys))
            } catch {
                signal.send(.recordFailed(keys, "\(error)"))
            }
        }
    }

    /// Keeps one timer armed: at the earliest retry that is not due yet, and at most
    /// `pollInterval` away, so rows enqueued without a notification still go out.
    ///
    /// `lookAhead`: the last scan launched everything due, so the next retry time is worth a
    /// query. When slots are full, completions wake the loop anyway and the query is skipped.
    private func armTimer(_ state: inout LoopState, group: inout TaskGroup<Void>, lookAhead: Bool) {
        let clockNow = ContinuousClock.now
        var deadline = clockNow + configuration.pollInterval
        if let paused = state.pausedUntil { deadline = min(deadline, paused) }
        if lookAhead, state.pausedUntil == nil {
            let targets = configuration.enabledTargets
            let wallNow = UTCTimestamp.nowMilliseconds()
            let next = try? store.read { connection in try connection.nextDueTime(targets: targets, after: wallNow) }
            if let due = next ?? nil {
                deadline = min(deadline, clockNow + .milliseconds(max(0, due - wallNow)))
            }
        }
        if let armed = state.timerDeadline, armed <= deadline { return }
        state.timerDeadline = deadline
        let signal = self.signal
        group.addTask {
            try? await Task.sleep(until: deadline, clock: .continuous)
            signal.send(.timer(deadline))
        }
    }

    /// One log line per failed attempt: which row, which try, why, and what happens next.
    /// Never the body: IDA's MISP events carry license keys, eSignet's carry the bearer header.
    private func logOutcome(_ outcome: DeliveryOutcome) {
        let metadata: Logger.Metadata = [
            "seq": "\(outcome.row.seq)", "target": "\(outcome.row.target.rawValue)", "topic": "\(outcome.row.topic)",
            "attempt": "\(outcome.row.attempts + 1)",
        ]
        switch outcome.result {
        case .delivered:
            logger.debug("outbox row delivered", metadata: metadata)
        case .rejected(let failure):
            logger.error(
                "outbox row rejected by its receiver; fix the cause, then outbox.retry",
                metadata: metadata.merging(["error": "\(failure.message)"]) { $1 })
        case .failed(let failure, let retryAt?):
            logger.warning(
                "outbox delivery attempt failed",
                metadata: metadata.merging(["error": "\(failure.message)", "retryAt": "\(retryAt)"]) { $1 })
        case .failed(let failure, nil):
            logger.error(
                "outbox row failed for good; outbox.retry re-queues it",
                metadata: metadata.merging(["error": "\(failure.message)"]) { $1 })
        }
    }
}
