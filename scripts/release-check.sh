#!/usr/bin/env bash
# make release-check: `goreleaser check` on .goreleaser.yml, then a snapshot
# release (no signing, no publishing) for this machine's platform only, and
# checks of what the Terraform Registry will read: the archive's and the
# binary's names, the manifest in the checksums file and the version the
# binary reports. GoReleaser comes from tools/goreleaser/go.mod, a module of its
# own so that its many dependencies do not move those of the linters.
set -euo pipefail
cd "$(dirname "$0")/.."
project=terraform-provider-partnercenter
goreleaser=(go tool -modfile=tools/goreleaser/go.mod goreleaser)
work=.cache/release-check
fail() { echo "release-check: $*" >&2; exit 1; }
command -v unzip >/dev/null || fail "unzip is needed to look inside the archive"

"${goreleaser[@]}" check

# The same configuration, built for one target: GoReleaser's `targets` list
# takes the place of the goos/goarch matrix, and dist/ goes to the cache.
target="$(go env GOOS)_$(go env GOARCH)"
rm -rf "$work" && mkdir -p "$work"
{
  cat .goreleaser.yml
  echo "dist: $work/dist"
} | awk -v target="$target" '{ print } /^    binary: / { print "    targets: [" target "]" }' >"$work/goreleaser.yml"
grep -q "targets: \[$target\]" "$work/goreleaser.yml" || fail "could not narrow the build to $target"
"${goreleaser[@]}" release --config "$work/goreleaser.yml" --snapshot --clean --skip=sign >"$work/goreleaser.log" 2>&1 ||
  { cat "$work/goreleaser.log"; fail "the snapshot release failed"; }

dist="$work/dist"
name="$(sed -n 's/.*"project_name":"\([^"]*\)".*/\1/p' "$dist/metadata.json")"
version="$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' "$dist/metadata.json")"
[ "$name" = "$project" ] || fail "project name is '$name', not $project"
[ -n "$version" ] || fail "no version in $dist/metadata.json"

archive="${project}_${version}_${target}.zip"
[ -f "$dist/$archive" ] || { ls "$dist"; fail "no archive $archive"; }
binary="${project}_v${version}"
# Beside README.md and CHANGELOG.md, the one provider binary, named as
# Terraform and OpenTofu look for it.
# The listing is read whole first: grep -q stops at its first match, and
# under pipefail the unzip it cut off would fail the check.
listing="$(unzip -Z1 "$dist/$archive")"
providers="$(grep "^$project" <<<"$listing" || true)"
[ "$providers" = "$binary" ] || fail "$archive holds '${providers//$'\n'/ }' where $binary alone belongs"

grep -qx LICENSE <<<"$listing" || fail "$archive lacks the LICENSE file"

sums="$dist/${project}_${version}_SHA256SUMS"
[ -f "$sums" ] || fail "no checksums file ${sums##*/}"
manifest_sum="$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)"
grep -qx "$manifest_sum  ${project}_${version}_manifest.json" "$sums" ||
  { cat "$sums"; fail "${sums##*/} lacks ${project}_${version}_manifest.json with the manifest's checksum"; }
archive_sum="$(sha256sum "$dist/$archive" | cut -d' ' -f1)"
grep -qx "$archive_sum  $archive" "$sums" || { cat "$sums"; fail "${sums##*/} lacks $archive's checksum"; }

unzip -q -o "$dist/$archive" -d "$work/unpacked"
reported="$("$work/unpacked/$binary" -version)"
[ "$reported" = "$version" ] || fail "$binary reports version '$reported', not $version"

echo "release-check: $archive holds LICENSE and $binary, which reports $version; ${sums##*/} lists the archive and the manifest"
