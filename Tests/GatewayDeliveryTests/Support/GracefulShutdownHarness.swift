import GatewayDelivery
import GatewayTestSupport
import ServiceLifecycle

/// Runs a deliverer in a real `ServiceGroup` and triggers its graceful shutdown once `condition`
/// holds, as SIGTERM would in the daemon.
enum GracefulShutdownHarness {
    static func run(_ deliverer: OutboxDeliverer, after condition: @escaping @Sendable () -> Bool) async throws {
        let group = ServiceGroup(configuration: .init(services: [deliverer], logger: quietLogger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually("condition before shutdown") { condition() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
