import FoundationEssentials
import GatewayDelivery
import GatewayServices
import GatewayStore
import GatewayTransport
import JSONRPC
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
    import Glibc
#endif

/// Start-up and shutdown of one daemon process.
///
/// Everything that can be wrong with the configuration is found before anything is created on
/// disk, so a refused start (exit 78) leaves no trace.
package enum Daemon {
    package static let version = "0.1.0"

    /// `--check-config`: loads the config and the mapping files without binding or opening anything.
    package static func checkConfiguration(_ options: DaemonOptions) -> [String] {
        do {
            let configuration = try loadConfiguration(options)
            _ = try loadMappings(configuration)
            _ = try configuration.databasePassword()
            return []
        } catch {
            return [error.message]
        }
    }

    package static func run(_ options: DaemonOptions) async throws {
        // The database, its WAL, backups and exported files hold license keys: whatever umask
        // the daemon was started with, nothing it creates is readable by others (SPEC 2).
        umask(0o077)
        let configuration = try loadConfiguration(options)
        let logger = bootstrapLogging(level: configuration.logLevel)
        // Must come before anything touches the shared event-loop group.
        NIOSingletons.groupLoopCountSuggestion = configuration.server.eventLoops
        let mappings = try loadMappings(configuration)
        let adopted = SystemdSocketActivation.takeListeningDescriptor()
        if adopted == nil {
            do {
                try UnixSocketListener.refuseLiveSocket(at: configuration.server.socketPath)
            } catch {
                throw ConfigurationError("\(error)")
            }
        }
        let store = try openStore(configuration, logger: logger)
        defer { store.close() }
        // PostgreSQL reads wait on a round trip: they get threads of their own, never an event loop.
        let blockingReads =
            store.engine == .postgresql ? NIOThreadPool(numberOfThreads: PostgresReads.threads) : nil
        blockingReads?.start()
        let currentMappings = CurrentMappings(mappings)
        let connections = ConnectionCounter()
        let metricsReference = MetricsReference(store: store, connections: connections)
        let delivery = OutboxDeliverer(
            store: store,
            configuration: DeliveryConfiguration(
                esignetBaseURL: configuration.esignetBaseURL,
                esignetBearerTokenFile: configuration.esignetBearerTokenFile,
                idaWebsubHubURL: configuration.idaWebsubHubURL, auth: configuration.auth,
                esignetClientAPI: configuration.esignetClientAPI,
                lease: .seconds(configuration.outboxLeaseSeconds),
                claimant: "\(configuration.server.nodeName)/\(getpid())"
            ),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger,
            observe: { metricsReference.current?.record($0) }
        )
        let table = GatewayMethods.table(
            configuration, store: store, mappings: currentMappings, delivery: delivery, metrics: metricsReference,
            version: version, blockingReads: blockingReads, logger: logger
        )
        let metrics = GatewayMetrics(methods: table.names)
        metricsReference.set(metrics)
        // Signals are trapped before the socket exists: a SIGTERM or SIGHUP that arrives as soon as
        // the first call is answered must stop or reload the daemon, not kill it.
        let stopSignals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let responders = RPCResponderFactory(
            processor: processor(table, configuration: configuration, metrics: metrics, logger: logger),
            maxRequestBytes: configuration.server.maxRequestBytes
        )
        let listener = try await listen(
            configuration, adopted: adopted, connections: connections, responders: responders)
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        let reload = ReloadService(
            hangups: hangups, files: configuration.mappingFiles, mappings: currentMappings, tokens: delivery.tokens,
            store: store,
            notifier: notifier, logger: logger
        )
        var groupConfiguration = ServiceGroupConfiguration(
            // Delivery first, so it stops last: the server stops taking mutations, then delivery
            // records what it has on the wire.
            services: [
                delivery, GatewayServer(listener: listener, logger: logger),
                SystemdService(notifier: notifier),
                reload,
                LicenseExpiryService(store: store, warningDays: configuration.licenseExpiryWarningDays, logger: logger),
            ]
                + (configuration.metricsTextfile.map { path in
                    [
                        MetricsTextfileService(
                            path: path, interval: .seconds(configuration.metricsIntervalSeconds),
                            metrics: metricsReference,
                            logger: logger)
                    ]
                } ?? []),
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.server.shutdownGraceSeconds)
        logger.notice(
            "pms-gatewayd \(version) listening",
            metadata: [
                "socket": "\(configuration.server.socketPath)", "database": "\(configuration.databaseDescription)",
                "node": "\(configuration.server.nodeName)",
            ]
        )
        notifier.notify("READY=1")
        try await runUntilStopped(ServiceGroup(configuration: groupConfiguration), stopSignals: stopSignals)
        try? await blockingReads?.shutdownGracefully()
        logger.notice("stopped")
    }

    /// `--copy-to URL` (SPEC 9): this config's SQLite database into the empty PostgreSQL database at
    /// `url`, with `database.passwordFile`'s password. Returns the lines to print; any refusal or
    /// failure is a ``ConfigurationError`` (exit 1) and leaves the target as it was.
    package static func copy(_ options: DaemonOptions, to url: String) async throws(ConfigurationError) -> [String] {
        var options = options
        if let database = options.databasePath, PostgresLocation.isURL(database) { options.databasePath = nil }
        let configuration = try loadConfiguration(options)
        let logger = bootstrapLogging(level: configuration.logLevel)
        let target: PostgresLocation
        do throws(StoreError) {
            target = try PostgresLocation(url: url)
        } catch {
            throw ConfigurationError("--copy-to: \(error.message)")
        }
        let source = configuration.databasePath
        guard access(source, R_OK) == 0 else {
            throw ConfigurationError("--copy-to: no SQLite database at \(source)")
        }
        let password = try configuration.databasePassword()
        do {
            let store = try Store.open(
                path: source, migrations: DomainMigrations.all, readConnections: 1, logger: logger)
            defer { store.close() }
            let report = try SQLiteToPostgres.copy(
                from: store, to: target, password: password, migrations: DomainMigrations.postgres, logger: logger)
            return report.rows.map { "\($0.table): \($0.count) rows" } + [
                "journal verified in \(target): \(report.journal.entries) entries, head \(report.journal.headHash)",
                "copied \(source) to \(target)",
            ]
        } catch let error as StoreError {
            throw ConfigurationError("--copy-to \(target): \(error.message)")
        } catch {
            throw ConfigurationError("--copy-to \(target): \(error)")
        }
    }

    /// Runs the group; the first SIGTERM or SIGINT starts its graceful shutdown.
    private static func runUntilStopped(_ group: ServiceGroup, stopSignals: UnixSignalsSequence) async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                for await _ in stopSignals {
                    await group.triggerGracefulShutdown()
                }
            }
            try await tasks.next()
            tasks.cancelAll()
        }
    }

    static func loadConfiguration(_ options: DaemonOptions) throws(ConfigurationError) -> GatewayConfiguration {
        var configuration = try GatewayConfiguration.load(
            path: options.configPath, environment: ProcessInfo.processInfo.environment
        )
        if let socket = options.socketPath { configuration.server.socketPath = socket }
        if let database = options.databasePath {
            // Either engine: a URL names PostgreSQL, anything else a SQLite file (SPEC 9).
            if PostgresLocation.isURL(database) {
                do {
                    configuration.databaseURL = try PostgresLocation(url: database)
                } catch {
                    throw ConfigurationError("--database: \(error.message)")
                }
            } else {
                configuration.databasePath = database
                configuration.databaseURL = nil
            }
        }
        if let level = options.logLevel {
            guard LogLevels.names.contains(level) else {
                throw ConfigurationError("--log-level must be one of \(LogLevels.names.joined(separator: ", "))")
            }
            configuration.logLevel = level
        }
        return configuration
    }

    static func loadMappings(_ configuration: GatewayConfiguration) throws(ConfigurationError) -> MappingSet {
        do {
            return try MappingSet.load(configuration.mappingFiles)
        } catch {
            throw ConfigurationError("mapping file: \(error)")
        }
    }

    private static func bootstrapLogging(level: String) -> Logger {
        let journal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            GatewayLogHandler(logLevel: logLevel, label: label, journalPrefixes: journal)
        }
        return Logger(label: "pms-gatewayd")
    }

    private static func openStore(_ configuration: GatewayConfiguration, logger: Logger) throws -> Store {
        // A read slot for each thread that may read at once, however many loops were asked for.
        let readConnections = max(Store.defaultReadConnections, 2 * configuration.server.eventLoops)
        let password = try configuration.databasePassword()
        let result = Result { () throws(StoreError) in
            if let url = configuration.databaseURL {
                return try Store.open(
                    postgres: url, password: password, migrations: DomainMigrations.postgres,
                    readConnections: PostgresReads.connections, logger: logger)
            }
            Directories.create(parentOf: configuration.databasePath)
            return try Store.open(
                path: configuration.databasePath, migrations: DomainMigrations.all, readConnections: readConnections,
                writerMapBytes: configuration.databaseWriterMapMiB << 20, logger: logger)
        }
        if case .failure(let error) = result, error.isConfigurationProblem {
            throw ConfigurationError("database \(configuration.databaseDescription): \(error.message)")
        }
        return try result.get()
    }

    private static func listen(
        _ configuration: GatewayConfiguration, adopted: CInt?, connections: ConnectionCounter,
        responders: RPCResponderFactory
    ) async throws -> UnixSocketListener.ServerChannel {
        if adopted == nil { Directories.create(parentOf: configuration.server.socketPath) }
        let listenerConfiguration = ListenerConfiguration(
            socketPath: configuration.server.socketPath, socketMode: configuration.server.socketMode,
            maxLineBytes: configuration.server.maxRequestBytes, maxConnections: configuration.server.maxConnections,
            idleTimeoutSeconds: Int64(configuration.server.idleTimeoutSeconds)
        )
        do {
            return try await UnixSocketListener.listen(
                configuration: listenerConfiguration, adoptedDescriptor: adopted,
                group: MultiThreadedEventLoopGroup.singleton, connectionCount: connections,
                responders: responders
            )
        } catch let error as ListenerError {
            throw ConfigurationError("\(error)")
        }
    }

    private static func processor(
        _ table: MethodTable<CallContext>, configuration: GatewayConfiguration, metrics: GatewayMetrics, logger: Logger
    ) -> RPCProcessor<CallContext> {
        let access = AccessPolicy(rules: configuration.accessRules)
        let errors = ErrorMapping(logger: logger)
        return RPCProcessor(
            table: table,
            limits: .init(
                maxBatch: configuration.server.maxBatch, maxResponseBytes: configuration.server.maxResponseBytes),
            authorize: { method, context in
                access.allows(method, peer: context.peer)
            },
            mapError: errors.rpcError(for:),
            observe: metrics.record
        )
    }
}

