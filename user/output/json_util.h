/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The JSON helpers of every JSON writer and reader (reports, comparisons,
 * recordings), and field tables: one description of a set of fields that
 * both writes them and reads them back, so a writer and its reader cannot
 * drift apart.
 */
#ifndef KSEE_JSON_UTIL_H
#define KSEE_JSON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include <json-c/json.h>

void json_add_u64(struct json_object *o, const char *k, __u64 v);
void json_add_int(struct json_object *o, const char *k, long long v);
void json_add_double(struct json_object *o, const char *k, double v);
void json_add_str(struct json_object *o, const char *k, const char *v);
void json_add_bool(struct json_object *o, const char *k, bool v);

/*
 * A string from the traced program (a comm, an argument), made valid UTF-8
 * (fmt_utf8(): bytes that are not UTF-8 read as Latin-1); NULL on -ENOMEM.
 */
struct json_object *json_new_text(const char *v);
void json_add_text(struct json_object *o, const char *k, const char *v);

/* A double, or null for NaN and infinities (a demo with no latencies). */
void json_add_finite(struct json_object *o, const char *k, double v);

/* A string, or null when @v is NULL or empty. */
void json_add_str_or_null(struct json_object *o, const char *k, const char *v);

/* Print @o pretty with a newline, then put it; 0, -ENOMEM (@o NULL) or -EIO. */
int json_print_put(FILE *f, struct json_object *o);

/* Member @k of @o if it has @type (for numbers, int and double both do); else NULL. */
struct json_object *json_get(struct json_object *o, const char *k, enum json_type type);

/* Member @k as a value; 0, false or "" when missing or of another type. */
__u64 json_get_u64(struct json_object *o, const char *k);
long long json_get_i64(struct json_object *o, const char *k);
double json_get_dbl(struct json_object *o, const char *k);
bool json_get_bool(struct json_object *o, const char *k);
void json_get_str(struct json_object *o, const char *k, char *buf, size_t len);

/* A field of a C structure, at @off from its start, under the key @key. */
enum json_field_type {
	JF_U64,
	JF_U32,
	JF_BOOL,
	JF_STR,		/* a char array of @size bytes */
};

struct json_field {
	const char *group;	/* the sub-object it sits in; NULL: the top level */
	const char *key;
	size_t off;
	enum json_field_type type;
	size_t size;		/* JF_STR: the array's size */
};

/*
 * Write @n fields of @base into @o, in order; consecutive fields of one
 * group go into one sub-object. The reader takes the same table.
 */
void json_fields_write(struct json_object *o, const void *base, const struct json_field *f,
		       size_t n);
void json_fields_read(struct json_object *o, void *base, const struct json_field *f, size_t n);

#endif
