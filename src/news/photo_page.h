/* photo_page.h: the photo API, the renditions' addresses and their routes (photo_page.c). */
#pragma once
#include "http/http.h"

extern const struct route photo_routes[];
/* The address of rendition size in format (webp, jpeg) of original hash (an arena string). */
const char *photo_url(struct arena *a, const char *hash, int size, const char *format);

/* {url, width, height} of a card's picture, or NULL when it has none (a new reference). */
json_t *photo_card_view(struct arena *a, const struct card_photo *p);

/* Whether name is a rendition's file name HASH-SIZE.EXT (jpg, webp; a size of photo_sizes): its parts. */
bool photo_name_parse(const char *name, char hash[65], int *size, const char **format);

struct photo_limits;
/* The limits of photos (the settings photos.max_bytes and photos.max_pixels); false after answering a store error. */
bool photo_limits_of(struct request *r, struct photo_limits *limits);
