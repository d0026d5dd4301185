/* app_category.h - LSP categories honoured at socket creation (src/core/app_category.c): a process whose
 * application entry (WSCSetApplicationCategory: its executable path, and its command-line arguments
 * as Extra) permits certain LSP categories gets only the protocol chains whose every layered
 * provider is permitted (its categories from WSCSetProviderInfo(ProviderInfoLspCategories)), as
 * Microsoft documents; an uncategorised process gets every chain. DLL build only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_APP_CATEGORY_H
#define OPENWS2_APP_CATEGORY_H

#include "catalog.h"

/* Takes a referenced snapshot, returns a referenced snapshot (cat itself, or a copy without the
 * chains the process may not use). Never NULL when cat is not. */
struct catalog *app_category_filter(struct catalog *cat);

/* Reads the process' identity and permitted categories once (WSAStartup calls it on the first
 * start); they stay the same for the process' lifetime, as on Windows. */
void app_category_identify(void);

/* Host tests only (tests/unit/app_category_host.c): the next use reads the identity again. */
void app_category_forget_identity(void);

/* Microsoft's matching rule: may an LSP with categories lsp load into an application that permits
 * app (app_known FALSE: the application is not categorised)? */
BOOL app_category_permits(BOOL app_known, DWORD app, DWORD lsp);

#endif
