terraform {
  required_providers {
    partnercenter = {
      source = "cspkit/partnercenter"
    }
  }
}

# Secure application model: the partner's Entra application and a refresh
# token obtained once through consent by a Partner Center user. Keep secrets
# out of configuration: here they come from variables, or leave the block
# empty and set PARTNERCENTER_TENANT_ID, PARTNERCENTER_CLIENT_ID,
# PARTNERCENTER_CLIENT_SECRET and PARTNERCENTER_REFRESH_TOKEN.
provider "partnercenter" {
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
