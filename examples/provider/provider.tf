terraform {
  required_providers {
    partnercenter = {
      source  = "cspkit/partnercenter"
      version = "~> 0.1"
    }
  }
}

# App-only with workload identity federation, for pipelines: no secret at all.
# In GitHub Actions (permission id-token: write) or Azure DevOps the ID token
# is requested from the CI system; the tenant and the application come from
# ARM_TENANT_ID and ARM_CLIENT_ID, as for azurerm.
provider "partnercenter" {
  use_oidc = true
}

# App-only with a secret (or client_certificate_path): no refresh token.
provider "partnercenter" {
  alias         = "app_only"
  tenant_id     = var.partner_tenant_id
  client_id     = var.client_id
  client_secret = var.client_secret
}

# App+User, secure application model: the partner's Entra application and a
# refresh token obtained once through consent, with MFA, by a Partner Center
# user. Keep secrets out of configuration: here they come from variables, or
# leave the block empty and set PARTNERCENTER_TENANT_ID,
# PARTNERCENTER_CLIENT_ID, PARTNERCENTER_CLIENT_SECRET and
# PARTNERCENTER_REFRESH_TOKEN.
provider "partnercenter" {
  alias         = "app_user"
  tenant_id     = var.partner_tenant_id
  client_id     = var.client_id
  client_secret = var.client_secret
  refresh_token = var.refresh_token
}

# The same application authenticating with a certificate instead of a secret.
provider "partnercenter" {
  alias                       = "certificate"
  tenant_id                   = var.partner_tenant_id
  client_id                   = var.client_id
  client_certificate_path     = "partner-app.pfx"
  client_certificate_password = var.certificate_password
  refresh_token               = var.refresh_token
}

# The user signed in with `az login`, for work at a desk.
provider "partnercenter" {
  alias   = "cli"
  use_cli = true
}

# Partner Center operated by 21Vianet.
provider "partnercenter" {
  alias       = "china"
  environment = "china"
  use_cli     = true
}

variable "partner_tenant_id" {
  type = string
}

variable "client_id" {
  type = string
}

variable "client_secret" {
  type      = string
  sensitive = true
}

variable "refresh_token" {
  type      = string
  sensitive = true
}

variable "certificate_password" {
  type      = string
  sensitive = true
}
