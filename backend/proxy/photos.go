package proxy

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"budayang/backend/account"
	"budayang/backend/apperr"
	"budayang/backend/audit"
	"budayang/backend/secret"
	"budayang/backend/store"
)

// Photo limits: a phone's picture scaled down by the page before upload
// fits; the JSON body that carries it stays under the host's 1 MB.
const (
	MaxPhotoBytes    = 600 << 10
	MaxPhotosPerLine = 3
)

// Photo describes one photo of a checklist line; the image itself is read
// with PhotoData.
type Photo struct {
	ID          string    `json:"id"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

// PhotoInput is a photo as the page sends it.
type PhotoInput struct {
	ContentType string `json:"content_type"`
	// Data is the image, base64.
	Data string `json:"data"`
}

var imageMagic = map[string][]byte{
	"image/jpeg": {0xFF, 0xD8, 0xFF},
	"image/png":  {0x89, 'P', 'N', 'G'},
}

func photoAAD(id string) string { return "proxy_photo/" + id }

// AddPhoto keeps a photo of checklist line index, sealed. Only the owner,
// while the materials are collected (requested, materials_collected).
// Errors, with nothing saved: not found; forbidden for anyone else;
// invalid for a line outside the checklist, data that is not base64 or not
// a JPEG or PNG; too large over MaxPhotoBytes; conflict after the handover
// or past MaxPhotosPerLine photos on the line.
func (s *Service) AddPhoto(ctx context.Context, by account.Principal, id string, index int, in PhotoInput) (Photo, error) {
	raw, err := base64.StdEncoding.DecodeString(in.Data)
	if err != nil {
		return Photo{}, apperr.Errorf(apperr.Invalid, "照片数据不是有效的base64。")
	}
	var out Photo
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := s.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if by.Role != account.RoleAssistant || by.ID != c.OwnerID {
			return errNotYours
		}
		if index < 0 || index >= len(c.Materials) {
			return apperr.Errorf(apperr.Invalid, "材料序号%d超出“%s”的材料清单。", index, c.ItemName)
		}
		if c.State != Requested && c.State != MaterialsCollected {
			return apperr.Errorf(apperr.Conflict, "代办件已%s，不能再添加材料照片。", StateName(c.State))
		}
		magic, ok := imageMagic[in.ContentType]
		if !ok || !bytes.HasPrefix(raw, magic) {
			return apperr.Errorf(apperr.Invalid, "照片须为JPEG或PNG图片。")
		}
		if len(raw) > MaxPhotoBytes {
			return apperr.Errorf(apperr.TooLarge, "照片超过%d KB，请压缩后再上传。", MaxPhotoBytes>>10)
		}
		if n := len(c.Materials[index].Photos); n >= MaxPhotosPerLine {
			return apperr.Errorf(apperr.Conflict, "每项材料最多%d张照片。", MaxPhotosPerLine)
		}
		out = Photo{ID: store.NewID(), ContentType: in.ContentType, Size: len(raw), CreatedAt: tx.Now}
		sealed, err := s.sealer.Seal(in.Data, photoAAD(out.ID))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_photo (id, case_id, idx, content_type, size, data, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)`,
			out.ID, c.ID, index, out.ContentType, out.Size, sealed, store.FormatTime(tx.Now), by.Login); err != nil {
			return fmt.Errorf("add proxy photo: %w", err)
		}
		line := "拍照留存材料“" + c.Materials[index].Name + "”"
		if err := s.record(ctx, tx, by, c.ID, "materials", "", "", "", line); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by.Actor(), "proxy.photo", c.ID, c.Number+" "+line)
	})
	return out, err
}

// PhotoData returns a photo's image and content type for the case's owner,
// and records the read in the audit log (proxy.photo_read). Errors: not
// found; forbidden for anyone else — the centre sees the paper itself.
func (s *Service) PhotoData(ctx context.Context, by account.Principal, id, photoID string) ([]byte, string, error) {
	c, err := s.getTx(ctx, s.db.Read(), id)
	if err != nil {
		return nil, "", err
	}
	if by.Role != account.RoleAssistant || by.ID != c.OwnerID {
		return nil, "", errNotYours
	}
	var sealed, contentType string
	var idx int
	err = s.db.Read().QueryRowContext(ctx, `SELECT data, content_type, idx FROM proxy_photo WHERE id = ? AND case_id = ?`, photoID, id).Scan(&sealed, &contentType, &idx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", apperr.Errorf(apperr.NotFound, "找不到这张材料照片。")
	}
	if err != nil {
		return nil, "", fmt.Errorf("read proxy photo: %w", err)
	}
	data, err := s.sealer.Open(sealed, photoAAD(photoID))
	if err != nil {
		return nil, "", secret.WrongKey(s.sealer.Where())
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, "", fmt.Errorf("decode proxy photo: %w", err)
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, by.Actor(), "proxy.photo_read", c.ID, c.Number+" 查看第"+strconv.Itoa(idx+1)+"项材料照片")
	})
	if err != nil {
		return nil, "", err
	}
	return raw, contentType, nil
}

// photos lists the photos of a case's checklist lines, by line.
func (s *Service) photos(ctx context.Context, q querier, id string) (map[int][]Photo, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, idx, content_type, size, created_at FROM proxy_photo WHERE case_id = ? ORDER BY created_at, rowid`, id)
	if err != nil {
		return nil, fmt.Errorf("list proxy photos: %w", err)
	}
	defer rows.Close()
	out := map[int][]Photo{}
	for rows.Next() {
		var p Photo
		var idx int
		var at string
		if err := rows.Scan(&p.ID, &idx, &p.ContentType, &p.Size, &at); err != nil {
			return nil, fmt.Errorf("list proxy photos: %w", err)
		}
		p.CreatedAt, _ = store.ParseTime(at)
		out[idx] = append(out[idx], p)
	}
	return out, rows.Err()
}
