// Command terraform-provider-partnercenter serves the Partner Center provider
// to Terraform over plugin protocol 6.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cspkit/terraform-provider-partnercenter/internal/provider"
)

// version is set at release time through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug, printVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&printVersion, "version", false, "print the provider's version and exit")
	flag.Parse()

	if printVersion {
		fmt.Println(version)
		return
	}

	// Read by the SDK at every RPC; set before serving the first one.
	for name, level := range provider.SDKLogLevels(os.Getenv) {
		if err := os.Setenv(name, level); err != nil {
			log.Fatal(err)
		}
	}

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve(provider.Address, provider.ProtocolServer(version), opts...); err != nil {
		log.Fatal(err)
	}
}
