package partnercenter

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/cspkit/terraform-provider-partnercenter/internal/fixtures"
)

// recordedRequest is what a test server received.
type recordedRequest struct {
	method, path, query string
	header              http.Header
	body                []byte
}

// recorder keeps every request a test server received, in order.
type recorder struct {
	mu   sync.Mutex
	reqs []recordedRequest
}

// record stores r and returns how many requests came before it.
func (rec *recorder) record(r *http.Request) int {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = append(rec.reqs, recordedRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
	return len(rec.reqs) - 1
}

func (rec *recorder) all() []recordedRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recordedRequest(nil), rec.reqs...)
}

// byMethod returns the requests of one method.
func (rec *recorder) byMethod(method string) []recordedRequest {
	var out []recordedRequest
	for _, r := range rec.all() {
		if r.method == method {
			out = append(out, r)
		}
	}
	return out
}

func fixture(t testing.TB, name string) string {
	t.Helper()
	// Microsoft's payloads that the mock serves too live in internal/fixtures.
	b, err := fixtures.FS.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = os.ReadFile("testdata/" + name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dropConnection closes the connection without answering.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	_ = conn.Close()
}

// jsonObject decodes b into a generic map, failing the test otherwise.
func jsonObject(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, b)
	}
	return m
}

// sameJSONExcept reports whether a and b are the same JSON object apart
// from member except, which must differ.
func sameJSONExcept(t *testing.T, a, b []byte, except string) {
	t.Helper()
	ma, mb := jsonObject(t, a), jsonObject(t, b)
	if reflect.DeepEqual(ma[except], mb[except]) {
		t.Errorf("member %q unchanged: %v", except, ma[except])
	}
	delete(ma, except)
	delete(mb, except)
	if !reflect.DeepEqual(ma, mb) {
		t.Errorf("bodies differ beyond %q:\n%s\n%s", except, a, b)
	}
}
