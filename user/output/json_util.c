// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "output/fmt.h"
#include "output/json_util.h"

void json_add_u64(struct json_object *o, const char *k, __u64 v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

void json_add_int(struct json_object *o, const char *k, long long v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

void json_add_double(struct json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(v));
}

void json_add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

struct json_object *json_new_text(const char *v)
{
	char *clean = fmt_utf8_dup(v);
	struct json_object *o = clean ? json_object_new_string(clean) : NULL;

	free(clean);
	return o;
}

void json_add_text(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_new_text(v));
}

void json_add_bool(struct json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

void json_add_finite(struct json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, isfinite(v) ? json_object_new_double(v) : NULL);
}

void json_add_str_or_null(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v && *v ? json_object_new_string(v) : NULL);
}

struct json_object *json_get(struct json_object *o, const char *k, enum json_type type)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, k, &v))
		return NULL;
	if (json_object_is_type(v, type))
		return v;
	/* numbers: either kind will do */
	if ((type == json_type_int || type == json_type_double) &&
	    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return v;
	return NULL;
}

__u64 json_get_u64(struct json_object *o, const char *k)
{
	struct json_object *v = json_get(o, k, json_type_int);

	return v ? json_object_get_uint64(v) : 0;
}

long long json_get_i64(struct json_object *o, const char *k)
{
	struct json_object *v = json_get(o, k, json_type_int);

	return v ? json_object_get_int64(v) : 0;
}

double json_get_dbl(struct json_object *o, const char *k)
{
	struct json_object *v = json_get(o, k, json_type_double);

	return v ? json_object_get_double(v) : 0;
}

bool json_get_bool(struct json_object *o, const char *k)
{
	struct json_object *v = json_get(o, k, json_type_boolean);

	return v && json_object_get_boolean(v);
}

void json_get_str(struct json_object *o, const char *k, char *buf, size_t len)
{
	struct json_object *v = json_get(o, k, json_type_string);

	snprintf(buf, len, "%s", v ? json_object_get_string(v) : "");
}

static void write_one(struct json_object *o, const void *base, const struct json_field *f)
{
	const char *p = (const char *)base + f->off;

	switch (f->type) {
	case JF_U64:
		json_add_u64(o, f->key, *(const __u64 *)p);
		break;
	case JF_U32:
		json_add_u64(o, f->key, *(const __u32 *)p);
		break;
	case JF_BOOL:
		json_add_bool(o, f->key, *(const bool *)p);
		break;
	case JF_STR:
		json_add_str(o, f->key, p);
		break;
	}
}

static void read_one(struct json_object *o, void *base, const struct json_field *f)
{
	char *p = (char *)base + f->off;

	switch (f->type) {
	case JF_U64:
		*(__u64 *)p = json_get_u64(o, f->key);
		break;
	case JF_U32:
		*(__u32 *)p = json_get_u64(o, f->key);
		break;
	case JF_BOOL:
		*(bool *)p = json_get_bool(o, f->key);
		break;
	case JF_STR:
		json_get_str(o, f->key, p, f->size);
		break;
	}
}

static bool same_group(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

void json_fields_write(struct json_object *o, const void *base, const struct json_field *f,
		       size_t n)
{
	struct json_object *g = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!f[i].group) {
			write_one(o, base, &f[i]);
			continue;
		}
		if (!i || !same_group(f[i].group, f[i - 1].group)) {
			g = json_object_new_object();
			json_object_object_add(o, f[i].group, g);
		}
		write_one(g, base, &f[i]);
	}
}

void json_fields_read(struct json_object *o, void *base, const struct json_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		read_one(f[i].group ? json_get(o, f[i].group, json_type_object) : o, base, &f[i]);
}

int json_print_put(FILE *f, struct json_object *o)
{
	const char *s;
	int err;

	if (!o)
		return -ENOMEM;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	err = !s ? -ENOMEM : fputs(s, f) < 0 || fputc('\n', f) == EOF ? -EIO : 0;
	json_object_put(o);
	return err;
}
