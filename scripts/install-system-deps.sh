#!/usr/bin/env bash
# Installs what the tests need from Debian when it is missing: Chromium for Playwright
# (its own browser download cannot work offline), a PostgreSQL server, and R with lme4.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)
# R with lme4: the statistics tests compare the app's figures with the field's reference fit.
command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(lme4)' >/dev/null 2>&1 || need+=(r-base-core r-cran-lme4)
if [ ${#need[@]} -gt 0 ]; then
	echo "Installing with apt: ${need[*]}"
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-liberation >/dev/null
fi
# Debian's postgresql package starts a cluster of its own; the tests use their own throwaway one.
id postgres >/dev/null 2>&1 || { echo "the 'postgres' system user is missing" >&2; exit 1; }
