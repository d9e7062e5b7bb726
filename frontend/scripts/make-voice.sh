#!/bin/sh
# Regenerates public/voice/*.wav, the clips the hall display joins into a spoken call
# ("请A012号到3号窗口办理") on a TV whose browser has no Chinese speech voice.
# Needs espeak-ng (Debian: apt-get install espeak-ng) and node. Run from anywhere:
#   sh frontend/scripts/make-voice.sh
# Letters use the cmn voice (Latin letters read the English way, as halls say them);
# the words and digits use cmn-latn-pinyin, since espeak-ng's Mandarin dictionary lacks some
# of the characters. wav-trim.mjs cuts the silence and stores 11 025 Hz 16-bit mono.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../public/voice"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

say() { # name voice text
  espeak-ng -v "$2" -s 150 -a 180 -w "$tmp/$1.wav" "$3"
  node "$here/wav-trim.mjs" "$tmp/$1.wav" "$out/$1.wav"
}

say qing cmn-latn-pinyin qing3
say hao cmn-latn-pinyin hao4
say dao cmn-latn-pinyin dao4
say chuangkou cmn-latn-pinyin "chuang1 kou3"
say banli cmn-latn-pinyin "ban4 li3"
say shi cmn-latn-pinyin shi2
i=0
for d in ling2 yi1 er4 san1 si4 wu3 liu4 qi1 ba1 jiu3; do
  say "$i" cmn-latn-pinyin "$d"
  i=$((i + 1))
done
for l in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
  say "$l" cmn "$l"
done
echo "wrote $(ls "$out" | wc -l) clips to $out"
