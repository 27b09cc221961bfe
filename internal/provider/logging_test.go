package provider

import (
	"maps"
	"testing"
)

func TestSDKLogLevels(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{
			name: "nobody listens",
			env:  map[string]string{},
			want: map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off"},
		},
		{
			name: "TF_LOG",
			env:  map[string]string{"TF_LOG": "DEBUG"},
			want: map[string]string{"TF_LOG_SDK": "DEBUG", "TF_LOG_SDK_PROTO": "DEBUG", "TF_LOG_SDK_FRAMEWORK": "DEBUG"},
		},
		{
			name: "TF_LOG_PROVIDER wins over TF_LOG, as in Terraform",
			env:  map[string]string{"TF_LOG": "ERROR", "TF_LOG_PROVIDER": "TRACE"},
			want: map[string]string{"TF_LOG_SDK": "TRACE", "TF_LOG_SDK_PROTO": "TRACE", "TF_LOG_SDK_FRAMEWORK": "TRACE"},
		},
		{
			name: "a level the user set for one SDK logger stays",
			env:  map[string]string{"TF_LOG_SDK_FRAMEWORK": "TRACE"},
			want: map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SDKLogLevels(func(name string) string { return tt.env[name] })
			if !maps.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if _, ok := got["TF_LOG_PROVIDER_PARTNERCENTER"]; ok {
				t.Error("the provider's own log level was changed")
			}
		})
	}
}
