# customer_id/subscription_id; the resource block must match the subscription
# (see the import block example) for the next plan to change nothing.
terraform import partnercenter_customer_subscription.imported eebd1b55-5360-4438-a11d-5c06918c3014/a4c1340d-6911-4758-bba3-0c4c6007d161
