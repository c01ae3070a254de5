import CCurl
import Foundation

/// The descriptors ``CurlEngine``'s thread waits on (libcurl's sockets and the wake-up pipe),
/// and the wait itself: epoll(7) on Linux, poll(2) elsewhere.
///
/// epoll because the engine waits once or more per request: poll(2) made the kernel visit
/// every watched socket on each wait, which was a tenth of `copypt copy`'s CPU for
/// 1,000 small objects at 16 in flight (scripts/bench P1). Engine thread only.
final class SocketWatcher {
    /// What each descriptor is watched for: `(readable, writable)`.
    private var watched: [Int32: (readable: Bool, writable: Bool)] = [:]
    #if os(Linux)
    private let epoll: Int32
    private var readyDescriptors = [Int32](repeating: 0, count: 64)
    private var readyMasks = [Int32](repeating: 0, count: 64)
    #else
    private var descriptors: [pollfd] = []
    #endif

    init() throws {
        #if os(Linux)
        epoll = copypt_epoll_create()
        guard epoll >= 0 else {
            throw HTTPError.transport(host: "-", code: -1, detail: "epoll_create1 failed (errno \(errno))")
        }
        #endif
    }

    deinit {
        #if os(Linux)
        close(epoll)
        #endif
    }

    /// Watches `descriptor` for reading and/or writing (replacing what it was watched for).
    func watch(_ descriptor: Int32, readable: Bool, writable: Bool) {
        let known = watched.updateValue((readable, writable), forKey: descriptor) != nil
        #if os(Linux)
        if copypt_epoll_watch(epoll, descriptor, readable ? 1 : 0, writable ? 1 : 0, known ? 1 : 0) != 0 {
            // A socket closed and its number reused behind our back: the kernel dropped the
            // old entry (ENOENT on modify), or still has one we did not know of (EEXIST on add).
            _ = copypt_epoll_watch(epoll, descriptor, readable ? 1 : 0, writable ? 1 : 0, known ? 0 : 1)
        }
        #endif
    }

    /// Stops watching `descriptor` (which may already be closed).
    func remove(_ descriptor: Int32) {
        guard watched.removeValue(forKey: descriptor) != nil else { return }
        #if os(Linux)
        _ = copypt_epoll_unwatch(epoll, descriptor)
        #endif
    }

    /// Waits up to `timeout` milliseconds, then calls `ready` with each ready descriptor and
    /// libcurl's `CURL_CSELECT_*` bits for it.
    func wait(timeout: Int32, _ ready: (_ descriptor: Int32, _ mask: Int32) -> Void) {
        #if os(Linux)
        let count = copypt_epoll_wait(epoll, &readyDescriptors, &readyMasks, 64, timeout)
        for index in 0..<Int(max(count, 0)) { ready(readyDescriptors[index], readyMasks[index]) }
        #else
        descriptors.removeAll(keepingCapacity: true)
        for (descriptor, wanted) in watched {
            let events = (wanted.readable ? POLLIN : 0) | (wanted.writable ? POLLOUT : 0)
            descriptors.append(pollfd(fd: descriptor, events: Int16(events), revents: 0))
        }
        guard poll(&descriptors, nfds_t(descriptors.count), timeout) > 0 else { return }
        for descriptor in descriptors where descriptor.revents != 0 {
            var mask: Int32 = 0
            if descriptor.revents & Int16(POLLIN | POLLHUP) != 0 { mask |= CURL_CSELECT_IN }
            if descriptor.revents & Int16(POLLOUT) != 0 { mask |= CURL_CSELECT_OUT }
            if descriptor.revents & Int16(POLLERR | POLLNVAL) != 0 { mask |= CURL_CSELECT_ERR }
            ready(descriptor.fd, mask)
        }
        #endif
    }
}
