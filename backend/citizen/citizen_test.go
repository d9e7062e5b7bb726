package citizen_test

import (
	"testing"

	"budayang/backend/apperr"
	"budayang/backend/citizen"
)

func TestValidateID(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"Valid", "11010519491231002X", "11010519491231002X", true},
		{"LowerCaseX", "11010519491231002x", "11010519491231002X", true},
		{"ValidDigitCheck", "511725198001010036", "511725198001010036", true},
		{"LeapDay", "511725195602290025", "511725195602290025", true},
		{"ErrWrongCheckDigit", "110105194912310021", "", false},
		{"ErrTooShort", "11010519491231002", "", false},
		{"ErrLetterInBody", "1101051949123100AX", "", false},
		{"ErrNoSuchDate", "110105194902300023", "", false},
		{"ErrFifteenDigitOldForm", "110105491231002", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := citizen.ValidateID(tt.in)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if apperr.Code(err) != apperr.Invalid {
				t.Fatalf("got %q, %v; want invalid", got, err)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"13812345678", "13812345678", true},
		{"138 1234 5678", "13812345678", true},
		{"+86 138-1234-5678", "13812345678", true},
		{"0818-7654321", "08187654321", true},
		{"12812345678", "", false},
		{"1381234567", "", false},
		{"7654321", "", false},
		{"电话", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := citizen.NormalizePhone(tt.in)
			if tt.ok != (err == nil) || got != tt.want {
				t.Errorf("got %q, %v; want %q ok=%v", got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestMasks(t *testing.T) {
	tests := []struct{ got, want string }{
		{citizen.MaskName("张三"), "张*"},
		{citizen.MaskName("张小三"), "张*三"},
		{citizen.MaskName("欧阳小明"), "欧**明"},
		{citizen.MaskName("李"), "李"},
		{citizen.MaskPhone("13812345678"), "138****5678"},
		{citizen.MaskID("11010519491231002X"), "110105********002X"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
