# The systemd units (see man/netns-helper.units.7).  Each is generated from
# units/NAME.in with the configured paths substituted.
nh_units = \
	units/netns-helper@.service \
	units/netns-helper-macvlan@.service \
	units/netns-helper-veth@.service \
	units/netns-helper-wireguard@.service \
	units/netns-helper-dhcp@.service \
	units/netns-helper-dhcp6@.service \
	units/netns-helper-slaac@.service \
	units/netns-helper-postup@.service \
	units/netns-helper@.target
systemdsystemunit_DATA = $(nh_units)

# Not installed as a unit: a file plugin authors copy and edit (STAGE).
nhunittemplatedir = $(pkgdatadir)/units
nhunittemplate_DATA = units/netns-helper-STAGE@.service

# An in-tree one-shot stage needs no unit file of its own: its plugin's
# local.mk says "nh_template_stages += NAME" and netns-helper-NAME@.service
# is the STAGE template with its name put in.  Its place in the pipeline
# comes from its plugin's position (netns-helper-generator), so a new stage
# is its folder and its include line in Makefile.am, nothing else.
nh_template_units = $(nh_template_stages:%=units/netns-helper-%@.service)
systemdsystemunit_DATA += $(nh_template_units)
CLEANFILES += $(nh_template_units)
$(nh_template_units): units/netns-helper-STAGE@.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) units && \
	stage=`echo '$@' | sed 's|^units/netns-helper-\(.*\)@\.service$$|\1|'` && \
	{ echo "# The STAGE template (units/netns-helper-STAGE@.service.in) for the $$stage stage." && \
	  $(nh_units_edit) -e "/^#/!s|STAGE|$$stage|g" $(srcdir)/units/netns-helper-STAGE@.service.in; } > $@.tmp && \
	mv -f $@.tmp $@

nh_units_all = $(nh_units) $(nhunittemplate_DATA)
EXTRA_DIST += $(nh_units_all:=.in)
CLEANFILES += $(nh_units_all)

nh_units_edit = sed \
	-e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@pkglibexecdir[@]|$(pkglibexecdir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g'

$(nh_units_all): Makefile
	$(AM_V_GEN)$(MKDIR_P) units && \
	$(nh_units_edit) $(srcdir)/$@.in > $@.tmp && mv -f $@.tmp $@
units/netns-helper@.service: units/netns-helper@.service.in
units/netns-helper-macvlan@.service: units/netns-helper-macvlan@.service.in
units/netns-helper-veth@.service: units/netns-helper-veth@.service.in
units/netns-helper-wireguard@.service: units/netns-helper-wireguard@.service.in
units/netns-helper-dhcp@.service: units/netns-helper-dhcp@.service.in
units/netns-helper-dhcp6@.service: units/netns-helper-dhcp6@.service.in
units/netns-helper-slaac@.service: units/netns-helper-slaac@.service.in
units/netns-helper-postup@.service: units/netns-helper-postup@.service.in
units/netns-helper@.target: units/netns-helper@.target.in
units/netns-helper-STAGE@.service: units/netns-helper-STAGE@.service.in

dist_bashcompletion_DATA = conf/bash-completion/netns-helper conf/bash-completion/netns-helper-run
