//go:build ignore

// Command ttc2ttf writes the first face of a TrueType collection as a plain
// TTF, which fpdf can embed. wqy-microhei.ttf beside it was made with
//
//	go run ttc2ttf.go /usr/share/fonts/truetype/wqy/wqy-microhei.ttc wqy-microhei.ttf
//
// from Debian's fonts-wqy-microhei 0.2.0-beta (Apache-2.0 or GPL-3+ with
// the font exception; this program uses it under Apache-2.0).
package main

import (
	"encoding/binary"
	"fmt"
	"os"
)

func main() {
	in, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	be := binary.BigEndian
	if string(in[:4]) != "ttcf" {
		panic("not a TrueType collection")
	}
	off := be.Uint32(in[12:])
	num := int(be.Uint16(in[off+4:]))
	hdr := make([]byte, 12+16*num)
	copy(hdr, in[off:off+uint32(len(hdr))])
	var body []byte
	for i := 0; i < num; i++ {
		rec := hdr[12+16*i:]
		toff, tlen := be.Uint32(rec[8:]), be.Uint32(rec[12:])
		be.PutUint32(rec[8:], uint32(len(hdr)+len(body)))
		body = append(body, in[toff:toff+tlen]...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	if err := os.WriteFile(os.Args[2], append(hdr, body...), 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("%d tables, %d bytes\n", num, len(hdr)+len(body))
}
