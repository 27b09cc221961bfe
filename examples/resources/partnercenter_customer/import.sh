# An existing customer comes under management by its tenant ID. The first
# administrator's password is not recoverable: admin_password stays null.
terraform import partnercenter_customer.contoso eebd1b55-5360-4438-a11d-5c06918c3014
