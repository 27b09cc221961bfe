package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cspkit/terraform-provider-partnercenter/internal/mockpartnercenter"
)

// killableTerraform runs the Terraform CLI on a configuration in a
// directory of its own, with the provider built into a binary whose path
// no other process has, so that the test can find that process and kill
// it with SIGKILL: an interruption no code of the provider sees.
type killableTerraform struct {
	t         *testing.T
	dir       string
	terraform string
	provider  string // the provider binary Terraform runs
	env       []string
}

func newKillableTerraform(t *testing.T) *killableTerraform {
	t.Helper()
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		terraform = "/usr/local/bin/terraform"
	}
	if _, err := os.Stat(terraform); err != nil {
		t.Skipf("no Terraform CLI at %s: %v", terraform, err)
	}
	root := t.TempDir()
	override := filepath.Join(root, "override")
	provider := filepath.Join(override, "terraform-provider-partnercenter")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", provider, ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(root, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", Address, override)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "work")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return &killableTerraform{
		t: t, dir: dir, terraform: terraform, provider: provider,
		env: append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"),
	}
}

// write replaces the configuration with hcl, under a terraform block that
// takes the provider from the binary. The source names its registry host,
// so that OpenTofu, whose default host is another, matches the same
// dev_overrides entry.
func (k *killableTerraform) write(hcl string) {
	k.t.Helper()
	required := fmt.Sprintf("terraform {\n  required_providers {\n    partnercenter = {\n      source = %q\n    }\n  }\n}\n", Address)
	if err := os.WriteFile(filepath.Join(k.dir, "main.tf"), []byte(required+hcl), 0o600); err != nil {
		k.t.Fatal(err)
	}
}

