// Swift cannot call C variadic functions, so libcurl's setopt/getinfo calls are
// wrapped here in typed inline functions, one per argument kind.
#ifndef COPYPT_CCURL_SHIM_H
#define COPYPT_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode copypt_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode copypt_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode copypt_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode copypt_easy_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode copypt_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*copypt_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode copypt_easy_setopt_data_cb(CURL *h, CURLoption o, copypt_data_callback cb) { return curl_easy_setopt(h, o, cb); }

static inline CURLcode copypt_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode copypt_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode copypt_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode copypt_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode copypt_multi_setopt_ptr(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }

typedef int (*copypt_socket_callback)(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp);
typedef int (*copypt_timer_callback)(CURLM *multi, long timeout_ms, void *userp);
static inline CURLMcode copypt_multi_setopt_socket_cb(CURLM *m, copypt_socket_callback cb) { return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, cb); }
static inline CURLMcode copypt_multi_setopt_timer_cb(CURLM *m, copypt_timer_callback cb) { return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, cb); }


// The engine thread waits on libcurl's sockets with epoll on Linux (SocketWatcher.swift).
// struct epoll_event is packed on x86_64, so it stays on this side of the bridge.
#ifdef __linux__
#include <sys/epoll.h>

static inline int copypt_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/// Adds `fd` (or changes what it is watched for, when `modify`): readable and/or writable.
static inline int copypt_epoll_watch(int epfd, int fd, int readable, int writable, int modify) {
    struct epoll_event event = { .events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0), .data = { .fd = fd } };
    return epoll_ctl(epfd, modify ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event);
}

static inline int copypt_epoll_unwatch(int epfd, int fd) {
    struct epoll_event unused = { 0 };
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &unused);
}

/// Waits like epoll_wait(2) for at most 64 events, handing back each ready descriptor with
/// libcurl's CURL_CSELECT_* bits for it.
static inline int copypt_epoll_wait(int epfd, int *fds, int *masks, int max, int timeout_ms) {
    struct epoll_event events[64];
    int n = epoll_wait(epfd, events, max < 64 ? max : 64, timeout_ms);
    for (int i = 0; i < n; i++) {
        unsigned e = events[i].events;
        fds[i] = events[i].data.fd;
        masks[i] = ((e & (EPOLLIN | EPOLLHUP)) ? CURL_CSELECT_IN : 0)
                 | ((e & EPOLLOUT) ? CURL_CSELECT_OUT : 0)
                 | ((e & EPOLLERR) ? CURL_CSELECT_ERR : 0);
    }
    return n;
}
#endif

#endif
