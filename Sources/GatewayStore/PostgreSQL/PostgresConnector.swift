import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Opens the sessions of one PostgreSQL store, and remembers when the server could not be reached.
///
/// While the server is down every request would otherwise pay a connect attempt (up to the connect
/// timeout over TCP) before answering -32011. After a failed attempt the connector answers
/// `.unavailable` at once for `retryInterval`; the next request after that tries again, so the
/// daemon finds the server back by itself, without a restart.
final class PostgresConnector: Sendable {
    let location: PostgresLocation
    private let password: String?
    private let logger: Logger
    private let downSince = Mutex<ContinuousClock.Instant?>(nil)
    /// Run on the first session that connects (the schema migration); until it succeeds once,
    /// every new session runs it.
    private let prepare: @Sendable (PostgresSession) throws(StoreError) -> Void
    /// Held while `prepare` runs, so two threads connecting at once do not both migrate.
    private let preparing = Mutex(())
    /// Read by every lookup, on every event loop: an atomic, not a lock they would all take.
    private let prepared = Atomic(false)
    static let retryInterval = Duration.seconds(1)

    init(
        location: PostgresLocation, password: String?, logger: Logger,
        prepare: @escaping @Sendable (PostgresSession) throws(StoreError) -> Void = { _ in }
    ) {
        self.location = location
        self.password = password
        self.logger = logger
        self.prepare = prepare
    }

    /// Whether the schema is known to be in place: a connection that skips `prepare` (the
    /// lookups') is only opened once one that ran it succeeded.
    var isPrepared: Bool { prepared.load(ordering: .acquiring) }

    /// `reportingFailure`: log the first failure of a run of them (the store's first attempt at
    /// start-up reports its own, in words that fit the start).
    func open(reportingFailure: Bool = true) throws(StoreError) -> PostgresSession {
        try refuseWhileDown()
        do {
            let session = try PostgresSession.connect(
                to: location, password: password, eventLoop: MultiThreadedEventLoopGroup.singleton.any(),
                logger: logger)
            try preparing.withLock { _ throws(StoreError) in
                guard !isPrepared else { return }
                try prepare(session)
                prepared.store(true, ordering: .releasing)
            }
            noteReachable()
            return session
        } catch {
            noteUnreachable(error, reporting: reportingFailure)
            throw error
        }
    }

    /// Like ``open(reportingFailure:)``, without waiting: for the lookups, which run on event
    /// loops. It runs no `prepare`; ask ``isPrepared`` first.
    func connect(on eventLoop: any EventLoop) -> EventLoopFuture<PostgresConnection> {
        do {
            try refuseWhileDown()
            return try PostgresSession.connection(
                to: location, password: password, eventLoop: eventLoop, logger: logger
            ).map { connection in
                self.noteReachable()
                return connection
            }.flatMapErrorThrowing { error in
                let storeError = PostgresSession.storeError(error, context: "connect")
                self.noteUnreachable(storeError, reporting: true)
                throw storeError
            }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    private func refuseWhileDown() throws(StoreError) {
        if let since = downSince.withLock({ $0 }), ContinuousClock.now - since < Self.retryInterval {
            throw StoreError(.unavailable, "PostgreSQL at \(location) is unreachable; retrying")
        }
    }

    private func noteReachable() {
        let wasDown = downSince.withLock { since in
            defer { since = nil }
            return since != nil
        }
        if wasDown { logger.notice("PostgreSQL reachable again", metadata: ["database": "\(location)"]) }
    }

    private func noteUnreachable(_ error: StoreError, reporting: Bool) {
        let first = downSince.withLock { since in
            defer { since = .now }
            return since == nil
        }
        if first, reporting {
            logger.error(
                error.code == .configuration ? "PostgreSQL refused the connection" : "PostgreSQL unreachable",
                metadata: ["database": "\(location)", "error": "\(error.message)"])
        }
    }
}