func (k *killableTerraform) command(args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.CommandContext(k.t.Context(), k.terraform, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = k.dir, k.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs terraform with args and returns its output and whether it
// succeeded.
func (k *killableTerraform) run(args ...string) (string, bool) {
	k.t.Helper()
	cmd, out := k.command(args...)
	err := cmd.Run()
	k.t.Logf("terraform %s:\n%s", strings.Join(args, " "), out)
	return out.String(), err == nil
}

// applyKilledWhen starts `terraform apply`, waits until committed reports
// that Partner Center has made the object, kills the provider process with
// SIGKILL and checks that Terraform failed.
func (k *killableTerraform) applyKilledWhen(committed func() bool) {
	k.t.Helper()
	cmd, out := k.command("apply", "-auto-approve")
	if err := cmd.Start(); err != nil {
		k.t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(2 * time.Minute); !committed(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			k.t.Fatalf("Partner Center never committed the write (terraform: %v):\n%s", <-exited, out)
		}
	}
	if killed := k.killProvider(); killed != 1 {
		k.t.Errorf("killed %d provider processes, want 1", killed)
	}
	select {
	case err := <-exited:
		if err == nil {
			k.t.Errorf("terraform apply succeeded although its provider was killed:\n%s", out)
		}
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		k.t.Fatalf("terraform apply went on after its provider was killed:\n%s", out)
	}
	k.t.Logf("terraform apply, provider killed:\n%s", out)
}

// killProvider sends SIGKILL to every process running this test's provider
// binary and returns how many there were.
func (k *killableTerraform) killProvider() int {
	k.t.Helper()
	cmdlines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		k.t.Fatal(err)
	}
	killed := 0
	for _, path := range cmdlines {
		raw, err := os.ReadFile(path)
		if err != nil {
			continue // the process has gone
		}
		if arg0, _, _ := bytes.Cut(raw, []byte{0}); string(arg0) != k.provider {
			continue
		}
		var pid int
		if _, err := fmt.Sscanf(path, "/proc/%d/cmdline", &pid); err != nil {
			continue
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err == nil {
			killed++
		}
	}
	return killed
}

// stateValues are the attribute values of the resource at address in
// `terraform show -json`; nil when the state has no such resource.
func (k *killableTerraform) stateValues(address string) map[string]any {
	k.t.Helper()
	cmd, out := k.command("show", "-json")
	if err := cmd.Run(); err != nil {
		k.t.Fatalf("terraform show: %v\n%s", err, out)
	}
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(out.Bytes(), &shown); err != nil {
		k.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	for _, r := range shown.Values.RootModule.Resources {
		if r.Address == address {
			return r.Values
		}
	}
	return nil
}

// importAdvice finds the import block a refusal offers.
var importAdvice = regexp.MustCompile(`import \{\s+to = partnercenter_customer_subscription\.NAME\s+id = "([^"]+)"\s+\}`)

// The provider is killed with SIGKILL once Partner Center has bought, before
// Terraform saved anything: the next apply buys nothing and refuses, naming
// the subscription and the import block that adopts it; with that block the
// apply adopts it (one purchase in all), and a second identical purchase
// goes through once the configuration says it is in addition to the first.
func TestAccCustomerSubscriptionResource_providerKilledAfterCheckout(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{OrderPendingReads: -1})
	tf := newKillableTerraform(t)
	before := mock.SubscriptionIDs(documentedID)
	config := providerBlock(mock, "") + purchaseBlocks("quantity = 2\n  auto_renew = false")
	tf.write(config)

	// The checkout commits, then its answer never comes.
	mock.SetFault(documentedID, mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, AfterCommit: true, Route: mockpartnercenter.RouteCheckout})
	tf.applyKilledWhen(func() bool { return mock.Purchases(documentedID) == 1 })
	mock.SetFault(documentedID, mockpartnercenter.Fault{Route: mockpartnercenter.RouteCheckout})
	if values := tf.stateValues(subscriptionAddress); values != nil {
		t.Fatalf("the state holds the subscription although the provider was killed before answering: %v", values)
	}

	// The next apply refuses, buying nothing and writing nothing.
	writes := mock.WriteRequests()
	out, ok := tf.run("apply", "-auto-approve")
	if ok {
		t.Fatal("the apply after the kill succeeded; want the refusal")
	}
	added := newSubscriptionIDs(mock, before)
	if len(added) != 1 {
		t.Fatalf("the mock holds new subscriptions %v, want the one bought before the kill", added)
	}
	flat := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(flat, "Same product bought recently") || !strings.Contains(flat, added[0]) {
		t.Errorf("the refusal does not name subscription %s:\n%s", added[0], out)
	}
	advice := importAdvice.FindStringSubmatch(out)
	if advice == nil || advice[1] != documentedID+"/"+added[0] {
		t.Fatalf("the refusal gives no import block for %s/%s:\n%s", documentedID, added[0], out)
	}
	if got := mock.WriteRequests() - writes; got != 0 {
		t.Errorf("the refused apply sent %d writes, want none", got)
	}

	// The advice, followed: the import block adopts the subscription.
	tf.write(config + strings.Replace(advice[0], "NAME", "test", 1) + "\n")
	if out, ok := tf.run("apply", "-auto-approve"); !ok {
		t.Fatalf("the apply with the import block failed:\n%s", out)
	}
	if got := mock.Purchases(documentedID); got != 1 {
		t.Errorf("%d purchases after adopting, want 1", got)
	}
	token := issueMockToken(t, mock, mockClientSecret, mockRefreshToken)
	stored := rawSubscription(t, mock, token, added[0])
	state := tf.stateValues(subscriptionAddress)
	for attr, member := range map[string]string{"id": "id", "quantity": "quantity", "auto_renew": "autoRenewEnabled",
		"friendly_name": "friendlyName", "status": "status", "order_id": "orderId"} {
		if fmt.Sprint(state[attr]) != fmt.Sprint(stored[member]) {
			t.Errorf("state %s = %v, Partner Center's %s = %v", attr, state[attr], member, stored[member])
		}
	}
	// The killed apply never sent the PATCH of auto_renew; the adopting
	// apply imported the subscription and then changed it as planned.
	if stored["autoRenewEnabled"] != false {
		t.Errorf("Partner Center's autoRenewEnabled = %v, want false as configured", stored["autoRenewEnabled"])
	}

	// A deliberate second purchase of the same SKU.
	second := strings.Replace(strings.Replace(purchaseBlocks("quantity = 1\n  additional_to = [partnercenter_customer_subscription.test.id]"),
		`resource "partnercenter_customer_subscription" "test"`, `resource "partnercenter_customer_subscription" "again"`, 1),
		`data "partnercenter_product_availabilities" "basic"`, `data "partnercenter_product_availabilities" "again"`, 1)
	second = strings.Replace(second, "data.partnercenter_product_availabilities.basic", "data.partnercenter_product_availabilities.again", 1)
	tf.write(config + second)
	if out, ok := tf.run("apply", "-auto-approve"); !ok {
		t.Fatalf("the acknowledged second purchase failed:\n%s", out)
	}
	if got := mock.Purchases(documentedID); got != 2 {
		t.Errorf("%d purchases, want 2: the adopted one and the acknowledged second", got)
	}
	again := tf.stateValues("partnercenter_customer_subscription.again")
	if again == nil || again["id"] == added[0] || fmt.Sprint(again["quantity"]) != "1" {
		t.Errorf("the second subscription's state is %v", again)
	}
	t.Logf("purchases counted by the mock: %d; checkouts: %d", mock.Purchases(documentedID), mock.Requests(mockpartnercenter.RouteCheckout))
}

// The provider is killed with SIGKILL once Partner Center has created the
// tenant, before its answer arrives: the next apply creates no second
// tenant but finds the first by its domain.
func TestAccCustomerResource_providerKilledAfterCreation(t *testing.T) {
	mock := startMock(t, mockpartnercenter.Options{})
	tf := newKillableTerraform(t)
	tf.write(onboardingConfig(mock, "killed", "Killed Ltd", ""))
	mock.SetFault("", mockpartnercenter.Fault{Kind: mockpartnercenter.FaultHang, AfterCommit: true, Route: mockpartnercenter.RouteCreateCustomer})
	tf.applyKilledWhen(func() bool { return mock.CustomersCreated() == 1 })
	mock.SetFault("", mockpartnercenter.Fault{Route: mockpartnercenter.RouteCreateCustomer})
	if values := tf.stateValues(customerAddress); values != nil {
		t.Fatalf("the state holds the customer although the provider was killed before answering: %v", values)
	}

	out, ok := tf.run("apply", "-auto-approve")
	if !ok {
		t.Fatalf("the apply after the kill failed:\n%s", out)
	}
	if got := mock.CustomersCreated(); got != 1 {
		t.Errorf("%d tenants created, want 1", got)
	}
	state := tf.stateValues(customerAddress)
	var created string
	for _, id := range mock.CustomerIDs() {
		if !strings.EqualFold(id, documentedID) {
			created = id
		}
	}
	if state == nil || !strings.EqualFold(fmt.Sprint(state["id"]), created) {
		t.Errorf("state id %v, want the tenant created before the kill, %s", state["id"], created)
	}
	if state["admin_password"] != nil {
		t.Errorf("the state has an admin password; it went with the lost answer")
	}
	flat := strings.Join(strings.Fields(out), " ")
	if !strings.Contains(flat, "killed.onmicrosoft.com") || !strings.Contains(strings.ToLower(flat), "password") {
		t.Errorf("the adopting apply does not warn that the password is lost:\n%s", out)
	}
}
