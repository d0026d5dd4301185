# Unit tests of openws2afd's portable parts: the Wine support policy (which Wine versions it runs on).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(afd_wine_version_test afd_wine_version_test.c)
target_include_directories(afd_wine_version_test PRIVATE ${OPENWS2_ROOT}/dlls/afd)
# The Wine releases whose completion-packet request number openws2 knows (include/wine_compat.h).
openws2_unit_test(wine_compat_request_test wine_compat_request_test.c)
