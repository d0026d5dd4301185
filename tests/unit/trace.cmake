# Unit tests of the trace library's portable core (src/shared/trace.c): the OPENWS2_TRACE selection syntax.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(trace_spec_test trace_spec_test.c ${OPENWS2_ROOT}/src/shared/trace.c)
# The argument decoders (src/shared/trace_decode.c): addresses as text, option/ioctl/error names.
openws2_unit_test(trace_decode_test trace_decode_test.c ${OPENWS2_ROOT}/src/shared/trace_decode.c)
