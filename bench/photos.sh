#!/usr/bin/env bash
# Photos (issue 15): three figures, each printed with its target.
#
# 1. A rendition served: wrk on loopback (-t2 -c64) against
#    /photos/HASH-960.webp from podium and the same bytes from nginx (one
#    worker, sendfile, open_file_cache), alternating, RUNS times each; the
#    ratio of the medians (target >= 0.8).
# 2. The upload of a 24-megapixel JPEG (6000 x 4000): the PUT's whole time,
#    and its parts as the answer's Server-Timing tells them: the original
#    (decoded, turned upright, stripped, re-encoded), the six renditions
#    (target <= 1 s) and the write.
# 3. The server's peak RSS (VmHWM) after a PUT of a JPEG just under 25 MiB
#    (target <= 64 MiB), and before it.
# 4. The article page with three photos (page cache on): podium against
#    nginx serving the same bytes as a file, alternating, as in 1
#    (target >= 1.0).
#
# Environment: PODIUM (the executable), RUNS (3), DURATION (10s).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
py=/usr/bin/python3
runs=${RUNS:-3}
duration=${DURATION:-10s}
slug=malaysia-hightech-2021
article=opening-kicked-off

source "$root/bench/lib.sh"
bench_find_podium
for tool in /usr/bin/wrk /usr/sbin/nginx /usr/bin/curl; do
    [[ -x $tool ]] || { echo "bench: $tool is missing (make bench installs it)" >&2; exit 69; }
done
"$py" -c 'import PIL' 2>/dev/null || { echo "bench: python3-pil is missing" >&2; exit 69; }
bench_workdir photos
chmod 755 "$work"

db=$work/podium.db
"$podium" --db "$db" import --quiet "$root/examples/$slug.json"
echo "bench-password-1234" | "$podium" --db "$db" user add bench@example.org --name Bench --admin --password-stdin >/dev/null
token=$("$podium" --db "$db" token add bench@example.org)

# the images: a 24-megapixel photo-like JPEG, and one as close under 25 MiB as PIL makes it
"$py" - "$work" <<'EOF'
import io, sys
from PIL import Image, ImageFilter
work = sys.argv[1]
def photo(w, h, noise):
    base = Image.merge("RGB", [Image.linear_gradient("L").resize((w, h)),
                               Image.linear_gradient("L").rotate(90).resize((w, h)),
                               Image.effect_noise((w, h), noise)])
    return base
photo(6000, 4000, 24).save(f"{work}/24mp.jpg", "JPEG", quality=90)
big = photo(7000, 7000, 200)
for q in (97, 95, 92, 90, 85, 80):
    b = io.BytesIO()
    big.save(b, "JPEG", quality=q)
    if len(b.getvalue()) <= 25 * 1024 * 1024:
        open(f"{work}/25mib.jpg", "wb").write(b.getvalue())
        break
EOF

bench_serve p1 "$db"
api="http://127.0.0.1:$port_p1/api/v1/programs/$slug/articles/$article/photos"
put() { # put KEY FILE: prints status and seconds; the answer's headers are in $work/put.head
    curl -sS -o "$work/put.json" -D "$work/put.head" -w '%{http_code} %{time_total}' -X PUT -H "Authorization: Bearer $token" \
        -H 'Content-Type: image/jpeg' --data-binary "@$2" "$api/$1?caption=Bench"
}
vmhwm() { awk '/^VmHWM/ {print $2}' "/proc/$pid_p1/status"; }

# 3 first, on a fresh server: its peak before and after a 25 MiB upload
size=$(stat -c %s "$work/25mib.jpg")
before=$(vmhwm)
result=$(put big "$work/25mib.jpg"); read -r status secs <<<"$result"
after=$(vmhwm)
echo "upload of $size bytes ($(( size / 1048576 )) MiB, 49 megapixels): $status in ${secs}s"
echo "peak RSS: $(( before / 1024 )) MiB before, $(( after / 1024 )) MiB after (target <= 64 MiB)"

# 2
result=$(put mp24 "$work/24mp.jpg"); read -r status secs <<<"$result"
timing() { sed -n "s/^Server-Timing: .*$1;dur=\([0-9.]*\).*/\1/ip" "$work/put.head" | tr -d '\r'; }
echo "24-megapixel JPEG ($(stat -c %s "$work/24mp.jpg") bytes) put, all renditions made and stored: $status in ${secs}s"
echo "  of which the original $(timing original) ms, the six renditions $(timing renditions) ms (target <= 1000 ms), the write $(timing store) ms"
url=$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print([r["url"] for r in d["renditions"] if r["url"].endswith("-960.webp")][0])' "$work/put.json")

# 1: the same bytes from nginx
docroot=$work/docroot
mkdir -p "$docroot/photos"
curl -sS -f -o "$docroot$url" "http://127.0.0.1:$port_p1$url"
chmod -R a+rX "$docroot"
bench_nginx "$docroot"
cmp -s "$docroot$url" <(curl -sS "http://127.0.0.1:$nginx_port$url") || { echo "bench: nginx serves other bytes" >&2; exit 70; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# versus PODIUM_PATH NGINX_PATH: wrk on both in turns, RUNS times; sets mp and mn (the medians)
versus() {
    local -a rps_p=() rps_n=()
    local run server out
    for ((run = 1; run <= runs; run++)); do
        for server in p1 nginx; do
            if [[ $server == p1 ]]; then
                out=$(wrk -t2 -c64 -d"$duration" "http://127.0.0.1:$port_p1$1")
                rps_p+=("$(awk '/^Requests\/sec/ {print $2}' <<<"$out")")
            else
                out=$(wrk -t2 -c64 -d"$duration" "http://127.0.0.1:$nginx_port$2")
                rps_n+=("$(awk '/^Requests\/sec/ {print $2}' <<<"$out")")
            fi
        done
    done
    mp=$(median "${rps_p[@]}")
    mn=$(median "${rps_n[@]}")
}
versus "$url" "$url"
echo "rendition $url ($(stat -c %s "$docroot$url") bytes): podium ${mp} req/s, nginx ${mn} req/s (medians of $runs)"
echo "ratio podium/nginx: $("$py" -c "print(f'{$mp / $mn:.2f}')") (target >= 0.8)"

# 4: the article page, now with three photos (big, mp24 and a small third), and the same bytes from nginx
"$py" -c 'from PIL import Image; Image.new("RGB", (1600, 1200), (40, 90, 190)).save("'"$work"'/third.jpg", "JPEG")'
result=$(put third "$work/third.jpg"); read -r status secs <<<"$result"
[[ $status == 201 ]] || { echo "bench: the third photo was refused ($status)" >&2; exit 70; }
page=/programs/$slug/articles/$article
curl -sS -f -o "$docroot/article.html" "http://127.0.0.1:$port_p1$page"
[[ $(grep -o "<picture" "$docroot/article.html" | wc -l) -ge 3 ]] || { echo "bench: the page shows fewer than 3 pictures" >&2; exit 70; }
versus "$page" /article.html
echo "article page with 3 photos ($(stat -c %s "$docroot/article.html") bytes): podium ${mp} req/s, nginx ${mn} req/s (medians of $runs)"
echo "ratio podium/nginx: $("$py" -c "print(f'{$mp / $mn:.2f}')") (target >= 1.0)"
