# Build rules for tests/e2e (included from the top-level Makefile.am).
# End-to-end tests in a systemd booted with systemd-nspawn from a cached
# Debian root (tests/e2e/lib-e2e.sh; skipped without root, systemd-nspawn
# or debootstrap).
TESTS += tests/e2e/torrents.sh tests/e2e/yaml-dhcp6.sh tests/e2e/boot.sh
dist_check_SCRIPTS += tests/e2e/torrents.sh tests/e2e/yaml-dhcp6.sh tests/e2e/boot.sh
EXTRA_DIST += tests/e2e/lib-e2e.sh

# When the DHCP stage fails, neither the post-up hook nor a service put
# into the namespace may start, and the namespace's target is not active
# (requirement links); disable --now leaves nothing failed.
TESTS += tests/e2e/dhcp-fails.sh
dist_check_SCRIPTS += tests/e2e/dhcp-fails.sh

# A service added to a namespace comes back with it; reload applies a file.
TESTS += tests/e2e/services-come-back.sh
dist_check_SCRIPTS += tests/e2e/services-come-back.sh

# The macvlan fails: the DHCP units fail once, naming it; no veth uplink.
TESTS += tests/e2e/macvlan-fails.sh
dist_check_SCRIPTS += tests/e2e/macvlan-fails.sh

# The macvlan's parent deleted and back: the namespace heals by itself.
TESTS += tests/e2e/parent-deleted.sh
dist_check_SCRIPTS += tests/e2e/parent-deleted.sh

# The original README's example with a VPN namespace (wireguard-go).
TESTS += tests/e2e/vpn.sh
dist_check_SCRIPTS += tests/e2e/vpn.sh

# A service added to a namespace resolves through the namespace's DNS
# server only, on a host that runs systemd-resolved.
TESTS += tests/e2e/dns-leak.sh
dist_check_SCRIPTS += tests/e2e/dns-leak.sh

# The slaac stage under systemd, against dnsmasq's router advertisements.
TESTS += tests/e2e/slaac.sh
dist_check_SCRIPTS += tests/e2e/slaac.sh

# The dhclient-backed implementations in the same hardened DHCP units.
TESTS += tests/e2e/dhclient.sh
dist_check_SCRIPTS += tests/e2e/dhclient.sh

# The install staged for the container (lib-e2e.sh e2e_stage).  Only
# prerequisites on clean-local, so other fragments can add theirs.
clean-local: e2e-clean-local
e2e-clean-local:
	-rm -rf tests/e2e/stage tests/e2e/deb
.PHONY: e2e-clean-local

# The Debian package: built, installed with apt into the container, the
# original README's example on the packaged paths, purged.
TESTS += tests/e2e/package.sh
dist_check_SCRIPTS += tests/e2e/package.sh

# The stage units start in the plugins' order (netns-helper-generator),
# an out-of-tree stage's unit included.
TESTS += tests/e2e/unit-order.sh
dist_check_SCRIPTS += tests/e2e/unit-order.sh
