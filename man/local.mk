# The man pages of the commands, the configuration and the units
# (man/plugin.mk has the plugin author's page), generated from man/*.in
# with the configured directories.  tests/svc/man-pages.sh checks them
# with groff -wall.
nh_man_pages = \
	man/netns-helper.8 \
	man/netns-helper-run.8 \
	man/netns-helper.yaml.5 \
	man/netns-helper.units.7 \
	man/netns-helper-plugin.7
man_MANS += $(nh_man_pages)
EXTRA_DIST += $(nh_man_pages:=.in)
CLEANFILES += $(nh_man_pages)

# groff wants a '-' in a path escaped; the directories are the configured
# ones, so escape them as they are substituted.
nh_man_edit = sed \
	-e "s|@sysconfdir[@]|`echo '$(sysconfdir)' | sed 's/-/\\\\\\\\-/g'`|g" \
	-e "s|@runstatedir[@]|`echo '$(runstatedir)' | sed 's/-/\\\\\\\\-/g'`|g" \
	-e "s|@localstatedir[@]|`echo '$(localstatedir)' | sed 's/-/\\\\\\\\-/g'`|g" \
	-e "s|@pkgdatadir[@]|`echo '$(pkgdatadir)' | sed 's/-/\\\\\\\\-/g'`|g" \
	-e "s|@sbindir[@]|`echo '$(sbindir)' | sed 's/-/\\\\\\\\-/g'`|g" \
	-e "s|@includedir[@]|`echo '$(includedir)' | sed 's/-/\\\\\\\\-/g'`|g" \
	-e "s|@libdir[@]|`echo '$(libdir)' | sed 's/-/\\\\\\\\-/g'`|g" \
	-e "s|@plugindir[@]|`echo '$(plugindir)' | sed 's/-/\\\\\\\\-/g'`|g" \
	-e "s|@systemdsystemgeneratordir[@]|`echo '$(systemdsystemgeneratordir)' | sed 's/-/\\\\\\\\-/g'`|g"

$(nh_man_pages): Makefile
	$(AM_V_GEN)$(MKDIR_P) man && \
	$(nh_man_edit) $(srcdir)/$@.in > $@.tmp && mv -f $@.tmp $@
man/netns-helper.8: man/netns-helper.8.in
man/netns-helper-run.8: man/netns-helper-run.8.in
man/netns-helper.yaml.5: man/netns-helper.yaml.5.in
man/netns-helper.units.7: man/netns-helper.units.7.in
man/netns-helper-plugin.7: man/netns-helper-plugin.7.in
