#!/usr/bin/env bash
# System services the tests need, from Debian's packages, started on loopback.
# Each block installs only what is missing, so a second run costs nothing.
set -euo pipefail

# (No package needs a system service yet: PostgreSQL, Redis and Chromium are added
# here by the issues that bring the tests which use them.)
exit 0
