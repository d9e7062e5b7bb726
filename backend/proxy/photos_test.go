package proxy_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"strconv"
	"strings"
	"testing"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/proxy"
)

// jpeg is a stand-in image: the JPEG signature and a marker the database
// file must not hold in the clear.
var jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, []byte("PHOTO-OF-HUKOU-BOOK-511725199003071232")...)

func TestPhotos_SealedOwnerOnly(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	c := f.open(t, elderly())
	data := base64.StdEncoding.EncodeToString(jpeg)
	ph, err := f.svc.AddPhoto(ctx, f.assistant, c.ID, 0, proxy.PhotoInput{ContentType: "image/jpeg", Data: data})
	if err != nil {
		t.Fatalf("add photo: %v", err)
	}
	t.Run("ListedOnItsLine", func(t *testing.T) {
		got, err := f.svc.Get(ctx, f.site.Admin, c.ID)
		if err != nil || len(got.Materials[0].Photos) != 1 || got.Materials[0].Photos[0].ID != ph.ID || got.Materials[0].Photos[0].Size != len(jpeg) {
			t.Errorf("got %+v %v, want the photo on line 0", got.Materials, err)
		}
	})
	t.Run("OwnerReadsAudited", func(t *testing.T) {
		img, ct, err := f.svc.PhotoData(ctx, f.assistant, c.ID, ph.ID)
		if err != nil || ct != "image/jpeg" || !bytes.Equal(img, jpeg) {
			t.Fatalf("got %d bytes %s %v", len(img), ct, err)
		}
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'proxy.photo_read'`); n != 1 {
			t.Errorf("got %d proxy.photo_read lines, want 1", n)
		}
	})
	t.Run("OthersRefused", func(t *testing.T) {
		for _, by := range []account.Principal{f.other, f.clerk, f.site.Admin, f.duty} {
			if _, _, err := f.svc.PhotoData(ctx, by, c.ID, ph.ID); apperr.Code(err) != apperr.Forbidden {
				t.Errorf("%s: got %v, want forbidden", by.Login, err)
			}
		}
	})
	t.Run("BadPhotosChangeNothing", func(t *testing.T) {
		big := base64.StdEncoding.EncodeToString(append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, proxy.MaxPhotoBytes)...))
		tests := []struct {
			name  string
			by    account.Principal
			index int
			in    proxy.PhotoInput
			code  string
			says  string
		}{
			{"NotBase64", f.assistant, 0, proxy.PhotoInput{ContentType: "image/jpeg", Data: "%%%"}, apperr.Invalid, "base64"},
			{"NotAnImage", f.assistant, 0, proxy.PhotoInput{ContentType: "image/jpeg", Data: base64.StdEncoding.EncodeToString([]byte("hello"))}, apperr.Invalid, "JPEG或PNG"},
			{"WrongType", f.assistant, 0, proxy.PhotoInput{ContentType: "application/pdf", Data: data}, apperr.Invalid, "JPEG或PNG"},
			{"TooLarge", f.assistant, 0, proxy.PhotoInput{ContentType: "image/jpeg", Data: big}, apperr.TooLarge, "请压缩"},
			{"BeyondChecklist", f.assistant, 7, proxy.PhotoInput{ContentType: "image/jpeg", Data: data}, apperr.Invalid, "超出"},
			{"AnotherAssistant", f.other, 0, proxy.PhotoInput{ContentType: "image/jpeg", Data: data}, apperr.Forbidden, "不是您负责的代办件"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.snapshot(t) + f.photoCount(t)
				_, err := f.svc.AddPhoto(ctx, tt.by, c.ID, tt.index, tt.in)
				if apperr.Code(err) != tt.code || !strings.Contains(apperr.Message(err), tt.says) {
					t.Errorf("got %v (%s), want %s saying %q", err, apperr.Code(err), tt.code, tt.says)
				}
				if after := f.snapshot(t) + f.photoCount(t); after != before {
					t.Errorf("database changed: %s → %s", before, after)
				}
			})
		}
	})
	t.Run("NotInTheDatabaseFile", func(t *testing.T) {
		path := f.site.Core.DB.Path()
		for _, file := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(file)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte("PHOTO-OF-HUKOU-BOOK")) || bytes.Contains(b, []byte(data[8:40])) {
				t.Errorf("%s holds the photo in the clear", file)
			}
		}
	})
}

func (f fixture) photoCount(t *testing.T) string {
	t.Helper()
	return "/photos " + strconv.Itoa(f.count(t, `SELECT count(*) FROM proxy_photo`))
}
