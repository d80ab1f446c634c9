import CGatewayShims
import NIOCore

/// Who is on the other end of a Unix socket connection, as the kernel reports it: `SO_PEERCRED`
/// for the user, primary group and pid, `SO_PEERGROUPS` for the supplementary groups the peer
/// process holds (not what `/etc/group` lists for its user). Both are fixed when the peer
/// connects, so they are read once per connection. The daemon turns them into its `Peer`.
package typealias PeerCredentials = (pid: Int32, uid: UInt32, gid: UInt32, groups: [UInt32])

enum PeerCredentialsReader {
    /// Reads the credentials once, when the connection is set up; they cannot change afterwards.
    static func read(from channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        return provider.unsafeGetSocketOption(
            level: .socket, name: NIOBSDSocket.Option(rawValue: pmsgw_so_peercred())
        ).flatMap { (credentials: pmsgw_ucred) in
            PeerGroups.read(from: provider, eventLoop: channel.eventLoop).map { groups in
                (pid: credentials.pid, uid: credentials.uid, gid: credentials.gid, groups: groups)
            }
        }
    }
}

/// `SO_PEERGROUPS` through NIO's fixed-size socket-option API.
///
/// The kernel reports how many groups it copied only through `optlen`, which NIO does not hand
/// back; it does hand back a buffer zeroed before the call. Two facts recover the list exactly:
/// a zero-byte probe succeeds only when the peer holds no group (more than zero bytes needed is
/// `ERANGE`), and the kernel keeps every group list sorted ascending (its membership test is a
/// binary search), so the groups are the longest non-decreasing prefix of the buffer: the zero
/// fill after the last group breaks the order unless every group was 0, in which case the fill
/// adds nothing new to the set.
enum PeerGroups {
    /// More supplementary groups than this (Linux allows 65,536) are not read: such a peer is
    /// matched by uid and primary gid only, which can only refuse, never allow, more.
    static let capacity = 1024

    private struct NoBytes {}

    static func read(from provider: any SocketOptionProvider, eventLoop: any EventLoop) -> EventLoopFuture<[UInt32]> {
        let name = NIOBSDSocket.Option(rawValue: pmsgw_so_peergroups())
        let none: EventLoopFuture<NoBytes> = provider.unsafeGetSocketOption(level: .socket, name: name)
        return none.map { _ in [UInt32]() }.flatMapError { _ in
            let groups: EventLoopFuture<InlineArray<1024, UInt32>> = provider.unsafeGetSocketOption(
                level: .socket, name: name)
            return groups.map { buffer in
                var result: [UInt32] = []
                for index in buffer.indices {
                    let gid = buffer[index]
                    if let last = result.last, gid < last { break }
                    if result.last != gid { result.append(gid) }
                }
                return result
            }.recover { _ in [] }
        }
    }
}
