# The man pages of the commands, the configuration and the units
# (man/plugin.mk has the plugin author's page).  Checked by
# tests/svc/man-pages.sh with groff -wall.
dist_man_MANS += \
	man/netns-helper.8 \
	man/netns-helper-run.8 \
	man/netns-helper.yaml.5 \
	man/netns-helper.units.7
