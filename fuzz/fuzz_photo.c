/*
 * fuzz_photo.c: an uploaded photo's bytes, as the API and the back office
 * hand them to photo_make (news/photo.h): sniffed, their header read and
 * their pixels counted, decoded whole by libvips failing on any error,
 * turned upright, stripped and made into renditions. Small limits keep
 * each run quick; every answer is a status with a problem, or a photo
 * whose renditions are never wider than its original.
 */
#include <stdint.h>
#include <string.h>

#include "news/photo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct photo_limits limits = {1048576, 4000000};
	if (!photo_init("fuzz-photo"))
		__builtin_trap();
	struct photo_made m;
	const char *problem = NULL;
	int status = photo_make_bytes(data, size, &limits, &m, &problem);
	if (status != 0) {
		if (!problem || m.n || m.original.data)
			__builtin_trap(); /* a refusal says why and keeps nothing */
		return 0;
	}
	for (size_t i = 0; i < m.n; i++)
		if (m.renditions[i].blob.width > m.original.width || m.renditions[i].blob.width > m.renditions[i].size ||
		    !photo_sniff(m.renditions[i].blob.data, m.renditions[i].blob.len))
			__builtin_trap();
	photo_made_clear(&m);
	return 0;
}
