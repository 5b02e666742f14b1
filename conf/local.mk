# Configuration shipped with netns-helper.
nhconfdir = $(sysconfdir)/netns-helper
nhexamplesdir = $(docdir)/examples
dist_nhexamples_DATA = conf/netns-helper.yaml conf/example.yaml conf/example-macvlan.conf

# Never overwrite an administrator's file on "make install".
install-data-local: install-nhconf
install-nhconf:
	$(MKDIR_P) '$(DESTDIR)$(nhconfdir)/ns'
	test -e '$(DESTDIR)$(nhconfdir)/netns-helper.yaml' || \
		$(INSTALL_DATA) '$(srcdir)/conf/netns-helper.yaml' '$(DESTDIR)$(nhconfdir)/netns-helper.yaml'
uninstall-local: uninstall-nhconf
uninstall-nhconf:
	if test -e '$(DESTDIR)$(nhconfdir)/netns-helper.yaml' && \
	   cmp -s '$(srcdir)/conf/netns-helper.yaml' '$(DESTDIR)$(nhconfdir)/netns-helper.yaml'; then \
		rm -f '$(DESTDIR)$(nhconfdir)/netns-helper.yaml'; fi
	-rmdir '$(DESTDIR)$(nhconfdir)/ns' '$(DESTDIR)$(nhconfdir)'
.PHONY: install-nhconf uninstall-nhconf