/// How many PostgreSQL reads a daemon runs at once, besides `client.get` (which waits on its
/// row without a thread: `Store.lookup`).
///
/// Each waits a round trip on a thread of its own; more threads than cores hide that wait. Eight
/// kept the server's sessions busy on 2 cores (four left them waiting on the daemon 40% of the
/// time). Each thread reads through a connection of its own: twice as many slots as threads, so
/// two threads' home slots rarely collide, and a daemon holds at most 18 of the server's
/// connections with the writer's and the lookups' (PostgreSQL's default `max_connections`, 100,
/// leaves room for five daemons).
enum PostgresReads {
    static let threads = 8
    static let connections = 2 * threads
}

extension StoreError {
    /// A database this build must not open: written by a newer build, or not a database at all.
    var isConfigurationProblem: Bool {
        switch code {
        case .newerSchema, .corrupt, .configuration: true
        default: false
        }
    }
}

/// The command line (SPEC 1): where the config is, and what overrides it.
package struct DaemonOptions: Sendable {
    package var configPath: String
    package var socketPath: String?
    package var databasePath: String?
    package var logLevel: String?

    package init(configPath: String, socketPath: String?, databasePath: String?, logLevel: String?) {
        self.configPath = configPath
        self.socketPath = socketPath
        self.databasePath = databasePath
        self.logLevel = logLevel
    }
}

/// Creates the directories the socket and database live in, so `make run` works from a clean clone.
///
/// They get 0750 whatever the umask (the daemon's is 0077): the socket's group must be able to
/// reach the socket, whose own mode is the access barrier.
enum Directories {
    static func create(parentOf path: String) {
        let components = path.split(separator: "/").dropLast()
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in components {
            prefix += "/\(component)"
            if mkdir(prefix, 0o750) == 0 { _ = chmod(prefix, 0o750) }
        }
    }
}
