# Brings a partner's existing customers and their licence subscriptions under
# Terraform without buying or changing anything (Terraform 1.14 or later):
#
#   1. terraform init
#   2. terraform query -generate-config-out=estate.tf
#                             lists them through estate.tfquery.hcl and writes a
#                             resource block and an import block for each
#   3. review estate.tf       (see the guide "Adopting an existing estate")
#   4. terraform plan         only imports: nothing to add, change or destroy
#   5. terraform apply        imports them into the state
#   6. terraform plan         no changes
terraform {
  required_version = ">= 1.14.0"
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}

# Credentials from the PARTNERCENTER_* environment variables (see the
# provider's documentation); terraform query uses this configuration too.
provider "partnercenter" {}
