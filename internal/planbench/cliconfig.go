package planbench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// ProviderBinaryName is the file name Terraform looks for in a dev_overrides
// directory and in a filesystem mirror.
const ProviderBinaryName = "terraform-provider-partnercenter"

// WriteCLIConfig installs plugin (the planbench executable, which Terraform
// will start as the provider) under dir and writes dir/terraformrc, returning
// its path. dev_overrides makes plan run the plugin; the filesystem mirror
// lets `terraform init` succeed offline, as scripts/dev-cli-config.sh does.
func WriteCLIConfig(dir, plugin string) (string, error) {
	override := filepath.Join(dir, "override")
	mirrorRoot := filepath.Join(dir, "mirror")
	mirror := filepath.Join(mirrorRoot, "registry.terraform.io", "cspkit", "partnercenter", "0.0.1",
		runtime.GOOS+"_"+runtime.GOARCH)
	for _, d := range []string{override, mirror} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", err
		}
		if err := copyExecutable(plugin, filepath.Join(d, ProviderBinaryName)); err != nil {
			return "", err
		}
	}
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "cspkit/partnercenter" = %q
  }
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/cspkit/partnercenter"]
  }
}
`, override, mirrorRoot)
	path := filepath.Join(dir, "terraformrc")
	return path, os.WriteFile(path, []byte(rc), 0o600)
}

// copyExecutable copies src to dst with mode 0755. A copy rather than a
// symlink: under `go run` the source lives in a temporary build directory.
func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
