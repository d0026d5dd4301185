/* app_category_rule.c - Microsoft's rule for loading a categorised LSP into a categorised
 * application (include/app_category.h: app_category_permits). Portable (no Windows calls), so the
 * host unit tests check it directly.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "app_category.h"

#ifndef LSP_SYSTEM
# define LSP_SYSTEM 0x80000000
#endif

BOOL app_category_permits(BOOL app_known, DWORD app, DWORD lsp)
{
    if (!app_known) return TRUE;                     /* an uncategorised application loads every LSP */
    if (!lsp || !(lsp & app) || (lsp & ~app)) return FALSE; /* some, and only, permitted categories */
    if ((app & LSP_SYSTEM) && !(lsp & LSP_SYSTEM)) return FALSE;
    return TRUE;
}
