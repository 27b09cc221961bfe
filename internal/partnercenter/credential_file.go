package partnercenter

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Bounds of the credential files read: an ID token is a few kilobytes and a
// certificate with its chain a few dozen, so anything larger is not one.
const (
	MaxTokenFileSize       = 1 << 20
	MaxCertificateFileSize = 4 << 20
)

// ReadCredentialFile reads a credential from a regular file of at most limit
// bytes. A FIFO or device is refused before it is opened, because reading
// one could block past every timeout or never end (/dev/zero); a larger
// file is refused rather than read into memory.
func ReadCredentialFile(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, fileKind(info.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	// Checked again on what was opened, in case the path was swapped.
	if info, err = f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d KiB, too large for a credential", path, limit>>10)
	}
	return data, nil
}

func fileKind(mode os.FileMode) string {
	switch {
	case mode&os.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&os.ModeDevice != 0:
		return "a device"
	case mode&os.ModeSocket != 0:
		return "a socket"
	case mode.IsDir():
		return "a directory"
	}
	return "not a file"
}

// describeFileError names the problem without the path twice.
func describeFileError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}
