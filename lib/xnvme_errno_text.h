/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal (Windows): the text of the POSIX errno values the C runtime's strerror does not name
 * (it knows those up to 42; mingw-w64 numbers the others from 100). Strings only, no code: the
 * library (compat_win.c) and the tools (tools/cli.c) include it, so both name them alike.
 */
#ifndef __XNVME_ERRNO_TEXT_H
#define __XNVME_ERRNO_TEXT_H
#include <errno.h>

static const struct xnvme_errno_text {
	int errnum;
	const char *text;
} xnvme_errno_text[] = {
    {ENOTSUP, "Operation not supported"},
    {EOPNOTSUPP, "Operation not supported"},
    {ENODATA, "No data available"},
    {ETIMEDOUT, "Connection timed out"},
    {ECANCELED, "Operation canceled"},
    {EOVERFLOW, "Value too large for defined data type"},
    {EPROTO, "Protocol error"},
    {EBADMSG, "Bad message"},
    {ENOBUFS, "No buffer space available"},
    {ECONNREFUSED, "Connection refused"},
    {ECONNRESET, "Connection reset by peer"},
    {ENOTCONN, "Transport endpoint is not connected"},
    {EINPROGRESS, "Operation now in progress"},
    {EALREADY, "Operation already in progress"},
    {EWOULDBLOCK, "Resource temporarily unavailable"},
    {EMSGSIZE, "Message too long"},
    {EADDRINUSE, "Address already in use"},
    {EHOSTUNREACH, "No route to host"},
    {ENETUNREACH, "Network is unreachable"},
};

#endif
