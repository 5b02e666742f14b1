# Build rules for man (included from the top-level Makefile.am).
# "Writing a stage plugin".  Its EXAMPLE block is tests/sdk/example/hello.c,
# kept identical by tests/sdk/man-example.sh.
# Generated with the configured paths like the others: man/local.mk.
