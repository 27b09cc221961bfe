package gdap_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/acctest"
	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// errorWhenCreated turns the relationship's first assignment to Graph's
// `error` status as soon as the mock stores it, while the apply waits.
func errorWhenCreated(t *testing.T, mock *mockpartnercenter.Server, relID string) {
	t.Helper()
	done := make(chan struct{})
	t.Cleanup(func() { <-done })
	go func() {
		defer close(done)
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if list := mock.GDAPAccessAssignments(relID); len(list) > 0 {
				if err := mock.SetGDAPAccessAssignmentStatus(relID, fmt.Sprint(list[0]["id"]), "error"); err != nil {
					t.Error(err)
				}
				return
			}
		}
		t.Error("no assignment was created")
	}()
}

// deletedUnderETag checks that the one DELETE sent carried etag.
func deletedUnderETag(t *testing.T, mock *mockpartnercenter.Server, etag string) {
	t.Helper()
	deletes := assignmentWrites(mock, http.MethodDelete)
	if len(deletes) != 1 || deletes[0].Header.Get("If-Match") != etag {
		t.Errorf("want one DELETE with If-Match %q, got %d: %v", etag, len(deletes), deletes)
	}
}

// An assignment Graph reports in status error is saved with that status
// and fails the apply; Terraform taints it, and the next apply deletes it
// under its etag and creates it again.
func TestAccGDAPAccessAssignment_errorStatusReplaced(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "Errored", false, userAdmin)
	mock.SetGDAPAssignmentsPending(1000)
	errorWhenCreated(t, mock, relID)
	tf := acctest.NewKillableTerraform(t)
	tf.Write(assignmentConfig(mock, relID, userAdmin))
	out, ok := tf.Run("apply", "-auto-approve")
	if ok || !strings.Contains(out, `status "error"`) || !strings.Contains(out, "next apply deletes it") {
		t.Fatalf("apply did not fail on the errored assignment:\n%s", out)
	}
	stored := mock.GDAPAccessAssignments(relID)
	if len(stored) != 1 {
		t.Fatalf("the mock holds %d assignments, want 1", len(stored))
	}
	errored, etag := fmt.Sprint(stored[0]["id"]), fmt.Sprint(stored[0]["@odata.etag"])
	if st := tf.StateValues(assignmentAddress); st["id"] != errored || st["status"] != "error" {
		t.Errorf("state %v, want id %s in status error", st, errored)
	}
	if out, _ := tf.Run("show"); !strings.Contains(out, "tainted") {
		t.Errorf("the errored assignment is not tainted:\n%s", out)
	}
	mock.SetGDAPAssignmentsPending(0)
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("the apply replacing the errored assignment failed:\n%s", out)
	}
	deletedUnderETag(t, mock, etag)
	if n := len(assignmentWrites(mock, http.MethodPost)); n != 2 {
		t.Errorf("%d POSTs, want 2", n)
	}
	if err := activeAssignment(mock, relID, userAdmin)(nil); err != nil {
		t.Error(err)
	}
	if st := tf.StateValues(assignmentAddress); st["id"] == errored || st["status"] != "active" {
		t.Errorf("state %v, want a new active assignment", st)
	}
}

// A group's errored assignment outside the state is not adopted: the plan
// says it must be deleted first, with nothing written; imported as the
// advice says, the next apply replaces it.
func TestAccGDAPAccessAssignment_erroredNotAdopted(t *testing.T) {
	mock := acctest.StartMock(t, mockpartnercenter.Options{})
	relID := seedRelationship(t, mock, "Errored outside", false, userAdmin)
	tf := acctest.NewKillableTerraform(t)
	tf.Write(assignmentConfig(mock, relID, userAdmin))
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("first apply failed:\n%s", out)
	}
	errored := fmt.Sprint(mock.GDAPAccessAssignments(relID)[0]["id"])
	if _, ok := tf.Run("state", "rm", assignmentAddress); !ok {
		t.Fatal("state rm failed")
	}
	if err := mock.SetGDAPAccessAssignmentStatus(relID, errored, "error"); err != nil {
		t.Fatal(err)
	}
	etag := fmt.Sprint(mock.GDAPAccessAssignments(relID)[0]["@odata.etag"])
	out, ok := tf.Run("apply", "-auto-approve")
	if ok || !strings.Contains(out, "must be deleted first") || !strings.Contains(out, relID+"/"+errored) {
		t.Fatalf("apply did not refuse the errored assignment at plan naming the import:\n%s", out)
	}
	if n := len(assignmentWrites(mock, http.MethodPost)) + len(assignmentWrites(mock, http.MethodDelete)); n != 1 {
		t.Errorf("%d writes, want the first POST only", n)
	}
	if out, ok := tf.Run("import", assignmentAddress, relID+"/"+errored); !ok {
		t.Fatalf("import failed:\n%s", out)
	}
	if out, ok := tf.Run("plan"); !ok || !strings.Contains(out, "must be replaced") {
		t.Fatalf("plan after the import does not replace it:\n%s", out)
	}
	if out, ok := tf.Run("apply", "-auto-approve"); !ok {
		t.Fatalf("apply after the import failed:\n%s", out)
	}
	deletedUnderETag(t, mock, etag)
	if err := activeAssignment(mock, relID, userAdmin)(nil); err != nil {
		t.Error(err)
	}
	if st := tf.StateValues(assignmentAddress); st["id"] == errored || st["status"] != "active" {
		t.Errorf("state %v, want a new active assignment", st)
	}
}
