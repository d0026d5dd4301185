# Unit tests of the DNS message module (src/resolve/dns_message.c). SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(dns_message_test dns_message_test.c ${OPENWS2_ROOT}/src/resolve/dns_message.c)
