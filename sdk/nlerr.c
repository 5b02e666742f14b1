/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libnl's error numbers as errno: see <netns-helper/sdk.h>.  Only libnl's
 * header is needed (its constants); nothing links libnl here. */
#include <errno.h>
#include <netlink/errno.h>

#include <netns-helper/sdk.h>

int nh_nlerr_to_errno(int nle)
{
        switch (nle < 0 ? -nle : nle) {
        case 0:                 return 0;
        case NLE_EXIST:         return -EEXIST;
        case NLE_NODEV:         return -ENODEV;
        case NLE_OBJ_NOTFOUND:  return -ENOENT;
        case NLE_PERM:          return -EPERM;
        case NLE_INVAL:         return -EINVAL;
        case NLE_NOMEM:         return -ENOMEM;
        case NLE_BUSY:          return -EBUSY;
        case NLE_RANGE:         return -ERANGE;
        case NLE_NOADDR:        return -EADDRNOTAVAIL;
        case NLE_AF_NOSUPPORT:  return -EAFNOSUPPORT;
        case NLE_OPNOTSUPP:     return -EOPNOTSUPP;
        case NLE_AGAIN:         return -EAGAIN;
        case NLE_NOACCESS:      return -EACCES;
        case NLE_MSGSIZE:       return -EMSGSIZE;
        default:                return -EIO;
        }
}
