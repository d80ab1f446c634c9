import NIOCore

/// Runs a task's jobs on one event loop.
///
/// A connection's lookups that wait on the network (``LineResponse/suspending(_:)``) start and end
/// on the loop that reads and writes the connection: a task on Swift's global pool would cost a
/// thread switch to start and another to come back for every request.
/// Only work that never blocks may run here; a job that blocks stalls every connection of the loop.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
